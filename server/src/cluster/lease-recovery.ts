/**
 * What a node does with a table whose lease it just took, before the table's actor starts: only this
 * table, only under the new epoch (every step is fenced, so a faster node cannot be undone by a slower
 * one). The hand the previous owner left in progress is voided (its bets never left the seat accounts,
 * so voiding returns every stake). Then the seats: after a crash or a lost lease (`own`, `expired`)
 * the players were never told anything, so they get their seats back, active and disconnected until
 * they reconnect (any node), with the seat balances as stacks; after an orderly shutdown (`released`) or
 * for a table that never had an owner (`new`), players were told the server went away (or there were
 * none), so their chips go back to their wallets as a restart always did.
 */
import type { DataSource } from 'typeorm';
import { chips } from '../../../shared/money';
import { cashOut, voidHand, LedgerError } from '../ledger/transactions';
import type { Fence } from '../ledger/fence';
import { listSeatHoldings, type SeatHolding } from '../ledger/seat-numbers';
import type { TableConfig, TableSeat } from '../table/table-types';
import type { LeaseOrigin, TakenLease } from './lease-store';

/** Most in-progress hands one table can have (the actor deals one at a time; more is a bug elsewhere). */
export const MAX_HANDS_VOIDED_PER_TABLE = 100;

/** What recovering one table did. */
export interface TableRecovery {
  voidedHands: number;
  /** Seats cashed out to wallets (after an orderly release). */
  seatsReturned: number;
  /** Seats given back to their players (after a crash or a lost lease); null when none are restored. */
  seats: Array<TableSeat | null> | null;
}

/** True when the previous owner stopped without telling its players: their seats are restored. */
export function restoresSeats(origin: LeaseOrigin): boolean {
  return origin === 'own' || origin === 'expired';
}

/** Voids the table's in-progress hands under `fence`; returns how many this call voided. */
export async function voidTableHands(ds: DataSource, fence: Fence, reason: string): Promise<number> {
  const rows = (await ds.query(
    `SELECT id FROM hand WHERE table_id = $1 AND status = 'in_progress' ORDER BY started_at, id LIMIT $2`,
    [fence.tableId, MAX_HANDS_VOIDED_PER_TABLE],
  )) as Array<{ id: string }>;
  let voided = 0;
  for (const { id } of rows) {
    try {
      await voidHand(ds, { handId: id, reason, idempotencyKey: `recovery-void:${id}`, fence });
      voided++;
    } catch (error) {
      // Another recovery of the same hand (an earlier epoch's, say) finished it first: nothing to do.
      if (!(error instanceof LedgerError) || (error.code !== 'hand_already_final' && error.code !== 'idempotency_conflict')) throw error;
    }
  }
  return voided;
}

/** Recovers the table whose lease was just `taken`; `nowMs` stamps the restored seats' absence. */
export async function recoverTable(ds: DataSource, taken: TakenLease, config: TableConfig, nowMs: number): Promise<TableRecovery> {
  const fence: Fence = { tableId: taken.tableId, nodeId: taken.nodeId, epoch: taken.epoch };
  const restore = restoresSeats(taken.origin);
  const reason = restore
    ? `owner node lost (${taken.previousNodeId || 'unknown'}; table taken over at epoch ${taken.epoch})`
    : `server restart (table taken at epoch ${taken.epoch})`;
  const voidedHands = await voidTableHands(ds, fence, reason);
  const holdings = await listSeatHoldings(ds, taken.tableId);
  if (restore) {
    const { seats, unplaced } = placeSeats(holdings, config, taken.epoch, nowMs);
    const seatsReturned = await returnToWallets(ds, fence, unplaced);
    return { voidedHands, seatsReturned, seats };
  }
  return { voidedHands, seatsReturned: await returnToWallets(ds, fence, holdings), seats: null };
}

async function returnToWallets(ds: DataSource, fence: Fence, holdings: readonly SeatHolding[]): Promise<number> {
  for (const h of holdings) {
    await cashOut(ds, { playerId: h.playerId, tableId: fence.tableId, idempotencyKey: `restart-cash-out:${fence.tableId}:${fence.epoch}:${h.playerId}`, fence });
  }
  return holdings.length;
}

/**
 * Seats every holding at its remembered seat number, or at the first free seat when that number is
 * unknown (a buy-in from before seat numbers were recorded) or taken; holdings that find no seat at
 * all (more chips-holding players than seats, which the actor never allows) are returned to wallets.
 */
export function placeSeats(
  holdings: readonly SeatHolding[],
  config: TableConfig,
  epoch: string,
  nowMs: number,
): { seats: Array<TableSeat | null>; unplaced: SeatHolding[] } {
  const seats: Array<TableSeat | null> = Array.from({ length: config.maxSeats }, () => null);
  const later: SeatHolding[] = [];
  for (const h of holdings) {
    const wanted = h.seatNumber;
    if (wanted !== null && wanted < config.maxSeats && !seats[wanted]) seats[wanted] = restoredSeat(h, wanted, config, epoch, nowMs);
    else later.push(h);
  }
  const unplaced: SeatHolding[] = [];
  for (const h of later) {
    const free = seats.findIndex((s) => s === null);
    if (free < 0) unplaced.push(h);
    else seats[free] = restoredSeat(h, free, config, epoch, nowMs);
  }
  return { seats, unplaced };
}

/**
 * A seat given back after a takeover. Its session id names the epoch, so its cash-out key is new
 * (an earlier session's cash-out key would only replay and strand the chips), and unique (one
 * takeover per epoch).
 */
function restoredSeat(h: SeatHolding, seat: number, config: TableConfig, epoch: string, nowMs: number): TableSeat {
  return {
    seat,
    playerId: h.playerId,
    username: h.username,
    stack: chips(h.balance),
    sessionId: `restored-epoch-${epoch}`,
    // Active but disconnected: a player whose node died reconnects to another node and plays on at once.
    // One who does not come back is handled like any absent player: timed out in hands, sat out by the
    // seat clock after SEAT_DISCONNECT_SITOUT_MS and stood up later (whether the seat sat out before the
    // crash lived only in the dead node's memory).
    state: { kind: 'active', topUp: { kind: 'none' } },
    presence: { kind: 'disconnected', since: nowMs },
    timeouts: 0,
    timeBankMs: config.timeBankMs,
  };
}
