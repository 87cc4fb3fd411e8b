/**
 * Hand rows and their event log. Starting a hand moves no chips (chips bet during a hand move only at
 * settlement), so these are plain inserts; settlement and voiding live in transactions.ts.
 */
import type { Chips } from '../../../shared/money';
import { LedgerError, SeatDriftError, pgCode, toLedgerError } from '../ledger/errors';
import type { DataSource, EntityManager } from 'typeorm';
import type { Db } from '../ledger/db';
import type { CommitmentScheme } from '../../../shared/engine/deck-commitment';
import { assertFence, type Fence } from '../ledger/fence';

/** Parameters of a new hand. `handNumber` defaults to the table's next number. */
export interface StartHandParams {
  tableId: string;
  handNumber?: number | bigint;
  buttonSeat: number;
  config: unknown;
  /** The deck commitment published before the first card (hex), made under `commitmentScheme`. */
  commitment: string;
  commitmentScheme: CommitmentScheme;
}

/**
 * Inserts a hand `in_progress` and advances the table's next_hand_number in the same statement.
 * Calling it again with the same table, number and commitment returns the same hand (a safe retry);
 * the same number with another commitment is an idempotency_conflict.
 */
export async function startHand(db: Db, params: StartHandParams): Promise<{ handId: string; handNumber: string }> {
  const number = params.handNumber === undefined ? null : params.handNumber.toString();
  try {
    const rows = (await db.query(
      `WITH n AS (
         UPDATE poker_table SET next_hand_number = GREATEST(next_hand_number, COALESCE($2::bigint, next_hand_number) + 1)
         WHERE id = $1 RETURNING COALESCE($2::bigint, next_hand_number - 1) AS hand_number
       )
       INSERT INTO hand (table_id, hand_number, button_seat, config, commitment, commitment_scheme)
       SELECT $1, n.hand_number, $3, $4::jsonb, $5, $6 FROM n
       RETURNING id, hand_number::text AS hand_number`,
      [params.tableId, number, params.buttonSeat, JSON.stringify(params.config ?? null), params.commitment, params.commitmentScheme],
    )) as { id: string; hand_number: string }[];
    const row = rows[0];
    if (!row) throw new LedgerError('table_not_found');
    return { handId: row.id, handNumber: row.hand_number };
  } catch (error) {
    if (pgCode(error) !== '23505' || number === null) throw toLedgerError(error);
    const existing = (await db.query(
      `SELECT id, hand_number::text AS hand_number, commitment FROM hand WHERE table_id = $1 AND hand_number = $2`,
      [params.tableId, number],
    )) as { id: string; hand_number: string; commitment: string }[];
    const row = existing[0];
    if (row && row.commitment === params.commitment) return { handId: row.id, handNumber: row.hand_number };
    throw new LedgerError('idempotency_conflict', `hand ${number} already exists at this table`, { cause: error });
  }
}

/** One event of a hand's log. */
export interface HandEventInput {
  seq: number;
  type: string;
  payload: unknown;
}

/**
 * Appends events with one multi-row INSERT. Re-sending events that are already stored identically is a
 * no-op (so a retry after a lost reply is safe); a different event under a used seq is a conflict.
 */
export async function appendHandEvents(db: Db, handId: string, events: readonly HandEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const seqs = events.map((e) => e.seq);
  const types = events.map((e) => e.type);
  const payloads = events.map((e) => JSON.stringify(e.payload ?? null));
  try {
    const rows = (await db.query(
      `WITH v AS (SELECT * FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS v(seq, type, payload)),
       ins AS (
         INSERT INTO hand_event (hand_id, seq, type, payload) SELECT $1, seq, type, payload FROM v
         ON CONFLICT (hand_id, seq) DO NOTHING RETURNING seq
       )
       SELECT (SELECT count(*) FROM ins)::int AS inserted,
              (SELECT count(*) FROM v JOIN hand_event h
                 ON h.hand_id = $1 AND h.seq = v.seq AND h.type = v.type AND h.payload = v.payload)::int AS same`,
      [handId, seqs, types, payloads],
    )) as { inserted: number; same: number }[];
    const row = rows[0]!;
    // `same` sees only rows committed before this statement, i.e. exactly the ones that were not inserted now.
    if (row.inserted + row.same !== events.length) {
      throw new LedgerError('idempotency_conflict', 'a different event was already stored under one of these seq numbers');
    }
  } catch (error) {
    throw toLedgerError(error);
  }
}

/**
 * Hand history is written with asynchronous commit (`synchronous_commit = off`): the commit returns
 * before the WAL reaches the disk, so a busy table does not wait for an fsync per batch of events.
 * Nothing is lost that matters: WAL is flushed in order, and the settlement of a hand commits
 * synchronously, so by the time a hand is settled and its result shown, its row and every earlier event
 * are durable too. A crash before settlement can drop the unflushed tail of an unsettled hand's
 * history; that hand moved no chips and is voided (or, if its row was lost, never existed) at restart.
 */
async function inAsyncCommit<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(async (em) => {
    await em.query(`SET LOCAL synchronous_commit TO OFF`);
    return fn(em);
  });
}

/** The stack a table actor holds for a player it is about to deal in. */
export interface SeatStack {
  playerId: string;
  stack: Chips;
}

/**
 * Compares the actor's stacks with the seat accounts, in the transaction that starts the hand, so no
 * hand is ever dealt over chips the ledger does not hold (the drift check before every deal). Dealt
 * players have no chip movement in flight (the actor defers top-ups and cash-outs of players in a hand),
 * so their seat balance must equal their stack exactly.
 */
export async function checkSeatStacks(db: Db, tableId: string, stacks: readonly SeatStack[]): Promise<void> {
  if (stacks.length === 0) return;
  const rows = (await db.query(
    `SELECT player_id::text AS player_id, balance::text AS balance FROM account
     WHERE kind = 'seat' AND table_id = $1 AND player_id = ANY($2::uuid[])`,
    [tableId, stacks.map((s) => s.playerId)],
  )) as { player_id: string; balance: string }[];
  const held = new Map(rows.map((r) => [r.player_id, r.balance]));
  for (const s of stacks) {
    const balance = held.get(s.playerId.toLowerCase());
    if (balance === undefined || !s.stack.eq(balance)) {
      throw new SeatDriftError(`seat of ${s.playerId} at table ${tableId}: ledger holds ${balance ?? 'no account'}, table has ${s.stack.toString()}`);
    }
  }
}

/** Inserts a hand and its first events (the deal) in one asynchronously committed transaction, after the drift check. */
export async function startHandWithEvents(
  ds: DataSource,
  params: StartHandParams,
  events: readonly HandEventInput[],
  seatStacks: readonly SeatStack[] = [],
  fence?: Fence,
): Promise<{ handId: string }> {
  return inAsyncCommit(ds, async (em) => {
    await assertFence(em, fence);
    await checkSeatStacks(em, params.tableId, seatStacks);
    const { handId } = await startHand(em, params);
    await appendHandEvents(em, handId, events);
    return { handId };
  });
}

/** Appends events of a running hand in one asynchronously committed transaction. */
export async function appendHandEventsAsync(ds: DataSource, handId: string, events: readonly HandEventInput[], fence?: Fence): Promise<void> {
  if (events.length === 0) return;
  await inAsyncCommit(ds, async (em) => {
    await assertFence(em, fence);
    await appendHandEvents(em, handId, events);
  });
}
