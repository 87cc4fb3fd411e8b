/**
 * Account rows: finding, creating and locking them, and the one statement that writes a transfer.
 * Locking rule (the reason deadlocks do not happen): every transaction locks all the accounts it
 * touches in ONE `… ORDER BY id FOR UPDATE` before reading any balance, so account locks are always
 * taken in ascending id order, and balances are read only from those locked rows. Wallet and house_cash
 * moves use `lockAccounts` below. Hand settlement (settle-sql.ts) first flips its hand row from
 * in_progress to settled (a row no other transfer locks), then in the same statement locks the hand's
 * seat accounts and the table's own house_rake account (one per table since the per-table-rake
 * migration), again in ascending id order; only that table's settlements touch that rake account.
 * house_cash and the table-less house_rake hold the two highest ids (see the ledger migration), so
 * they are always the last locks a transaction takes.
 */
import { chips, type Chips } from '../../../shared/money';
import type { TransferKind } from '../persistence/entities/transfer.entity';
import type { AccountKind } from '../persistence/entities/account.entity';
import { LedgerError } from './errors';
import { preparedQuery, type Queryable } from './db';

/** A locked account as read inside the transaction. */
export interface LockedAccount {
  id: string;
  kind: AccountKind;
  playerId: string | null;
  tableId: string | null;
  balance: Chips;
}

interface AccountRow {
  id: string;
  kind: AccountKind;
  player_id: string | null;
  table_id: string | null;
  balance: string;
}

const ACCOUNT_COLUMNS = `a.id::text AS id, a.kind, a.player_id, a.table_id, a.balance::text AS balance`;

function toLocked(row: AccountRow): LockedAccount {
  return { id: row.id, kind: row.kind, playerId: row.player_id, tableId: row.table_id, balance: chips(row.balance) };
}

/** Creates the player's wallet with a zero balance unless it exists; a missing player is player_not_found. */
export async function insertWalletIfMissing(db: Queryable, playerId: string): Promise<void> {
  await db.query(
    `INSERT INTO account (kind, player_id, balance) VALUES ('wallet', $1, 0)
     ON CONFLICT (player_id) WHERE kind = 'wallet' DO NOTHING`,
    [playerId],
  );
}

/** Creates the player's seat account at a table unless it exists (seat accounts are reused). */
export async function insertSeatIfMissing(db: Queryable, playerId: string, tableId: string): Promise<void> {
  await db.query(
    `INSERT INTO account (kind, player_id, table_id, balance) VALUES ('seat', $1, $2, 0)
     ON CONFLICT (table_id, player_id) WHERE kind = 'seat' DO NOTHING`,
    [playerId, tableId],
  );
}

/** What a transaction needs locked: a player's wallet, seat at a table, house accounts, or ids. */
export interface LockRequest {
  walletOf?: string;
  seatOf?: { playerId: string; tableId: string };
  house?: ('house_rake' | 'house_cash')[];
  ids?: string[];
}

/** Locks the requested accounts in ascending id order with one statement and returns them. */
export async function lockAccounts(db: Queryable, request: LockRequest): Promise<LockedAccount[]> {
  const rows = (await db.query(
    // `ORDER BY a.id` must name the bigint column: the bare alias `id` is the text output column.
    `SELECT ${ACCOUNT_COLUMNS} FROM account a
     WHERE (a.kind = 'wallet' AND a.player_id = $1::uuid)
        OR (a.kind = 'seat' AND a.player_id = $2::uuid AND a.table_id = $3::uuid)
        OR (a.kind = ANY($4::text[]) AND a.kind IN ('house_rake', 'house_cash'))
        OR a.id = ANY($5::bigint[])
     ORDER BY a.id FOR UPDATE`,
    [
      request.walletOf ?? null,
      request.seatOf?.playerId ?? null,
      request.seatOf?.tableId ?? null,
      request.house ?? [],
      request.ids ?? [],
    ],
  )) as AccountRow[];
  return rows.map(toLocked);
}

/** Picks one locked account by kind, or throws `missing` when it is not there. */
export function pick(accounts: LockedAccount[], kind: AccountKind, missing: LedgerError): LockedAccount {
  const found = accounts.find((a) => a.kind === kind);
  if (!found) throw missing;
  return found;
}

/** One leg of a transfer: a signed amount for a locked account. */
export interface Leg {
  account: LockedAccount;
  amount: Chips;
}

/** The transfer row to insert. */
export interface TransferRow {
  kind: TransferKind;
  idempotencyKey: string;
  paramsHash: string;
  handId?: string | null;
  tableId?: string | null;
  playerId?: string | null;
  actorId?: string | null;
  reason?: string | null;
  result: Record<string, unknown>;
}

/**
 * The single write statement of every transfer: inserts the transfer, adds each leg to its account and
 * appends the ledger entries with the new balances, in one round trip. The accounts are already locked
 * by the caller, so `balance + amount` here equals the balance the caller computed from the locked read.
 */
export const WRITE_TRANSFER_SQL = `
WITH t AS (
  INSERT INTO transfer (kind, idempotency_key, params_hash, hand_id, table_id, player_id, actor_id, reason, result)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) RETURNING id
), u AS (
  UPDATE account a SET balance = a.balance + v.amount
  FROM unnest($10::bigint[], $11::numeric[]) AS v(id, amount)
  WHERE a.id = v.id
  RETURNING a.id, v.amount, a.balance
), e AS (
  INSERT INTO ledger_entry (transfer_id, account_id, amount, balance_after)
  SELECT t.id, u.id, u.amount, u.balance FROM t, u
  RETURNING 1
)
SELECT t.id::text AS id, (SELECT count(*) FROM e)::int AS entries FROM t`;

/** Parameters for WRITE_TRANSFER_SQL, in order. */
export function writeTransferParams(row: TransferRow, legs: readonly Leg[]): unknown[] {
  return [
    row.kind,
    row.idempotencyKey,
    row.paramsHash,
    row.handId ?? null,
    row.tableId ?? null,
    row.playerId ?? null,
    row.actorId ?? null,
    row.reason ?? null,
    JSON.stringify(row.result),
    legs.map((l) => l.account.id),
    legs.map((l) => l.amount.toString()),
  ];
}

/**
 * Checks the legs (sum exactly zero, no account twice, wallets and seats stay non-negative) and writes
 * the transfer. Returns the new transfer id. A broken sum is a bug in the caller, so it throws `internal`.
 */
export async function writeTransfer(db: Queryable, row: TransferRow, legs: readonly Leg[]): Promise<string> {
  let total = chips(0);
  const seen = new Set<string>();
  for (const leg of legs) {
    if (!leg.amount.isFinite()) throw new LedgerError('invalid_amount', 'non-finite leg amount');
    if (seen.has(leg.account.id)) throw new LedgerError('internal', `account ${leg.account.id} appears twice in one transfer`);
    seen.add(leg.account.id);
    total = total.plus(leg.amount);
    const after = leg.account.balance.plus(leg.amount);
    if ((leg.account.kind === 'wallet' || leg.account.kind === 'seat') && after.lt(0)) {
      throw new LedgerError('insufficient_funds');
    }
  }
  if (!total.isZero()) throw new LedgerError('internal', `transfer legs sum to ${total.toString()}, not zero`);
  const rows = await preparedQuery<{ id: string; entries: number }>(db, 'felt_write_transfer', WRITE_TRANSFER_SQL, writeTransferParams(row, legs));
  const written = rows[0];
  if (!written || written.entries !== legs.length) {
    throw new LedgerError('internal', `transfer wrote ${written?.entries ?? 0} of ${legs.length} entries`);
  }
  return written.id;
}
