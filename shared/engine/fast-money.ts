/**
 * Allocation-free comparisons and formatting of `Chips` for the hand engine's hot path. Amounts stay
 * decimal.js values; these helpers only avoid decimal.js's habit of constructing a fresh Decimal (and
 * copying its digit array) for the right-hand side of every `cmp`/`lt`/`gt`/`eq`, and for the literal `0`
 * in `x.gt(0)`. That copying was a quarter of the engine's CPU time.
 *
 * They read the documented, typed read-only instance properties `d` (digits, base 1e7, most significant
 * first, normalised), `e` (decimal exponent) and `s` (sign), and follow decimal.js 10's own `cmp`
 * line by line. Non-finite values, and exponents beyond the constructor's range (which decimal.js would
 * clamp when copying), take decimal.js's own path, so every result equals the library's.
 */
import * as moneyModule from '../money';
import { type Chips } from '../money';

// Bound once: tsx/esbuild and swc compile each use of a named import into a getter call, and these
// helpers run several times per engine step.
const { Money, ZERO } = moneyModule;

/** Exponents inside this range are copied unchanged by the Decimal constructor (its minE/maxE are far wider). */
const SAFE_EXPONENT = 1e15;

/** `a.cmp(b)`: -1, 0 or 1 (NaN when either is NaN), without allocating. */
export function cmp(a: Chips, b: Chips): number {
  const ad = a.d;
  const bd = b.d;
  if (!ad || !bd || a.e > SAFE_EXPONENT || b.e > SAFE_EXPONENT || a.e < -SAFE_EXPONENT || b.e < -SAFE_EXPONENT) return a.cmp(b);
  const as = a.s;
  const bs = b.s;
  if (!ad[0] || !bd[0]) return ad[0] ? as : bd[0] ? -bs : 0;
  if (as !== bs) return as;
  if (a.e !== b.e) return (a.e > b.e) !== (as < 0) ? 1 : -1;
  const al = ad.length;
  const bl = bd.length;
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    if (ad[i] !== bd[i]) return (ad[i]! > bd[i]!) !== (as < 0) ? 1 : -1;
  }
  return al === bl ? 0 : (al > bl) !== (as < 0) ? 1 : -1;
}

/** `a.eq(b)`. */
export function eq(a: Chips, b: Chips): boolean {
  return cmp(a, b) === 0;
}

/** `a.lt(b)`. */
export function lt(a: Chips, b: Chips): boolean {
  return cmp(a, b) < 0;
}

/** `a.lte(b)`. */
export function lte(a: Chips, b: Chips): boolean {
  const c = cmp(a, b);
  return c < 0 || c === 0;
}

/** `a.gt(b)`. */
export function gt(a: Chips, b: Chips): boolean {
  return cmp(a, b) > 0;
}

/** `a.gte(b)`. */
export function gte(a: Chips, b: Chips): boolean {
  const c = cmp(a, b);
  return c > 0 || c === 0;
}

/** `a.gt(0)`: positive and not zero (false for NaN). */
export function isPositive(a: Chips): boolean {
  return a.s > 0 && !a.isZero();
}

/** `a.lt(0)`: negative and not zero (false for NaN and -0). */
export function isNegative(a: Chips): boolean {
  return a.s < 0 && !a.isZero();
}

/**
 * True when `x + 0` (or `x - 0`) in decimal.js would give `x` back unchanged: a nonzero, finite Money
 * value short enough that rounding to Money's 40 significant digits cannot touch it (at most 5 words of
 * 7 digits). Other constructors may round differently, so they always take decimal.js's path.
 */
function keptByZero(x: Chips): boolean {
  return x.constructor === Money && !!x.d && x.d.length <= 5 && !x.isZero();
}

/** A +0 of Money: what `x - x` gives in Money (ROUND_HALF_UP never yields -0). */
function isPlainZero(x: Chips): boolean {
  return x.constructor === Money && x.isZero() && x.s > 0;
}

/** `a.plus(b)`, skipping the arithmetic (and its two allocations) when one side is +0 (+0 + +0 = +0 in Money). */
export function plus(a: Chips, b: Chips): Chips {
  if (isPlainZero(b) && (keptByZero(a) || isPlainZero(a))) return isPlainZero(a) ? ZERO : a;
  if (isPlainZero(a) && keptByZero(b)) return b;
  return a.plus(b);
}

/** `a.minus(b)`, skipping the arithmetic when `b` is +0 or equals `a` (+0 - +0 = +0 in Money). */
export function minus(a: Chips, b: Chips): Chips {
  if (isPlainZero(b) && (keptByZero(a) || isPlainZero(a))) return isPlainZero(a) ? ZERO : a;
  if (keptByZero(a) && b.constructor === Money && eq(a, b)) return ZERO;
  return a.minus(b);
}

/** `minChips(a, b)` (a.lte(b) ? a : b), without allocating. */
export function min(a: Chips, b: Chips): Chips {
  return lte(a, b) ? a : b;
}

/** `maxChips(a, b)` (a.gte(b) ? a : b), without allocating. */
export function max(a: Chips, b: Chips): Chips {
  return gte(a, b) ? a : b;
}

/** What the engine needs to know about a table unit, worked out once per hand. */
export interface UnitInfo {
  unit: Chips;
  /** Fraction digits of the unit (formatAmount's `places`). */
  places: number;
  /** The unit is 10^-places (1, 0.1, 0.01, ...), so "multiple of the unit" means "at most `places` fraction digits". */
  powerOfTen: boolean;
  /** formatAmount(0, unit), the amount of every fold and check. */
  zeroText: string;
}

/** Works out a unit's UnitInfo. */
export function unitInfo(unit: Chips): UnitInfo {
  const places = unit.decimalPlaces();
  const powerOfTen = unit.isFinite() && unit.gt(0) && unit.mul(new Money(10).pow(places)).eq(1);
  // A unit that is not a positive finite amount is refused by start() before any amount is formatted.
  const zeroText = Number.isInteger(places) ? new Money(0).toFixed(places) : '0';
  return { unit, places, powerOfTen, zeroText };
}

const unitInfos = new WeakMap<Chips, UnitInfo>();

/** unitInfo(unit), remembered per unit object (a table passes the same unit to every hand). */
export function unitInfoOf(unit: Chips): UnitInfo {
  let info = unitInfos.get(unit);
  if (!info) {
    info = unitInfo(unit);
    unitInfos.set(unit, info);
  }
  return info;
}

/** `isMultipleOf(amount, unit)` without the division when the unit is a power of ten. */
export function isMultipleOfUnit(amount: Chips, info: UnitInfo): boolean {
  if (info.powerOfTen && amount.d) return amount.decimalPlaces() <= info.places;
  if (info.unit.lte(0)) throw new Error('unit must be positive');
  return amount.mod(info.unit).isZero();
}

/**
 * `formatAmount(amount, unit)`: when the amount already has exactly the unit's fraction digits and
 * would not print in exponent form, `toString` yields the same text as `toFixed(places)` without the
 * rounding copy `toFixed` makes.
 */
export function formatUnits(amount: Chips, info: UnitInfo): string {
  if (amount.isZero() && !amount.isNeg()) return info.zeroText;
  const C = amount.constructor as typeof Money;
  if (amount.d && amount.e > C.toExpNeg && amount.e < C.toExpPos && amount.decimalPlaces() === info.places) return amount.toString();
  return amount.toFixed(info.places);
}
