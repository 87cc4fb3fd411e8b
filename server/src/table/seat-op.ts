/**
 * The one asynchronous seat call: a buy-in, top-up or cash-out through the ledger, run as a child
 * promise actor. Its outcome comes back to the table actor as an event (errors as values), so the
 * actor still handles one thing at a time.
 */
import type { Chips } from '../../../shared/money';
import { errorBody, isErrorCode, type ErrorBody } from '../../../shared/codes';
import type { LedgerPort, Reply } from './table-types';

/** Input of a seat ledger call. */
export interface SeatOpInput {
  kind: 'buy_in' | 'top_up' | 'cash_out';
  ledger: LedgerPort;
  tableId: string;
  playerId: string;
  amount?: Chips;
  /** The seat a buy-in takes (remembered by the ledger for a takeover). */
  seat?: number;
  idempotencyKey: string;
  reply?: Reply;
  /** A deferred top-up has no waiting request: its outcome is told with `seat:topup` under this id. */
  noticeRequestId?: string;
}

/** Outcome of a seat ledger call; errors are values so the actor never sees a rejected promise. */
export interface SeatOpOutput {
  kind: SeatOpInput['kind'];
  playerId: string;
  reply?: Reply;
  noticeRequestId?: string;
  /** What was asked for (buy-in and top-up). */
  requested?: Chips;
  ok: boolean;
  /** The seat's committed balance (buy-in, top-up) or the amount cashed out. */
  amount?: Chips;
  /** The ledger transfer (a buy-in's id becomes the seat session). */
  transferId?: string;
  /** The ledger only replayed an earlier transfer under this key: nothing moved now. */
  replayed?: boolean;
  error?: ErrorBody;
}

/** Runs one ledger call for a seat. */
export async function runSeatOp(input: SeatOpInput): Promise<SeatOpOutput> {
  const base = { kind: input.kind, playerId: input.playerId, reply: input.reply, noticeRequestId: input.noticeRequestId, requested: input.amount };
  try {
    const p = { playerId: input.playerId, tableId: input.tableId, idempotencyKey: input.idempotencyKey };
    if (input.kind === 'cash_out') {
      const out = await input.ledger.cashOut(p);
      return { ...base, ok: true, amount: out.amount, replayed: out.replayed };
    }
    if (!input.amount) throw new Error('seat op without amount');
    const call = input.kind === 'buy_in' ? input.ledger.buyIn : input.ledger.topUp;
    const moved = await call({ ...p, amount: input.amount, seat: input.seat });
    return { ...base, ok: true, amount: moved.seatBalance, transferId: moved.transferId, replayed: moved.replayed };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // An unexpected failure (say, the connection dropped during COMMIT) does not tell whether the
    // transaction committed, so the player is told exactly that instead of "nothing was changed". The
    // seat account stays the truth either way: the drift check before the next deal and startup
    // recovery both act on it.
    const known = isErrorCode(code) && code !== 'internal';
    return {
      ...base,
      ok: false,
      error: known ? { code, message: (error as Error).message } : errorBody('outcome_unknown', 'the ledger call failed; it may or may not have committed'),
    };
  }
}
