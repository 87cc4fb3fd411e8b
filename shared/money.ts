/**
 * Money for Felt. Every chip amount is a decimal.js value from the `Money` constructor below, never a
 * JS number: binary floating point cannot represent 0.1, and a poker server that rounds silently
 * creates or destroys chips. Amounts cross the wire and the database as decimal strings.
 */
import Decimal from 'decimal.js';

/**
 * A private Decimal constructor so that no other library's global Decimal configuration can change
 * how we round. Precision 40 is far above any stake we accept (15 integer + 8 fraction digits), so
 * arithmetic on valid amounts is always exact; the only rounding is the explicit one in this module.
 */
export const Money = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});

/** A chip amount. Always produced by `Money` and always a non-negative multiple of a table unit where it is a stack. */
export type Chips = Decimal;

/** The zero amount, shared because Decimal values are immutable. */
export const ZERO: Chips = new Money(0);

/** Largest number of integer digits accepted in an amount string (a trillion units is beyond any table). */
export const MAX_INTEGER_DIGITS = 15;
/** Largest number of fraction digits any unit may have. */
export const MAX_FRACTION_DIGITS = 8;
/** Longest amount string we will even look at; anything longer is rejected before parsing. */
export const MAX_AMOUNT_STRING_LENGTH = MAX_INTEGER_DIGITS + 1 + MAX_FRACTION_DIGITS;

const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,8})?$/;

/** Why an amount string was refused. */
export type AmountError = 'malformed' | 'too_many_decimals' | 'negative' | 'too_large';

/** The outcome of parsing an amount: a value or a reason, never an exception. */
export type AmountResult = { ok: true; value: Chips } | { ok: false; reason: AmountError };

/**
 * Parses a decimal string strictly: plain digits, an optional fraction, no sign, exponent, spaces,
 * hex or leading zeros. When `unit` is given the amount must be a whole multiple of it, so "1.005" at a
 * 0.01 table is refused rather than rounded.
 */
export function parseAmount(input: unknown, unit?: Chips): AmountResult {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_AMOUNT_STRING_LENGTH) {
    return { ok: false, reason: input === '' || typeof input !== 'string' ? 'malformed' : 'too_large' };
  }
  if (input.startsWith('-')) return { ok: false, reason: 'negative' };
  const match = AMOUNT_PATTERN.exec(input);
  if (!match) return { ok: false, reason: /^[0-9]{16,}/.test(input) ? 'too_large' : 'malformed' };
  const value = new Money(input);
  if (unit && !isMultipleOf(value, unit)) return { ok: false, reason: 'too_many_decimals' };
  return { ok: true, value };
}

/** Parses an amount that is already known to be valid (constants, database NUMERIC strings); throws otherwise. */
export function chips(input: string | number): Chips {
  if (typeof input === 'number') {
    // Numbers are only accepted for small integer literals in code and tests, never for amounts read from outside.
    if (!Number.isSafeInteger(input)) throw new Error(`chips(): ${input} is not a safe integer`);
    return new Money(input);
  }
  const value = new Money(input);
  if (!value.isFinite()) throw new Error(`chips(): ${input} is not a finite amount`);
  return value;
}

/** True when `amount` is a whole number of `unit`s. */
export function isMultipleOf(amount: Chips, unit: Chips): boolean {
  if (unit.lte(0)) throw new Error('unit must be positive');
  return amount.mod(unit).isZero();
}

/** Number of fraction digits a unit has: 1 → 0, 0.01 → 2, 0.05 → 2. */
export function unitDecimals(unit: Chips): number {
  return unit.decimalPlaces();
}

/** Formats an amount with exactly the unit's number of decimals ("1.50" at a 0.01 table, "15" at a 1 table). */
export function formatAmount(amount: Chips, unit?: Chips): string {
  const places = unit ? unitDecimals(unit) : amount.decimalPlaces();
  return amount.toFixed(places);
}

/** Rounds to a whole number of units, halves away from zero (the rule for rake). */
export function roundHalfUpToUnit(amount: Chips, unit: Chips): Chips {
  return amount.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(unit);
}

/** Rounds down to a whole number of units (the rule for each share of a split pot). */
export function floorToUnit(amount: Chips, unit: Chips): Chips {
  return amount.div(unit).toDecimalPlaces(0, Decimal.ROUND_DOWN).mul(unit);
}

/** Sum of a list of amounts; zero for an empty list. */
export function sumChips(amounts: readonly Chips[]): Chips {
  let total: Chips = ZERO;
  for (const a of amounts) total = total.plus(a);
  return total;
}

/** Smaller of two amounts. */
export function minChips(a: Chips, b: Chips): Chips {
  return a.lte(b) ? a : b;
}

/** Larger of two amounts. */
export function maxChips(a: Chips, b: Chips): Chips {
  return a.gte(b) ? a : b;
}

/**
 * Divides `amount` among `shareCount` recipients in whole units: every share is the floor of the exact
 * share, and the leftover units (fewer than `shareCount`) are returned so the caller can hand them
 * out by its own rule. Invariant: share * shareCount + leftoverUnits * unit == amount.
 */
export function splitEvenly(amount: Chips, shareCount: number, unit: Chips): { share: Chips; leftoverUnits: number } {
  if (!Number.isInteger(shareCount) || shareCount <= 0) throw new Error('shareCount must be a positive integer');
  if (!isMultipleOf(amount, unit)) throw new Error(`amount ${amount.toString()} is not a multiple of unit ${unit.toString()}`);
  const share = floorToUnit(amount.div(shareCount), unit);
  const leftover = amount.minus(share.mul(shareCount)).div(unit);
  // The leftover is a small whole number (< shareCount), so converting this count (not an amount) is exact.
  const leftoverUnits = leftover.toNumber();
  if (!Number.isInteger(leftoverUnits) || leftoverUnits < 0 || leftoverUnits >= shareCount) {
    throw new Error('splitEvenly invariant broken');
  }
  return { share, leftoverUnits };
}
