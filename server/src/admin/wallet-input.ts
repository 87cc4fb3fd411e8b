/**
 * What the admin's wallet routes (credit and debit) share: reading an amount in the house unit from a
 * request, and turning the ledger's refusals into HTTP errors with the same code.
 */
import { isErrorCode } from '../../../shared/codes';
import { parseAmount, type Chips } from '../../../shared/money';
import { HOUSE_UNIT } from '../auth/house-unit';
import { LedgerError } from '../ledger/errors';
import { HttpError } from '../transport/router';

/** A positive amount in whole cents from a request body; invalid_amount names what is wrong. */
export function positiveHouseAmount(text: string): Chips {
  const parsed = parseAmount(text, HOUSE_UNIT);
  if (!parsed.ok) throw new HttpError('invalid_amount', `amount is ${parsed.reason === 'too_many_decimals' ? 'finer than 0.01' : parsed.reason}`);
  if (parsed.value.isZero()) throw new HttpError('invalid_amount', 'amount must be greater than zero');
  return parsed.value;
}

/** Maps ledger refusals to HTTP errors with the same code; anything else (and `internal`) propagates as it is. */
export function rethrowLedger(error: unknown): never {
  if (error instanceof LedgerError && isErrorCode(error.code) && error.code !== 'internal') throw new HttpError(error.code, error.message);
  throw error;
}
