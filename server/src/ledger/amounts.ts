/**
 * Validation of amounts and keys entering the ledger. Amounts are re-created with the shared `Money`
 * constructor from their exact decimal text, so a Decimal built elsewhere cannot smuggle in another
 * rounding configuration.
 */
import { MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, Money, type Chips } from '../../../shared/money';
import { LedgerError } from './errors';

const LIMIT = new Money(10).pow(MAX_INTEGER_DIGITS);

/** A finite amount within the accepted digits, as a `Money` value; sign is checked by the callers below. */
export function normalizeAmount(amount: Chips | string): Chips {
  let value: Chips;
  try {
    value = new Money(typeof amount === 'string' ? amount : amount.toFixed());
  } catch (error) {
    throw new LedgerError('invalid_amount', undefined, { cause: error });
  }
  if (!value.isFinite() || value.abs().gte(LIMIT) || value.decimalPlaces() > MAX_FRACTION_DIGITS) {
    throw new LedgerError('invalid_amount');
  }
  // Normalise -0 to 0 so hashes and ledger rows never show a signed zero.
  return value.isZero() ? new Money(0) : value;
}

/** A strictly positive amount. */
export function positiveAmount(amount: Chips | string): Chips {
  const value = normalizeAmount(amount);
  if (value.lte(0)) throw new LedgerError('invalid_amount', 'amount must be positive');
  return value;
}

/** A non-negative amount. */
export function nonNegativeAmount(amount: Chips | string): Chips {
  const value = normalizeAmount(amount);
  if (value.lt(0)) throw new LedgerError('invalid_amount', 'amount must not be negative');
  return value;
}

/** Idempotency keys are caller-chosen strings of 1..200 characters. */
export function requireKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new LedgerError('invalid_payload', 'idempotency key must be a string of 1..200 characters');
  }
  return key;
}
