/**
 * Creating and reading `poker_table` rows. The database CHECKs guard shapes (blinds > 0, sb <= bb,
 * min <= max buy-in); this module adds the rule the database cannot express simply: every amount is a
 * whole number of the table's unit.
 */
import { chips, isMultipleOf, type Chips } from '../../../shared/money';
import { LedgerError, pgCode, toLedgerError } from '../ledger/errors';
import { normalizeAmount } from '../ledger/amounts';
import type { Db } from '../ledger/db';
import type { Variant } from '../../../shared/engine/types';

/** The time bank a table gets when its creator names none. */
export const DEFAULT_TIME_BANK_MS = 30_000;


/** Parameters of a new table. */
export interface CreateTableParams {
  name: string;
  variant: Variant;
  maxSeats: number;
  unit: Chips;
  smallBlind: Chips;
  bigBlind: Chips;
  ante?: Chips;
  minBuyIn: Chips;
  maxBuyIn: Chips;
  rakePercent?: Chips;
  rakeCap?: Chips;
  actionTimeoutMs: number;
  /** Extra time each player may draw on once the action timer runs out (refilled slowly per hand). */
  timeBankMs?: number;
}

/** A table as stored. */
export interface PokerTable extends Required<CreateTableParams> {
  id: string;
  status: 'open' | 'closed';
  nextHandNumber: bigint;
  createdAt: Date;
}

/** Checks the unit rules and inserts the table; returns its id. */
export async function createTable(db: Db, params: CreateTableParams): Promise<{ id: string }> {
  const unit = normalizeAmount(params.unit);
  if (unit.lte(0)) throw new LedgerError('invalid_amount', 'unit must be positive');
  const amounts = {
    smallBlind: normalizeAmount(params.smallBlind),
    bigBlind: normalizeAmount(params.bigBlind),
    ante: normalizeAmount(params.ante ?? chips(0)),
    minBuyIn: normalizeAmount(params.minBuyIn),
    maxBuyIn: normalizeAmount(params.maxBuyIn),
    rakeCap: normalizeAmount(params.rakeCap ?? chips(0)),
  };
  for (const [field, value] of Object.entries(amounts)) {
    if (value.lt(0) || !isMultipleOf(value, unit)) {
      throw new LedgerError('invalid_amount', `${field} must be a non-negative multiple of the unit ${unit.toFixed()}`);
    }
  }
  const rakePercent = normalizeAmount(params.rakePercent ?? chips(0));
  try {
    // The table and its own house_rake account are created in one statement (see the per-table-rake migration).
    const rows = (await db.query(
      `WITH t AS (
         INSERT INTO poker_table (name, variant, max_seats, unit, small_blind, big_blind, ante, min_buy_in, max_buy_in,
                                  rake_percent, rake_cap, action_timeout_ms, time_bank_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id
       ), r AS (INSERT INTO account (kind, table_id, balance) SELECT 'house_rake', t.id, 0 FROM t)
       SELECT id FROM t`,
      [
        params.name,
        params.variant,
        params.maxSeats,
        unit.toFixed(),
        amounts.smallBlind.toFixed(),
        amounts.bigBlind.toFixed(),
        amounts.ante.toFixed(),
        amounts.minBuyIn.toFixed(),
        amounts.maxBuyIn.toFixed(),
        rakePercent.toFixed(),
        amounts.rakeCap.toFixed(),
        params.actionTimeoutMs,
        params.timeBankMs ?? DEFAULT_TIME_BANK_MS,
      ],
    )) as { id: string }[];
    return { id: rows[0]!.id };
  } catch (error) {
    // A CHECK violation here means the parameters were out of range (e.g. small blind above big blind).
    if (pgCode(error) === '23514') throw new LedgerError('invalid_amount', 'table parameters out of range', { cause: error });
    throw toLedgerError(error);
  }
}

/** A poker_table row as the driver returns it (NUMERIC columns arrive as strings). */
export interface TableRow {
  id: string;
  name: string;
  variant: Variant;
  max_seats: number;
  unit: string;
  small_blind: string;
  big_blind: string;
  ante: string;
  min_buy_in: string;
  max_buy_in: string;
  rake_percent: string;
  rake_cap: string;
  action_timeout_ms: number;
  time_bank_ms: number;
  status: 'open' | 'closed';
  next_hand_number: string;
  created_at: Date;
}

/** Reads one table, or throws table_not_found. */
export async function getTable(db: Db, tableId: string): Promise<PokerTable> {
  const rows = (await db.query(`SELECT * FROM poker_table WHERE id = $1`, [tableId]).catch((error: unknown) => {
    // A malformed id cannot name a table.
    throw pgCode(error) === '22P02' ? new LedgerError('table_not_found') : toLedgerError(error);
  })) as TableRow[];
  const r = rows[0];
  if (!r) throw new LedgerError('table_not_found');
  return { ...tableSettingsOf(r), nextHandNumber: BigInt(r.next_hand_number), createdAt: r.created_at };
}

/** A table's settings and status from its row (NUMERIC columns arrive as strings). */
export function tableSettingsOf(r: Omit<TableRow, 'next_hand_number' | 'created_at'>): Omit<PokerTable, 'nextHandNumber' | 'createdAt'> {
  return {
    id: r.id,
    name: r.name,
    variant: r.variant,
    maxSeats: Number(r.max_seats),
    unit: chips(r.unit),
    smallBlind: chips(r.small_blind),
    bigBlind: chips(r.big_blind),
    ante: chips(r.ante),
    minBuyIn: chips(r.min_buy_in),
    maxBuyIn: chips(r.max_buy_in),
    rakePercent: chips(r.rake_percent),
    rakeCap: chips(r.rake_cap),
    actionTimeoutMs: Number(r.action_timeout_ms),
    timeBankMs: Number(r.time_bank_ms),
    status: r.status,
  };
}

/** What an admin may change on a table between hands (never the variant, seat count or unit). */
export type TableChanges = Pick<
  Required<CreateTableParams>,
  'name' | 'smallBlind' | 'bigBlind' | 'ante' | 'minBuyIn' | 'maxBuyIn' | 'rakePercent' | 'rakeCap' | 'actionTimeoutMs' | 'timeBankMs'
>;

/** Stores new settings of an open table; table_not_found when there is no such open table. */
export async function updateTable(db: Db, tableId: string, c: TableChanges): Promise<void> {
  try {
    const rows = (await db.query(
      `UPDATE poker_table SET name = $2, small_blind = $3, big_blind = $4, ante = $5, min_buy_in = $6, max_buy_in = $7,
              rake_percent = $8, rake_cap = $9, action_timeout_ms = $10, time_bank_ms = $11
       WHERE id = $1 AND status = 'open' RETURNING id`,
      [tableId, c.name, c.smallBlind.toFixed(), c.bigBlind.toFixed(), c.ante.toFixed(), c.minBuyIn.toFixed(), c.maxBuyIn.toFixed(),
        c.rakePercent.toFixed(), c.rakeCap.toFixed(), c.actionTimeoutMs, c.timeBankMs],
    )) as Array<{ id: string }>;
    if (!rows[0]) throw new LedgerError('table_not_found');
  } catch (error) {
    if (pgCode(error) === '23514') throw new LedgerError('invalid_amount', 'table parameters out of range', { cause: error });
    throw toLedgerError(error);
  }
}

/** Marks a table closed once its actor has cashed every seat out (idempotent). */
export async function markTableClosed(db: Db, tableId: string): Promise<void> {
  await db.query(`UPDATE poker_table SET status = 'closed' WHERE id = $1`, [tableId]);
}
