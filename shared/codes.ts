/**
 * The one closed list of codes a player or admin can be answered with. Anything that goes wrong is
 * reported with one of these; the message is for humans, the code is for programs.
 */
export const ERROR_CODES = {
  unauthorized: 'Missing, invalid or expired credentials.',
  forbidden: 'Your role does not allow this.',
  invalid_payload: 'The request does not match the schema for this event.',
  invalid_amount: 'The amount is malformed, negative, too large or finer than the table unit.',
  not_found: 'No such resource.',
  table_not_found: 'No such table.',
  hand_not_found: 'No such hand.',
  player_not_found: 'No such player.',
  username_taken: 'That username is already registered.',
  seat_taken: 'That seat is occupied.',
  table_full: 'Every seat at this table is occupied.',
  already_seated: 'You already have a seat at this table.',
  not_seated: 'You do not have a seat at this table.',
  not_your_turn: 'It is not your turn to act.',
  illegal_action: 'That action is not legal now.',
  stale_hand: 'That hand is over or is not the current hand.',
  buy_in_out_of_range: 'The buy-in is outside the table minimum and maximum.',
  insufficient_funds: 'The balance is too small for this movement.',
  idempotency_conflict: 'This key was already used with different parameters.',
  hand_already_final: 'The hand was already settled or voided.',
  table_closed: 'This table is closed or closing: it takes no new players or chips.',
  request_replayed: 'This requestId already answered an earlier request that is over; nothing was changed. Use a new requestId.',
  hero_not_in_hand: 'The hero named was not dealt into this hand.',
  unknown_event: 'The server does not know this event name.',
  payload_too_large: 'The message is larger than the protocol allows.',
  too_many_connections: 'This account has the maximum number of open connections or watched tables.',
  too_many_tables: 'You are at the maximum number of tables.',
  too_many_viewers: 'This table has the maximum number of viewers.',
  rate_limited: 'Too many requests; slow down.',
  unavailable: 'The service is starting or shutting down.',
  outcome_unknown: 'No answer in time: the request may still take effect. The next table:state and your balance show the outcome.',
  lease_lost: 'This server no longer runs the table (another node took it over); nothing was changed. Retry: the table resumes on its new owner.',
  internal: 'An internal error occurred; nothing was changed.',
} as const;

/** A code from the closed list. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, for schemas and documentation. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** The error shape every rejection uses, on HTTP and on socket acks. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Builds an error body with the default message unless a more specific one is given. */
export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { code, message: message ?? ERROR_CODES[code] };
}

/** True when `value` is one of the closed list's codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** HTTP status for each code, so every route answers the same code with the same status. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  invalid_payload: 400,
  invalid_amount: 400,
  not_found: 404,
  table_not_found: 404,
  hand_not_found: 404,
  player_not_found: 404,
  username_taken: 409,
  seat_taken: 409,
  table_full: 409,
  already_seated: 409,
  not_seated: 409,
  not_your_turn: 409,
  illegal_action: 409,
  stale_hand: 409,
  buy_in_out_of_range: 400,
  insufficient_funds: 409,
  idempotency_conflict: 409,
  hand_already_final: 409,
  table_closed: 409,
  request_replayed: 409,
  hero_not_in_hand: 400,
  unknown_event: 400,
  payload_too_large: 413,
  too_many_connections: 429,
  too_many_tables: 409,
  too_many_viewers: 409,
  rate_limited: 429,
  unavailable: 503,
  outcome_unknown: 504,
  lease_lost: 503,
  internal: 500,
};
