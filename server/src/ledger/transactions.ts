/**
 * Every chip movement in Felt. Each exported operation is one database transaction that:
 * takes an idempotency key; locks every account it touches with one `SELECT … ORDER BY id FOR UPDATE`
 * before reading any balance; updates balances and appends ledger entries in one statement; and
 * produces a transfer whose entries sum to exactly zero (checked here and again by the database at
 * COMMIT). Replaying a key with the same parameters returns the original result and moves nothing.
 */
import { chips, isMultipleOf, type Chips } from '../../../shared/money';
import type { TransferKind } from '../persistence/entities/transfer.entity';
import { insertSeatIfMissing, insertWalletIfMissing, lockAccounts, pick, writeTransfer, type Leg } from './accounts';
import { nonNegativeAmount, normalizeAmount, positiveAmount, requireKey } from './amounts';
import { dataSourceOf, preparedQuery, runTransfer, type Db, type Queryable } from './db';
import { LedgerError } from './errors';
import { findTransferByKey, paramsHash, replayOf } from './idempotency';
import { SETTLE_LOCK_SQL, VOID_CAS_SQL, type SettleLockRow } from './settle-sql';
import { assertFence, type Fence } from './fence';
import { recordSeatNumber } from './seat-numbers';

export { LedgerError } from './errors';
export { getWalletBalance, getSeatBalance, listSeatBalances, getHouseBalance } from './balances';
export type { Db } from './db';

/** Stored results are JSON: amounts are decimal strings. */
type Stored = Record<string, string> & { transferId: string };

/**
 * What `perform` answers: the stored result, and whether this call only replayed an earlier one. A
 * replay moved nothing now, so a caller must never treat its (historic) balances as current: the
 * table refuses replayed buy-ins and top-ups instead of seating chips the ledger does not hold.
 */
interface Performed {
  stored: Stored;
  replayed: boolean;
}

/**
 * The common frame of non-hand operations: reject a reused key up front (replay or conflict), else
 * run `body` inside the transaction; a concurrent call that inserted the same key first is answered
 * from its committed row.
 */
async function perform(
  db: Db,
  kind: TransferKind,
  key: string,
  params: Record<string, unknown>,
  body: (em: Queryable, hash: string) => Promise<Stored>,
): Promise<Performed> {
  requireKey(key);
  const hash = paramsHash({ kind, ...params });
  const fromStore = async (q: Queryable): Promise<Performed | undefined> => {
    const stored = await findTransferByKey(q, key);
    return stored && { stored: replayOf<Stored>(stored, kind, hash), replayed: true };
  };
  return runTransfer(
    db,
    async (em) => (await fromStore(em)) ?? { stored: await body(em, hash), replayed: false },
    async () => {
      const replay = await fromStore(dataSourceOf(db));
      if (!replay) throw new LedgerError('internal', 'idempotency key vanished after a unique violation');
      return replay;
    },
  );
}

/** Creates the player's wallet with balance 0 if it does not exist (idempotent). */
export async function ensureWallet(db: Db, playerId: string): Promise<void> {
  await runTransfer(db, (em) => insertWalletIfMissing(em, playerId));
}

/** Parameters of `credit`. */
export interface CreditParams {
  playerId: string;
  amount: Chips;
  idempotencyKey: string;
  actorId?: string;
  reason?: string;
}

/** Moves `amount` from house_cash (the source of all chips) into the player's wallet. */
export async function credit(db: Db, p: CreditParams): Promise<{ transferId: string; walletBalance: Chips }> {
  const amount = positiveAmount(p.amount);
  const r = await perform(db, 'credit', p.idempotencyKey, { playerId: p.playerId, amount: amount.toString() }, async (em, hash) => {
    await insertWalletIfMissing(em, p.playerId);
    const locked = await lockAccounts(em, { walletOf: p.playerId, house: ['house_cash'] });
    const wallet = pick(locked, 'wallet', new LedgerError('player_not_found'));
    const cash = pick(locked, 'house_cash', new LedgerError('internal', 'house_cash account is missing'));
    const walletBalance = wallet.balance.plus(amount).toString();
    const result = { walletBalance };
    const transferId = await writeTransfer(
      em,
      { kind: 'credit', idempotencyKey: p.idempotencyKey, paramsHash: hash, playerId: p.playerId, actorId: p.actorId, reason: p.reason, result },
      [{ account: cash, amount: amount.neg() }, { account: wallet, amount }],
    );
    return { ...result, transferId };
  });
  return { transferId: r.stored.transferId, walletBalance: chips(r.stored.walletBalance!) };
}

/** Parameters of `debit`. */
export interface DebitParams {
  playerId: string;
  amount: Chips;
  idempotencyKey: string;
  actorId: string;
  /** Why the chips leave (a withdrawal's reference); recorded on the transfer. */
  reason: string;
}

/**
 * Moves `amount` from the player's wallet back to house_cash (a withdrawal): the mirror of `credit`.
 * More than the wallet holds is insufficient_funds and moves nothing.
 */
export async function debit(db: Db, p: DebitParams): Promise<{ transferId: string; walletBalance: Chips }> {
  const amount = positiveAmount(p.amount);
  if (!p.reason || p.reason.trim().length === 0) throw new LedgerError('invalid_payload', 'a debit needs a reason');
  const params = { playerId: p.playerId, amount: amount.toString(), reason: p.reason };
  const r = await perform(db, 'debit', p.idempotencyKey, params, async (em, hash) => {
    const locked = await lockAccounts(em, { walletOf: p.playerId, house: ['house_cash'] });
    const wallet = pick(locked, 'wallet', new LedgerError('insufficient_funds', 'the player has no wallet balance'));
    const cash = pick(locked, 'house_cash', new LedgerError('internal', 'house_cash account is missing'));
    if (wallet.balance.lt(amount)) throw new LedgerError('insufficient_funds', `the wallet holds ${wallet.balance.toFixed(2)}`);
    const result = { walletBalance: wallet.balance.minus(amount).toString() };
    const transferId = await writeTransfer(
      em,
      { kind: 'debit', idempotencyKey: p.idempotencyKey, paramsHash: hash, playerId: p.playerId, actorId: p.actorId, reason: p.reason, result },
      [{ account: wallet, amount: amount.neg() }, { account: cash, amount }],
    );
    return { ...result, transferId };
  });
  return { transferId: r.stored.transferId, walletBalance: chips(r.stored.walletBalance!) };
}

/** Parameters of `buyIn` and `topUp`. */
export interface SeatMoveParams {
  playerId: string;
  tableId: string;
  amount: Chips;
  idempotencyKey: string;
  /** The caller's table lease, checked inside the transaction (table actors always pass it). */
  fence?: Fence;
  /** The seat number a buy-in takes, remembered so a takeover can seat the player there again. */
  seatNumber?: number;
}

/** Result of `buyIn` and `topUp`. */
export interface SeatMoveResult {
  transferId: string;
  walletBalance: Chips;
  /** The seat balance this transfer committed; historic (not current) when `replayed`. */
  seatBalance: Chips;
  /** True when the key was already used: this call moved nothing. */
  replayed: boolean;
}

/** Moves `amount` from the wallet to the player's seat account at the table (created, or reused). */
export async function buyIn(db: Db, p: SeatMoveParams): Promise<SeatMoveResult> {
  return walletToSeat(db, 'buy_in', p);
}

/** Adds `amount` from the wallet to an existing seat account (not_seated when there is none). */
export async function topUp(db: Db, p: SeatMoveParams): Promise<SeatMoveResult> {
  return walletToSeat(db, 'top_up', p);
}

async function tableUnit(em: Queryable, tableId: string): Promise<Chips> {
  const rows = (await em.query(`SELECT unit::text AS unit FROM poker_table WHERE id = $1`, [tableId])) as { unit: string }[];
  const row = rows[0];
  if (!row) throw new LedgerError('table_not_found');
  return chips(row.unit);
}

async function walletToSeat(db: Db, kind: 'buy_in' | 'top_up', p: SeatMoveParams): Promise<SeatMoveResult> {
  const amount = positiveAmount(p.amount);
  const params = { playerId: p.playerId, tableId: p.tableId, amount: amount.toString() };
  const r = await perform(db, kind, p.idempotencyKey, params, async (em, hash) => {
    await assertFence(em, p.fence);
    if (!isMultipleOf(amount, await tableUnit(em, p.tableId))) throw new LedgerError('invalid_amount', 'amount is finer than the table unit');
    await insertWalletIfMissing(em, p.playerId);
    if (kind === 'buy_in') await insertSeatIfMissing(em, p.playerId, p.tableId);
    const locked = await lockAccounts(em, { walletOf: p.playerId, seatOf: p });
    const wallet = pick(locked, 'wallet', new LedgerError('player_not_found'));
    const seat = pick(locked, 'seat', new LedgerError('not_seated'));
    if (wallet.balance.lt(amount)) throw new LedgerError('insufficient_funds');
    if (kind === 'buy_in' && p.seatNumber !== undefined) await recordSeatNumber(em, p.tableId, p.playerId, p.seatNumber);
    const result = { walletBalance: wallet.balance.minus(amount).toString(), seatBalance: seat.balance.plus(amount).toString() };
    const transferId = await writeTransfer(
      em,
      { kind, idempotencyKey: p.idempotencyKey, paramsHash: hash, playerId: p.playerId, tableId: p.tableId, result },
      [{ account: wallet, amount: amount.neg() }, { account: seat, amount }],
    );
    return { ...result, transferId };
  });
  const { stored } = r;
  return { transferId: stored.transferId, walletBalance: chips(stored.walletBalance!), seatBalance: chips(stored.seatBalance!), replayed: r.replayed };
}

/** Parameters of `cashOut`. */
export interface CashOutParams {
  playerId: string;
  tableId: string;
  idempotencyKey: string;
  /** The caller's table lease, checked inside the transaction (table actors always pass it). */
  fence?: Fence;
}

/**
 * Moves the whole seat balance back to the wallet. A zero (or missing) seat balance still records a
 * transfer, with no entries, so the key has an answer. Call it between hands only: chips committed in
 * the current hand are still in the seat account until settlement.
 */
export async function cashOut(db: Db, p: CashOutParams): Promise<{ transferId: string; amount: Chips; walletBalance: Chips; replayed: boolean }> {
  const params = { playerId: p.playerId, tableId: p.tableId };
  const r = await perform(db, 'cash_out', p.idempotencyKey, params, async (em, hash) => {
    await assertFence(em, p.fence);
    await insertWalletIfMissing(em, p.playerId);
    const locked = await lockAccounts(em, { walletOf: p.playerId, seatOf: p });
    const wallet = pick(locked, 'wallet', new LedgerError('player_not_found'));
    const seat = locked.find((a) => a.kind === 'seat');
    const amount = seat?.balance ?? chips(0);
    const legs: Leg[] = seat && amount.gt(0) ? [{ account: seat, amount: amount.neg() }, { account: wallet, amount }] : [];
    const result = { amount: amount.toString(), walletBalance: wallet.balance.plus(amount).toString() };
    const transferId = await writeTransfer(
      em,
      { kind: 'cash_out', idempotencyKey: p.idempotencyKey, paramsHash: hash, playerId: p.playerId, tableId: p.tableId, result },
      legs,
    );
    return { ...result, transferId };
  });
  const { stored } = r;
  return { transferId: stored.transferId, amount: chips(stored.amount!), walletBalance: chips(stored.walletBalance!), replayed: r.replayed };
}

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
 * Settles a hand as ONE transfer of kind hand_settlement: every listed seat account gets its signed net
 * and the table's house_rake account gets the rake, and the hand flips in_progress → settled by
 * compare-and-swap. Round trips: BEGIN, CAS + locks (seats and rake, id order), write, COMMIT. A hand
 * already final answers hand_already_final, unless this
 * is a replay of the same key and parameters, which returns the original result.
 */
export async function settleHand(db: Db, p: SettleHandParams): Promise<SettleResult> {
  const plan = planSettlement(p);
  const answer = (q: Queryable) => finalHandAnswer<SettleResult>(q, p.handId, plan.key, 'hand_settlement', plan.hash);
  const r = await runTransfer(
    db,
    async (em) => {
      await assertFence(em, p.fence);
      return (await settleLocked(em, p, plan)) ?? answer(em);
    },
    () => answer(dataSourceOf(db)),
  );
  return { transferId: r.transferId, seatBalances: r.seatBalances };
}

async function settleLocked(em: Queryable, p: SettleHandParams, plan: SettlePlan): Promise<SettleResult | undefined> {
  const rows = await preparedQuery<SettleLockRow>(em, 'felt_settle_lock', SETTLE_LOCK_SQL, [
    p.handId,
    p.seed,
    JSON.stringify(p.result ?? null),
    plan.deltas.map((d) => d.playerId),
  ]);
  const tableId = rows[0]?.table_id;
  if (tableId === undefined) return undefined;
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
export async function voidHand(db: Db, p: VoidHandParams): Promise<VoidResult> {
  const key = requireKey(p.idempotencyKey);
  if (!p.reason || p.reason.trim().length === 0) throw new LedgerError('invalid_payload', 'a void needs a reason');
  if (p.seed !== undefined && !/^[0-9a-f]+$/.test(p.seed)) throw new LedgerError('invalid_payload', 'seed must be lowercase hex');
  const hash = paramsHash({ kind: 'void_refund', handId: p.handId.toLowerCase(), reason: p.reason, seed: p.seed ?? null });
  const answer = (q: Queryable) => finalHandAnswer<VoidResult>(q, p.handId, key, 'void_refund', hash);
  const r = await runTransfer(
    db,
    async (em) => {
      await assertFence(em, p.fence);
      const rows = (await em.query(VOID_CAS_SQL, [p.handId, p.reason, p.seed ?? null])) as { table_id: string }[];
      if (!rows[0]) return answer(em);
      const result = { handId: p.handId, status: 'voided' as const };
      const transferId = await writeTransfer(
        em,
        { kind: 'void_refund', idempotencyKey: key, paramsHash: hash, handId: p.handId, tableId: rows[0].table_id, reason: p.reason, result },
        [],
      );
      return { ...result, transferId };
    },
    () => answer(dataSourceOf(db)),
  );
  return { transferId: r.transferId, handId: r.handId, status: 'voided' };
}

/**
 * Startup recovery: voids every in_progress hand (optionally only at `tableIds`), recording `reason`.
 * Each hand is voided in its own transaction with key `recovery-void:<handId>`; a hand that another
 * process finished meanwhile is skipped. Returns how many hands this call voided.
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

/** Re-exported so callers validating amounts use the same rules as the ledger. */
export { nonNegativeAmount, positiveAmount };
