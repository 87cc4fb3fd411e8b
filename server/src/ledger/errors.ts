/**
 * The ledger's one error type. Every failure that leaves the ledger is a `LedgerError` carrying a code
 * from the closed list in shared/codes.ts, so callers can answer players without parsing messages.
 */
import { ERROR_CODES, type ErrorCode } from '../../../shared/codes';

/** A typed ledger failure; nothing was moved when one is thrown. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? ERROR_CODES[code], options);
  }
}

/**
 * A seat account disagrees with the stack the table actor holds for it. This is a broken invariant,
 * not a player error: the table must stop rather than deal chips the ledger does not hold.
 */
export class SeatDriftError extends Error {
  override readonly name = 'SeatDriftError';
}

/** The PostgreSQL driver error fields we look at (TypeORM's QueryFailedError copies them). */
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
}

/** SQLSTATE of a PostgreSQL error, whether raw from `pg` or wrapped by TypeORM. */
export function pgCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as PgErrorFields;
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

/** Name of the constraint a PostgreSQL error names, if any. */
export function pgConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as PgErrorFields;
  const constraint = e.driverError?.constraint ?? e.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** True for a unique violation on the transfer idempotency key (a concurrent call with the same key won). */
export function isIdempotencyKeyRace(error: unknown): boolean {
  return pgCode(error) === '23505' && pgConstraint(error) === 'transfer_idempotency_key_uq';
}

/** True for the errors a retry of the whole transaction can cure: serialization failure and deadlock. */
export function isRetryable(error: unknown): boolean {
  const code = pgCode(error);
  return code === '40001' || code === '40P01';
}

/**
 * Turns any failure into a LedgerError. Database constraint violations that mean "not enough chips" or
 * "no such row" get their specific code; anything unexpected is `internal` with the cause attached.
 */
export function toLedgerError(error: unknown): LedgerError {
  if (error instanceof LedgerError) return error;
  const code = pgCode(error);
  const constraint = pgConstraint(error) ?? '';
  if (code === '23514' && constraint === 'account_non_negative') return new LedgerError('insufficient_funds', undefined, { cause: error });
  if (code === '23503') {
    if (constraint.endsWith('table_id_fkey')) return new LedgerError('table_not_found', undefined, { cause: error });
    if (constraint.endsWith('player_id_fkey')) return new LedgerError('player_not_found', undefined, { cause: error });
    if (constraint.endsWith('hand_id_fkey')) return new LedgerError('hand_not_found', undefined, { cause: error });
  }
  // 22P02 is an invalid text representation, e.g. a malformed uuid: the caller named something that cannot exist.
  if (code === '22P02') return new LedgerError('not_found', 'Malformed identifier.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new LedgerError('internal', `ledger operation failed: ${message}`, { cause: error });
}
