/**
 * The error services throw (auth today): a code from the closed list and a message, with no transport
 * in it. The HTTP router maps it to a status and the error body; a socket handler could map it to an
 * ack the same way. Services therefore never import the transport layer.
 */
import { ERROR_CODES, type ErrorCode } from '../../shared/codes';

/** A refusal with a code from the closed list; `retryAfterSeconds` tells a throttled caller when to come back. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? ERROR_CODES[code]);
  }
}
