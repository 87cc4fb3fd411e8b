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
import { nonNegativeAmount, positiveAmount, requireKey } from './amounts';
import { dataSourceOf, runTransfer, type Db, type Queryable } from './db';
import { LedgerError } from './errors';
import { findTransferByKey, paramsHash, replayOf } from './idempotency';
import { assertFence, type Fence } from './fence';
import { recordSeatNumber } from './seat-numbers';

export { LedgerError } from './errors';
// Hand settlement and voiding (with group commit) live in hand-settlement.ts; callers reach them here.
export { settleHand, voidHand, voidInProgressHands } from './hand-settlement';
export type { SettleHandParams, SettleResult, SettlementDelta, SettleTarget, VoidHandParams, VoidResult } from './hand-settlement';
export { GroupCommit, groupCommitFor } from './group-commit';
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

/** Re-exported so callers validating amounts use the same rules as the ledger. */
export { nonNegativeAmount, positiveAmount };
