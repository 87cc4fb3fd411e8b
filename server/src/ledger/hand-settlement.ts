/**
 * How a hand ends in the ledger: settled (one zero-sum hand_settlement transfer) or voided (an empty
 * void_refund transfer). Either way the hand flips out of in_progress by compare-and-swap, and the
 * rest of the hand's history (the events after the deal, buffered by the table) is written in the same
 * transaction, so a played hand commits twice in all: at hand start and here.
 *
 * Each operation runs either as its own transaction (`Db`) or as one item of a group commit
 * (`GroupCommit`): then it shares the COMMIT with other tables' settlements, inside its own savepoint,
 * keeping its own CAS, idempotency key, locks in id order and zero-sum check. Its locks are only rows of
 * its own table (the hand, its seat accounts, the table's house_rake account), never wallets or
 * house_cash, so settlements of one group cannot wait for each other.
 */
import { chips, type Chips } from '../../../shared/money';
import type { TransferKind } from '../persistence/entities/transfer.entity';
import { appendHandEvents, type HandEventInput } from '../persistence/hands';
import { writeTransfer, type Leg } from './accounts';
import { nonNegativeAmount, normalizeAmount, requireKey } from './amounts';
import { dataSourceOf, preparedQuery, runTransfer, type Db, type Queryable } from './db';
import { LedgerError } from './errors';
import { GroupCommit } from './group-commit';
import { assertFence, type Fence } from './fence';
import { findTransferByKey, paramsHash, replayOf } from './idempotency';
import { SETTLE_LOCK_SQL, SETTLE_LOCK_WITH_EVENTS_SQL, VOID_CAS_SQL, type SettleLockRow } from './settle-sql';
import type { EntityManager } from 'typeorm';

/** Where a hand-ending operation runs: its own transaction, or a group commit shared with other tables. */
export type SettleTarget = Db | GroupCommit;

/** One player's signed net result of a hand: positive won, negative lost. */
export interface SettlementDelta {
  playerId: string;
  amount: Chips;
}

/** Parameters of `settleHand`. Invariant: sum(deltas) + rake == 0 exactly. */
export interface SettleHandParams {
  handId: string;
  idempotencyKey: string;
  deltas: SettlementDelta[];
  rake: Chips;
  /** The revealed deck seed (hex); its sha256 must be the hand's commitment. */
  seed: string;
  /** Engine result summary, stored on the hand (not part of the idempotency parameters). */
  result: unknown;
  /** The hand's events not yet stored (everything after the deal), written in this transaction. */
  events?: readonly HandEventInput[];
  /** The caller's table lease, checked inside the transaction (table actors always pass it). */
  fence?: Fence;
}

/** Result of `settleHand`: each listed player's seat balance after settlement, as decimal strings. */
export interface SettleResult {
  transferId: string;
  seatBalances: Record<string, string>;
}

interface SettlePlan {
  key: string;
  hash: string;
  deltas: { playerId: string; amount: Chips }[];
  rake: Chips;
}

/** Validates a settlement before touching the database; a non-zero sum is a bug in the caller and throws. */
function planSettlement(p: SettleHandParams): SettlePlan {
  const key = requireKey(p.idempotencyKey);
  if (typeof p.seed !== 'string' || !/^[0-9a-f]+$/.test(p.seed)) throw new LedgerError('invalid_payload', 'seed must be lowercase hex');
  const rake = nonNegativeAmount(p.rake);
  const deltas = p.deltas.map((d) => ({ playerId: d.playerId.toLowerCase(), amount: normalizeAmount(d.amount) }));
  if (new Set(deltas.map((d) => d.playerId)).size !== deltas.length) throw new LedgerError('internal', 'a player appears twice in one settlement');
  const total = deltas.reduce((sum, d) => sum.plus(d.amount), rake);
  if (!total.isZero()) throw new LedgerError('internal', `settlement does not balance: deltas + rake = ${total.toString()}`);
  const canonical = [...deltas].sort((a, b) => (a.playerId < b.playerId ? -1 : 1)).map((d) => [d.playerId, d.amount.toString()]);
  const hash = paramsHash({ kind: 'hand_settlement', handId: p.handId.toLowerCase(), deltas: canonical, rake: rake.toString(), seed: p.seed });
  return { key, hash, deltas, rake };
}

/**
 * Runs `work` (which ends a hand) on `target`: alone in its own transaction (retried on 40001/40P01),
 * or as one savepoint of a group commit. `answer` replies when the CAS lost or the key was taken.
 */
function runHandEnd<T>(target: SettleTarget, work: (em: EntityManager) => Promise<T>, answer: (q: Queryable) => Promise<T>): Promise<T> {
  if (target instanceof GroupCommit) return target.run(work, answer);
  return runTransfer(target, work, () => answer(dataSourceOf(target)));
}

/**
 * Settles a hand as ONE transfer of kind hand_settlement: every listed seat account gets its signed net
 * and the table's house_rake account gets the rake, and the hand flips in_progress → settled by
 * compare-and-swap; the hand's remaining events are stored with it. Round trips: CAS + events + locks
 * (seats and rake, id order), then write (plus BEGIN/COMMIT, or one savepoint switch in a group). A hand
 * already final answers hand_already_final, unless this is a replay of the same key and parameters,
 * which returns the original result.
 */
export async function settleHand(target: SettleTarget, p: SettleHandParams): Promise<SettleResult> {
  const plan = planSettlement(p);
  const answer = (q: Queryable) => finalHandAnswer<SettleResult>(q, p.handId, plan.key, 'hand_settlement', plan.hash);
  const r = await runHandEnd(target, async (em) => (await settleLocked(em, p, plan)) ?? answer(em), answer);
  return { transferId: r.transferId, seatBalances: r.seatBalances };
}

async function settleLocked(em: EntityManager, p: SettleHandParams, plan: SettlePlan): Promise<SettleResult | undefined> {
  // The lease fence goes first: in a group commit this runs inside this settlement's own savepoint, so a
  // fenced refusal fails this settlement alone.
  await assertFence(em, p.fence);
  const events = p.events ?? [];
  const values = [p.handId, p.seed, JSON.stringify(p.result ?? null), plan.deltas.map((d) => d.playerId)];
  // The history rides in the CAS statement: one round trip less while the locks are held.
  const rows =
    events.length === 0
      ? await preparedQuery<SettleLockRow>(em, 'felt_settle_lock', SETTLE_LOCK_SQL, values)
      : await preparedQuery<SettleLockRow>(em, 'felt_settle_lock_events', SETTLE_LOCK_WITH_EVENTS_SQL, [
          ...values,
          events.map((e) => e.seq),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.payload ?? null)),
        ]);
  const tableId = rows[0]?.table_id;
  if (tableId === undefined) return undefined;
  if (events.length > 0 && rows[0]!.events !== events.length) {
    throw new LedgerError('internal', `settlement stored ${rows[0]!.events ?? 0} of ${events.length} hand events`);
  }
  const accounts = rows.filter((r) => r.id !== null).map((r) => ({
    id: r.id!,
    kind: r.kind!,
    playerId: r.player_id,
    tableId,
    balance: chips(r.balance!),
  }));
  const legs: Leg[] = [];
  const seatBalances: Record<string, string> = {};
  for (const d of plan.deltas) {
    const seat = accounts.find((a) => a.kind === 'seat' && a.playerId === d.playerId);
    if (!seat) throw new LedgerError('not_seated', `player ${d.playerId} has no seat account at this table`);
    legs.push({ account: seat, amount: d.amount });
    seatBalances[d.playerId] = seat.balance.plus(d.amount).toString();
  }
  if (plan.rake.gt(0)) {
    const house = accounts.find((a) => a.kind === 'house_rake');
    if (!house) throw new LedgerError('internal', 'this table has no house_rake account');
    legs.push({ account: house, amount: plan.rake });
  }
  const result = { handId: p.handId, seatBalances, rake: plan.rake.toString() };
  const transferId = await writeTransfer(
    em,
    { kind: 'hand_settlement', idempotencyKey: plan.key, paramsHash: plan.hash, handId: p.handId, tableId, result },
    legs,
  );
  return { transferId, seatBalances };
}

/** Why a hand could not be finalised: a replay of this key, a key conflict, unknown hand, or already final. */
async function finalHandAnswer<T>(q: Queryable, handId: string, key: string, kind: TransferKind, hash: string): Promise<T> {
  const stored = await findTransferByKey(q, key);
  if (stored) return replayOf<T>(stored, kind, hash);
  const rows = (await q.query(`SELECT status FROM hand WHERE id = $1`, [handId])) as { status: string }[];
  if (!rows[0]) throw new LedgerError('hand_not_found');
  throw new LedgerError('hand_already_final', `hand is ${rows[0].status}`);
}

/** Parameters of `voidHand`. */
export interface VoidHandParams {
  handId: string;
  reason: string;
  idempotencyKey: string;
  seed?: string;
  /** The hand's events not yet stored, written in the void's transaction so its history stays complete. */
  events?: readonly HandEventInput[];
  /** The caller's table lease, checked inside the transaction (table actors and takeover recovery pass it). */
  fence?: Fence;
}

/** Result of `voidHand`. */
export interface VoidResult {
  transferId: string;
  handId: string;
  status: 'voided';
}

/**
 * Voids a hand (CAS in_progress → voided). Chips bet during a hand never left the seat accounts, so
 * there is nothing to refund: the hand's final transfer is a void_refund with NO entries, which keeps
 * "every finished hand has exactly one final transfer" true and records who voided it and why.
 */
export async function voidHand(target: SettleTarget, p: VoidHandParams): Promise<VoidResult> {
  const key = requireKey(p.idempotencyKey);
  if (!p.reason || p.reason.trim().length === 0) throw new LedgerError('invalid_payload', 'a void needs a reason');
  if (p.seed !== undefined && !/^[0-9a-f]+$/.test(p.seed)) throw new LedgerError('invalid_payload', 'seed must be lowercase hex');
  const hash = paramsHash({ kind: 'void_refund', handId: p.handId.toLowerCase(), reason: p.reason, seed: p.seed ?? null });
  const answer = (q: Queryable) => finalHandAnswer<VoidResult>(q, p.handId, key, 'void_refund', hash);
  const r = await runHandEnd(
    target,
    async (em) => {
      // The lease fence first, as in settleLocked.
      await assertFence(em, p.fence);
      const rows = (await em.query(VOID_CAS_SQL, [p.handId, p.reason, p.seed ?? null])) as { table_id: string }[];
      if (!rows[0]) return answer(em);
      await appendHandEvents(em, p.handId, p.events ?? []);
      const result = { handId: p.handId, status: 'voided' as const };
      const transferId = await writeTransfer(
        em,
        { kind: 'void_refund', idempotencyKey: key, paramsHash: hash, handId: p.handId, tableId: rows[0].table_id, reason: p.reason, result },
        [],
      );
      return { ...result, transferId };
    },
    answer,
  );
  return { transferId: r.transferId, handId: r.handId, status: 'voided' };
}

/**
 * Startup recovery: voids every in_progress hand (optionally only at `tableIds`), recording `reason`.
 * Each hand is voided in its own transaction with key `recovery-void:<handId>`; a hand that another
 * process finished meanwhile is skipped. Returns how many hands this call voided. A hand cut short by a
 * crash keeps the history it had stored: its deal (the rest was only in the dead process's memory).
 */
export async function voidInProgressHands(db: Db, p: { tableIds?: string[]; reason: string }): Promise<number> {
  const rows = (await db.query(
    `SELECT id FROM hand WHERE status = 'in_progress' AND ($1::uuid[] IS NULL OR table_id = ANY($1::uuid[])) ORDER BY started_at, id`,
    [p.tableIds ?? null],
  )) as { id: string }[];
  let voided = 0;
  for (const { id } of rows) {
    try {
      await voidHand(db, { handId: id, reason: p.reason, idempotencyKey: `recovery-void:${id}` });
      voided++;
    } catch (error) {
      if (!(error instanceof LedgerError) || (error.code !== 'hand_already_final' && error.code !== 'idempotency_conflict')) throw error;
    }
  }
  return voided;
}
