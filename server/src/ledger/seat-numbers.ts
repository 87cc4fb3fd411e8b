/**
 * Which seat number each player bought in at. The table actor's seats live in memory; the seat
 * accounts hold the chips but not the position. A node taking a table over (or restarting after a
 * crash) reads these rows to seat every player with chips at the table where they sat. The row is
 * written by the buy-in itself, inside its transaction, so it exists exactly when the chips do; it is
 * never deleted on cash-out because only players with a non-zero seat balance are seated again, and
 * the next buy-in of the player at that table overwrites it.
 */
import type { Queryable } from './db';

/** Upserts the seat number of `playerId` at `tableId` (inside the caller's transaction). */
export async function recordSeatNumber(q: Queryable, tableId: string, playerId: string, seatNumber: number): Promise<void> {
  await q.query(
    `INSERT INTO table_seat (table_id, player_id, seat_number) VALUES ($1, $2, $3)
     ON CONFLICT (table_id, player_id) DO UPDATE SET seat_number = EXCLUDED.seat_number, updated_at = now()`,
    [tableId, playerId, seatNumber],
  );
}

/** A player with chips in a seat account at the table, with the seat number last bought in at (if known). */
export interface SeatHolding {
  playerId: string;
  username: string;
  balance: string;
  seatNumber: number | null;
}

/** Every non-zero seat account of the table, with its player's name and remembered seat, in account id order. */
export async function listSeatHoldings(q: Queryable, tableId: string): Promise<SeatHolding[]> {
  const rows = (await q.query(
    `SELECT a.player_id::text AS player_id, p.username, a.balance::text AS balance, s.seat_number
     FROM account a
     JOIN player p ON p.id = a.player_id
     LEFT JOIN table_seat s ON s.table_id = a.table_id AND s.player_id = a.player_id
     WHERE a.kind = 'seat' AND a.table_id = $1 AND a.balance > 0
     ORDER BY a.id`,
    [tableId],
  )) as Array<{ player_id: string; username: string; balance: string; seat_number: number | null }>;
  return rows.map((r) => ({ playerId: r.player_id, username: r.username, balance: r.balance, seatNumber: r.seat_number }));
}
