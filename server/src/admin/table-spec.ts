/**
 * Validation of an admin's "create table" request. Every amount is a strict decimal string that must be
 * a whole number of the table unit, and the stakes must make sense together (blinds ordered, buy-in
 * range covering at least one big blind), so a table that cannot deal a legal hand is never created.
 * Refusals are DomainErrors (no transport here); the router maps them to HTTP.
 */
import { z } from 'zod';
import { VARIANTS } from '../../../shared/engine/types';
import { DEFAULT_TIME_BANK_MS, type CreateTableParams } from '../persistence/poker-tables';
import { type Chips, chips, isMultipleOf, parseAmount, ZERO } from '../../../shared/money';
import { HOUSE_UNIT } from '../auth/house-unit';
import { DomainError } from '../domain-error';

/** Highest rake percentage an admin may set. */
export const MAX_RAKE_PERCENT = 10;
/** Default and bounds of the per-action timer. */
export const DEFAULT_ACTION_TIMEOUT_MS = 15_000;
export const MIN_ACTION_TIMEOUT_MS = 1_000;
export const MAX_ACTION_TIMEOUT_MS = 120_000;
/** Largest time bank a table may give each player. */
export const MAX_TIME_BANK_MS = 300_000;

const amountString = z.string().max(40);

/** The request body of POST /api/admin/tables. */
export const createTableSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    variant: z.enum(VARIANTS),
    maxSeats: z.number().int().min(2).max(10),
    smallBlind: amountString,
    bigBlind: amountString,
    ante: amountString.optional(),
    minBuyIn: amountString,
    maxBuyIn: amountString,
    rakePercent: amountString.optional(),
    rakeCap: amountString.optional(),
    actionTimeoutMs: z.number().int().min(MIN_ACTION_TIMEOUT_MS).max(MAX_ACTION_TIMEOUT_MS).optional(),
    timeBankMs: z.number().int().min(0).max(MAX_TIME_BANK_MS).optional(),
    unit: amountString.optional(),
  })
  .strict();

/** The request body of PATCH /api/admin/tables/:tableId: what may change between hands. */
export const patchTableSchema = createTableSchema
  .pick({ name: true, smallBlind: true, bigBlind: true, ante: true, minBuyIn: true, maxBuyIn: true, rakePercent: true, rakeCap: true, actionTimeoutMs: true, timeBankMs: true })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'name at least one setting to change');

/** A validated table definition, amounts as Chips: exactly what the ledger's createTable stores. */
export type TableSpec = Required<CreateTableParams>;

function amount(field: string, text: string, unit: Chips | undefined, allowZero: boolean): Chips {
  const parsed = parseAmount(text, unit);
  if (!parsed.ok) {
    const why = parsed.reason === 'too_many_decimals' ? `is not a multiple of the unit ${unit?.toString() ?? ''}` : `is ${parsed.reason}`;
    throw new DomainError('invalid_amount', `${field} ${why}`.trim());
  }
  if (!allowZero && parsed.value.isZero()) throw new DomainError('invalid_amount', `${field} must be greater than zero`);
  return parsed.value;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new DomainError('invalid_amount', message);
}

/** Checks a parsed create-table body and returns the table definition; throws invalid_amount naming the problem. */
export function validateTableSpec(body: z.infer<typeof createTableSchema>): TableSpec {
  const unit = amount('unit', body.unit ?? '0.01', undefined, false);
  // Chips move between tables and wallets, and wallets hold whole cents, so a table unit finer than a
  // cent could produce a stack that cannot be cashed out exactly.
  check(isMultipleOf(unit, HOUSE_UNIT), 'unit must be a multiple of 0.01');
  const spec: TableSpec = {
    name: body.name,
    variant: body.variant,
    maxSeats: body.maxSeats,
    unit,
    smallBlind: amount('smallBlind', body.smallBlind, unit, false),
    bigBlind: amount('bigBlind', body.bigBlind, unit, false),
    ante: body.ante === undefined ? ZERO : amount('ante', body.ante, unit, true),
    minBuyIn: amount('minBuyIn', body.minBuyIn, unit, false),
    maxBuyIn: amount('maxBuyIn', body.maxBuyIn, unit, false),
    rakePercent: body.rakePercent === undefined ? ZERO : amount('rakePercent', body.rakePercent, chips('0.01'), true),
    rakeCap: body.rakeCap === undefined ? ZERO : amount('rakeCap', body.rakeCap, unit, true),
    actionTimeoutMs: body.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS,
    timeBankMs: body.timeBankMs ?? DEFAULT_TIME_BANK_MS,
  };
  check(spec.smallBlind.lte(spec.bigBlind), 'smallBlind must not exceed bigBlind');
  check(spec.minBuyIn.lte(spec.maxBuyIn), 'minBuyIn must not exceed maxBuyIn');
  check(spec.minBuyIn.gte(spec.bigBlind), 'minBuyIn must be at least bigBlind');
  check(spec.ante.lte(spec.bigBlind), 'ante must not exceed bigBlind');
  check(spec.rakePercent.lte(MAX_RAKE_PERCENT), `rakePercent must be between 0 and ${MAX_RAKE_PERCENT}`);
  return spec;
}
