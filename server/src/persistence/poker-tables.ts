/**
 * Creating, reading and updating `poker_table` rows through TypeORM (these are not hot paths: an admin
 * action or a table actor starting). The database CHECKs guard shapes (blinds > 0, sb <= bb,
 * min <= max buy-in); this module adds the rule the database cannot express simply: every amount is a
 * whole number of the table's unit.
 */
import { chips, isMultipleOf, type Chips } from '../../../shared/money';
import { LedgerError, pgCode, toLedgerError } from '../ledger/errors';
import { normalizeAmount } from '../ledger/amounts';
import type { Db } from '../ledger/db';
import type { Variant } from '../../../shared/engine/types';
import { AccountEntity } from './entities/account.entity';
import { PokerTableEntity } from './entities/poker-table.entity';
import { isUuid } from './uuid';

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
    // The table and its own house_rake account commit together (see the per-table-rake migration).
    return await db.transaction(async (em) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(PokerTableEntity)
        .values({
          name: params.name,
          variant: params.variant,
          maxSeats: params.maxSeats,
          unit: unit.toFixed(),
          smallBlind: amounts.smallBlind.toFixed(),
          bigBlind: amounts.bigBlind.toFixed(),
          ante: amounts.ante.toFixed(),
          minBuyIn: amounts.minBuyIn.toFixed(),
          maxBuyIn: amounts.maxBuyIn.toFixed(),
          rakePercent: rakePercent.toFixed(),
          rakeCap: amounts.rakeCap.toFixed(),
          actionTimeoutMs: params.actionTimeoutMs,
          timeBankMs: params.timeBankMs ?? DEFAULT_TIME_BANK_MS,
        })
        .returning(['id'])
        .updateEntity(false)
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]!.id;
      await em.createQueryBuilder().insert().into(AccountEntity).values({ kind: 'house_rake', tableId: id, balance: '0' }).updateEntity(false).execute();
      return { id };
    });
  } catch (error) {
    // A CHECK violation here means the parameters were out of range (e.g. small blind above big blind).
    if (pgCode(error) === '23514') throw new LedgerError('invalid_amount', 'table parameters out of range', { cause: error });
    throw toLedgerError(error);
  }
}

/** A stored table as TypeORM loads it (NUMERIC columns arrive as strings, bigint too). */
export type TableRow = PokerTableEntity;

/** Reads one table row, or null when there is none (a malformed id names no table). */
export async function findTable(db: Db, tableId: string): Promise<TableRow | null> {
  if (!isUuid(tableId)) return null;
  return db.getRepository(PokerTableEntity).findOneBy({ id: tableId });
}

/** The open tables in creation order, at most `limit` of them (the public lobby). */
export async function listOpenTables(db: Db, limit: number): Promise<TableRow[]> {
  return db.getRepository(PokerTableEntity).find({ where: { status: 'open' }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
}

/** Reads one table, or throws table_not_found. */
export async function getTable(db: Db, tableId: string): Promise<PokerTable> {
  const r = await findTable(db, tableId).catch((error: unknown) => {
    throw toLedgerError(error);
  });
  if (!r) throw new LedgerError('table_not_found');
  return { ...tableSettingsOf(r), nextHandNumber: BigInt(r.nextHandNumber), createdAt: r.createdAt };
}

/** A table's settings and status from its row (NUMERIC columns arrive as strings). */
export function tableSettingsOf(r: Omit<TableRow, 'nextHandNumber' | 'createdAt'>): Omit<PokerTable, 'nextHandNumber' | 'createdAt'> {
  return {
    id: r.id,
    name: r.name,
    variant: r.variant,
    maxSeats: Number(r.maxSeats),
    unit: chips(r.unit),
    smallBlind: chips(r.smallBlind),
    bigBlind: chips(r.bigBlind),
    ante: chips(r.ante),
    minBuyIn: chips(r.minBuyIn),
    maxBuyIn: chips(r.maxBuyIn),
    rakePercent: chips(r.rakePercent),
    rakeCap: chips(r.rakeCap),
    actionTimeoutMs: Number(r.actionTimeoutMs),
    timeBankMs: Number(r.timeBankMs),
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
    const result = await db
      .createQueryBuilder()
      .update(PokerTableEntity)
      .set({
        name: c.name,
        smallBlind: c.smallBlind.toFixed(),
        bigBlind: c.bigBlind.toFixed(),
        ante: c.ante.toFixed(),
        minBuyIn: c.minBuyIn.toFixed(),
        maxBuyIn: c.maxBuyIn.toFixed(),
        rakePercent: c.rakePercent.toFixed(),
        rakeCap: c.rakeCap.toFixed(),
        actionTimeoutMs: c.actionTimeoutMs,
        timeBankMs: c.timeBankMs,
      })
      .where('id = :tableId AND status = :open', { tableId, open: 'open' })
      .execute();
    if (!result.affected) throw new LedgerError('table_not_found');
  } catch (error) {
    if (pgCode(error) === '23514') throw new LedgerError('invalid_amount', 'table parameters out of range', { cause: error });
    throw toLedgerError(error);
  }
}

/** Marks a table closed once its actor has cashed every seat out (idempotent). */
export async function markTableClosed(db: Db, tableId: string): Promise<void> {
  await db.getRepository(PokerTableEntity).update({ id: tableId }, { status: 'closed' });
}
