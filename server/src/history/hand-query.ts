/**
 * Reading hand history for admins: a filtered, cursor-paginated search over `hand`, the full stored
 * record of one or many hands, and a player's ledger statement. Read-only SQL; nothing here moves chips.
 * Cursors are keyset positions (started_at, id) so paging stays correct while new hands are written.
 */
import { In, type DataSource } from 'typeorm';
import { AccountEntity } from '../persistence/entities/account.entity';
import { HandEventEntity } from '../persistence/entities/hand-event.entity';
import { PlayerEntity } from '../persistence/entities/player.entity';
import { type Chips, ZERO, chips, formatAmount, sumChips } from '../../../shared/money';
import { HOUSE_UNIT } from '../auth/house-unit';
import type { StoredEntry, StoredEvent, StoredHand, StoredTransfer } from './hand-record';

/** Most rows one search page may return. */
export const MAX_PAGE = 200;

/** Search filters; all optional. `from`/`to` bound started_at (inclusive / exclusive). */
export interface HandFilter {
  tableId?: string;
  playerId?: string;
  /** A player's username (case-insensitive), for admins who do not know the id. */
  username?: string;
  from?: Date;
  to?: Date;
  status?: 'in_progress' | 'settled' | 'voided';
}

/** One row of the search result. */
export interface HandSummary {
  handId: string;
  /** The table's own count (1, 2, … per table). */
  handNumber: string;
  /** Unique across the site, increasing in start order: the number exports use. */
  siteHandNumber: string;
  tableId: string;
  tableName: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
  players: Array<{ seat: number; playerId: string; username: string; stack: string }>;
  pot: string | null;
  rake: string | null;
  winners: Array<{ playerId: string; username: string; amount: string }>;
}

interface HandRow {
  id: string;
  table_id: string;
  table_name: string;
  hand_number: string;
  site_hand_number: string;
  status: StoredHand['status'];
  button_seat: number;
  config: unknown;
  commitment: string;
  commitment_scheme: string;
  seed: string | null;
  void_reason: string | null;
  result: unknown;
  started_at: Date;
  ended_at: Date | null;
  started_text: string;
}

const HAND_COLUMNS = `h.id, h.table_id, t.name AS table_name, h.hand_number::text AS hand_number,
  h.site_hand_number::text AS site_hand_number, h.status, h.button_seat,
  h.config, h.commitment, h.commitment_scheme, h.seed, h.void_reason, h.result, h.started_at, h.ended_at, h.started_at::text AS started_text`;

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The shape of `started_at::text` under the server's ISO DateStyle, e.g. 2026-12-01 22:44:22.123456+00.
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d){0,2}$/;

/** True when `text` is a timestamptz as PostgreSQL prints it, with a real calendar date and time. */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** Encodes a keyset position as an opaque string. */
export function encodeCursor(startedText: string, id: string): string {
  return Buffer.from(JSON.stringify([startedText, id]), 'utf8').toString('base64url');
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): { startedAt: string; id: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') return undefined;
    // Both halves reach PostgreSQL as ::timestamptz and ::uuid, so anything PostgreSQL would refuse is
    // refused here: a crafted cursor is bad input (400), never a failed query (500).
    if (!UUID_TEXT.test(v[1]) || !isTimestampText(v[0])) return undefined;
    return { startedAt: v[0], id: v[1] };
  } catch {
    return undefined;
  }
}

function whereOf(f: HandFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.tableId) add((p) => `h.table_id = ${p}::uuid`, f.tableId);
  if (f.playerId) add((p) => `h.config->'seats' @> ${p}::jsonb`, JSON.stringify([{ playerId: f.playerId }]));
  if (f.username) {
    add((p) => `h.config->'seats' @> jsonb_build_array(jsonb_build_object('playerId', (SELECT id::text FROM player WHERE lower(username) = lower(${p}))))`, f.username);
  }
  if (f.from) add((p) => `h.started_at >= ${p}::timestamptz`, f.from.toISOString());
  if (f.to) add((p) => `h.started_at < ${p}::timestamptz`, f.to.toISOString());
  if (f.status) add((p) => `h.status = ${p}`, f.status);
  return clauses.length > 0 ? clauses.join(' AND ') : 'true';
}

async function handRows(ds: DataSource, f: HandFilter, limit: number, cursor?: { startedAt: string; id: string }): Promise<HandRow[]> {
  const params: unknown[] = [];
  let where = whereOf(f, params);
  if (cursor) {
    params.push(cursor.startedAt, cursor.id);
    where += ` AND (h.started_at, h.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(limit);
  // Raw SQL on purpose: the row-value keyset `(started_at, id) < (…)` is what lets hand_started_idx and
  // hand_table_started_idx serve each page (see the hand-history-indexes migration), and the filter
  // (jsonb containment on the seat list among others) is built from the request.
  return (await ds.query(
    `SELECT ${HAND_COLUMNS} FROM hand h JOIN poker_table t ON t.id = h.table_id
     WHERE ${where} ORDER BY h.started_at DESC, h.id DESC LIMIT $${params.length}`,
    params,
  )) as HandRow[];
}

async function usernames(ds: DataSource, ids: Iterable<string>): Promise<Record<string, string>> {
  const list = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (list.length === 0) return {};
  const rows = await ds.getRepository(PlayerEntity).find({ select: { id: true, username: true }, where: { id: In(list) } });
  return Object.fromEntries(rows.map((r) => [r.id, r.username]));
}

type Seats = Array<{ seat: number; playerId: string; stack: string }>;
type Summary = { pots?: Array<{ amount: string; winners: Array<{ playerId: string; amount: string }> }>; rake?: string };

function seatsOf(config: unknown): Seats {
  const seats = (config as { seats?: unknown } | null)?.seats;
  return Array.isArray(seats) ? (seats as Seats) : [];
}

function summaryOf(row: HandRow, names: Record<string, string>): HandSummary {
  const result = (row.result ?? {}) as Summary;
  const pots = Array.isArray(result.pots) ? result.pots : [];
  const won = new Map<string, Chips>();
  for (const p of pots) for (const w of p.winners) won.set(w.playerId, (won.get(w.playerId) ?? ZERO).plus(chips(w.amount)));
  // Keep the stored amounts' number of decimals ("1.50", not "1.5").
  const places = Math.max(0, ...pots.map((p) => (p.amount.split('.')[1] ?? '').length));
  const fmt = (a: Chips) => a.toFixed(places);
  return {
    handId: row.id,
    handNumber: row.hand_number,
    siteHandNumber: row.site_hand_number,
    tableId: row.table_id,
    tableName: row.table_name,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at ? row.ended_at.toISOString() : null,
    status: row.status,
    players: seatsOf(row.config).map((s) => ({ seat: s.seat, playerId: s.playerId, username: names[s.playerId] ?? '', stack: s.stack })),
    pot: row.result ? fmt(sumChips(pots.map((p) => chips(p.amount)))) : null,
    rake: typeof result.rake === 'string' ? result.rake : null,
    winners: [...won].map(([playerId, amount]) => ({ playerId, username: names[playerId] ?? '', amount: fmt(amount) })),
  };
}

/** One page of hands, newest first, and the cursor of the next page (null at the end). */
export async function searchHands(
  ds: DataSource,
  filter: HandFilter,
  limit: number,
  cursor?: string,
): Promise<{ hands: HandSummary[]; nextCursor: string | null }> {
  const position = cursor ? decodeCursor(cursor) : undefined;
  if (cursor && !position) throw new RangeError('cursor');
  const rows = await handRows(ds, filter, Math.min(limit, MAX_PAGE) + 1, position);
  const page = rows.slice(0, Math.min(limit, MAX_PAGE));
  const names = await usernames(ds, page.flatMap((r) => seatsOf(r.config).map((s) => s.playerId)));
  const last = page.at(-1);
  return {
    hands: page.map((r) => summaryOf(r, names)),
    nextCursor: rows.length > page.length && last ? encodeCursor(last.started_text, last.id) : null,
  };
}

/** The ids of up to `cap` hands matching `filter`, oldest first (the order of an export file). */
export async function matchingHandIds(ds: DataSource, filter: HandFilter, cap: number): Promise<string[]> {
  const rows = await handRows(ds, filter, cap);
  return rows.map((r) => r.id).reverse();
}

/** Full stored records of `ids`, in the order given; unknown ids are left out. */
export async function loadHands(ds: DataSource, ids: readonly string[]): Promise<StoredHand[]> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return [];
  // Raw SQL on purpose: the same HAND_COLUMNS as the keyset pages, so both read one row shape; started_at
  // is also read as text because the cursor needs its full microsecond precision, which a JS Date loses.
  const rows = (await ds.query(
    `SELECT ${HAND_COLUMNS} FROM hand h JOIN poker_table t ON t.id = h.table_id WHERE h.id = ANY($1::uuid[])`,
    [valid],
  )) as HandRow[];
  const events = (
    await ds.getRepository(HandEventEntity).find({
      select: { id: true, handId: true, seq: true, type: true, payload: true },
      where: { handId: In(valid) },
      order: { handId: 'ASC', seq: 'ASC' },
    })
  ).map((e) => ({ hand_id: e.handId, seq: e.seq, type: e.type, payload: e.payload as StoredEvent['payload'] }));
  // Only final transfers are linked to hands; naming their kinds lets the partial unique index serve the lookup.
  // Raw SQL on purpose: a three-way outer join flattened into one row per entry, read by toStored.
  const entries = (await ds.query(
    `SELECT t.hand_id, t.id::text AS transfer_id, t.kind, t.idempotency_key, t.reason, t.created_at,
            e.id::text AS entry_id, e.account_id::text AS account_id, a.kind AS account_kind, a.player_id, a.table_id AS account_table_id,
            e.amount::text AS amount, e.balance_after::text AS balance_after
     FROM transfer t LEFT JOIN ledger_entry e ON e.transfer_id = t.id LEFT JOIN account a ON a.id = e.account_id
     WHERE t.hand_id = ANY($1::uuid[]) AND t.kind IN ('hand_settlement', 'void_refund') ORDER BY t.id, e.id`,
    [valid],
  )) as TransferJoinRow[];
  const names = await usernames(ds, [
    ...rows.flatMap((r) => seatsOf(r.config).map((s) => s.playerId)),
    ...entries.map((e) => e.player_id ?? ''),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const group = <T extends { hand_id: string }>(list: T[]) => {
    const out = new Map<string, T[]>();
    for (const item of list) {
      const bucket = out.get(item.hand_id);
      if (bucket) bucket.push(item);
      else out.set(item.hand_id, [item]);
    }
    return out;
  };
  const eventsBy = group(events);
  const entriesBy = group(entries);
  return valid.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toStored(row, eventsBy.get(id) ?? [], entriesBy.get(id) ?? [], names)] : [];
  });
}

interface TransferJoinRow {
  hand_id: string;
  transfer_id: string;
  kind: string;
  idempotency_key: string;
  reason: string | null;
  created_at: Date;
  entry_id: string | null;
  account_id: string | null;
  account_kind: string | null;
  player_id: string | null;
  account_table_id: string | null;
  amount: string | null;
  balance_after: string | null;
}

function toStored(row: HandRow, events: StoredEvent[], joins: TransferJoinRow[], names: Record<string, string>): StoredHand {
  const transfers: StoredTransfer[] = [];
  for (const j of joins) {
    let t = transfers.find((x) => x.transferId === j.transfer_id);
    if (!t) {
      t = { transferId: j.transfer_id, kind: j.kind, idempotencyKey: j.idempotency_key, reason: j.reason, createdAt: j.created_at.toISOString(), entries: [] };
      transfers.push(t);
    }
    if (j.entry_id) {
      const entry: StoredEntry = {
        entryId: j.entry_id, accountId: j.account_id!, accountKind: j.account_kind!, playerId: j.player_id, accountTableId: j.account_table_id,
        amount: j.amount!, balanceAfter: j.balance_after!,
      };
      t.entries.push(entry);
    }
  }
  return {
    handId: row.id, tableId: row.table_id, tableName: (row.config as { tableName?: string } | null)?.tableName ?? row.table_name,
    handNumber: row.hand_number, siteHandNumber: row.site_hand_number, status: row.status, buttonSeat: row.button_seat, config: row.config,
    commitment: row.commitment, commitmentScheme: row.commitment_scheme, seed: row.seed, voidReason: row.void_reason, result: row.result,
    startedAt: row.started_at, endedAt: row.ended_at,
    events: events.map((e) => ({ seq: e.seq, type: e.type, payload: e.payload })),
    transfers, usernames: names,
  };
}

/** One line of a player's statement. */
export interface StatementLine {
  entryId: string;
  transferId: string;
  kind: string;
  account: string;
  tableId: string | null;
  /** The table's name for a seat line; null for the wallet. */
  tableName: string | null;
  handId: string | null;
  amount: string;
  balanceAfter: string;
  createdAt: string;
}

/**
 * A player's ledger statement over all their accounts (wallet and seats), newest first. Each line
 * carries its account's running balance (balance_after), so the statement reads like a bank statement
 * per account. `before` is the entry id to continue below (the previous page's nextCursor).
 */
export async function playerStatement(
  ds: DataSource,
  playerId: string,
  limit: number,
  before?: string,
): Promise<{ accounts: Array<{ accountId: string; kind: string; tableId: string | null; tableName: string | null; balance: string }>; lines: StatementLine[]; nextCursor: string | null }> {
  // Amounts are written in the account's scale: a seat in its table's unit, a wallet in cents.
  const accounts = await ds
    .getRepository(AccountEntity)
    .createQueryBuilder('a')
    .leftJoin('a.table', 'pt')
    .select('a.id::text', 'accountId')
    .addSelect('a.kind', 'kind')
    .addSelect('a.table_id', 'tableId')
    .addSelect('pt.name', 'tableName')
    .addSelect('a.balance::text', 'balance')
    .addSelect('pt.unit::text', 'unit')
    .where('a.player_id = :playerId', { playerId })
    .orderBy('a.id')
    .getRawMany<{ accountId: string; kind: string; tableId: string | null; tableName: string | null; balance: string; unit: string | null }>();
  // Raw SQL on purpose: an id keyset page over a four-table join, one statement per page.
  const rows = (await ds.query(
    `SELECT e.id::text AS "entryId", t.id::text AS "transferId", t.kind, a.kind AS account, a.table_id AS "tableId", pt.name AS "tableName",
            t.hand_id AS "handId", e.amount::text AS amount, e.balance_after::text AS "balanceAfter", e.created_at AS "createdAt",
            pt.unit::text AS unit
     FROM ledger_entry e JOIN account a ON a.id = e.account_id JOIN transfer t ON t.id = e.transfer_id
     LEFT JOIN poker_table pt ON pt.id = a.table_id
     WHERE a.player_id = $1 AND ($2::bigint IS NULL OR e.id < $2::bigint)
     ORDER BY e.id DESC LIMIT $3`,
    [playerId, before ?? null, Math.min(limit, MAX_PAGE) + 1],
  )) as Array<Omit<StatementLine, 'createdAt'> & { createdAt: Date; unit: string | null }>;
  const page = rows.slice(0, Math.min(limit, MAX_PAGE));
  const scale = (amount: string, unit: string | null) => formatAmount(chips(amount), unit === null ? HOUSE_UNIT : chips(unit));
  return {
    accounts: accounts.map(({ unit, ...a }) => ({ ...a, balance: scale(a.balance, unit) })),
    lines: page.map(({ unit, ...r }) => ({ ...r, amount: scale(r.amount, unit), balanceAfter: scale(r.balanceAfter, unit), createdAt: r.createdAt.toISOString() })),
    nextCursor: rows.length > page.length ? page.at(-1)!.entryId : null,
  };
}
