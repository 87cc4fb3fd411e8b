/**
 * Seat requests of the table actor: join (buy-in), top-up, leave (cash-out), sit out/in, presence.
 * Each chip movement runs as a child promise actor calling the ledger; its outcome comes back to the
 * actor as an event, so the actor still handles one thing at a time. A seat with a ledger call in
 * flight is `busy` and is not dealt into new hands, so settlement never races a top-up or cash-out.
 */
import { formatAmount, type Chips } from '../../../shared/money';
import { errorBody, isErrorCode, type ErrorBody } from '../../../shared/codes';
import { buildView } from './player-view';
import { chooseSeat, reservedSeat, seatOf, updateSeat, withSeat } from './seating';
import type { TableContext } from './table-machine';
import { broadcastState } from './outbound';
import { reject, type LedgerPort, type Reply, type TableEvent, type TableSeat } from './table-types';

type Ev<T extends TableEvent['type']> = Extract<TableEvent, { type: T }>;

/** The subset of XState's `enqueue` that seat operations use. */
export interface Enqueue {
  assign(partial: Partial<TableContext>): void;
  spawnChild(src: 'seatOp', options: { id: string; input: SeatOpInput }): void;
  (action: () => void): void;
}

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

function spawnOp(context: TableContext, enqueue: Enqueue, input: Omit<SeatOpInput, 'ledger' | 'tableId'>): number {
  const opCounter = context.opCounter + 1;
  enqueue.spawnChild('seatOp', { id: `op-${opCounter}`, input: { ...input, ledger: context.deps.ledger, tableId: context.config.tableId } });
  return opCounter;
}

function inCurrentHand(context: TableContext, playerId: string): boolean {
  return !!context.hand && Object.values(context.hand.playerBySeat).includes(playerId);
}

/** seat.join: reserve a seat, then buy in through the ledger. */
export function join(context: TableContext, event: Ev<'seat.join'>, enqueue: Enqueue): void {
  if (context.closing) return event.reply(reject('table_closed'));
  const choice = chooseSeat(context.seats, context.config, event.playerId, event.seat, event.buyIn);
  if (!choice.ok) return event.reply(reject(choice.code, choice.message));
  const seats = withSeat(context.seats, choice.seat, reservedSeat(choice.seat, event.playerId, event.username));
  const opCounter = spawnOp(context, enqueue, {
    kind: 'buy_in',
    playerId: event.playerId,
    amount: event.buyIn,
    seat: choice.seat,
    idempotencyKey: `buy_in:${context.config.tableId}:${event.playerId}:${event.requestId}`,
    reply: event.reply,
  });
  enqueue.assign({ seats, opCounter });
}

/** seat.topup: add chips now, or right after the hand when the player is in one. */
export function topUp(context: TableContext, event: Ev<'seat.topup'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.phase !== 'seated') return event.reply(reject('not_seated'));
  if (context.closing) return event.reply(reject('table_closed'));
  if (event.amount.lte(0) || !event.amount.mod(context.config.unit).isZero()) return event.reply(reject('invalid_amount'));
  if (seat.stack.plus(event.amount).gt(context.config.maxBuyIn)) {
    return event.reply(reject('buy_in_out_of_range', `the stack may not exceed ${context.config.maxBuyIn.toString()}`));
  }
  if (seat.busy || seat.deferredTopUp || seat.leaving) return event.reply(reject('illegal_action', 'another chip movement for this seat is pending'));
  if (inCurrentHand(context, event.playerId)) {
    // Chips may not join a stack during a hand it plays, so the request is answered now, as pending,
    // and its outcome follows as `seat:topup`: nobody waits on a timer for something that happens later.
    const deferred = { amount: event.amount, requestId: event.requestId };
    enqueue.assign({ seats: updateSeat(context.seats, event.playerId, { deferredTopUp: deferred }) });
    event.reply({ ok: true, stack: formatAmount(seat.stack, context.config.unit), pending: true });
    return;
  }
  startTopUp(context, enqueue, event.playerId, event.amount, event.requestId, { reply: event.reply });
}

function startTopUp(
  context: TableContext,
  enqueue: Enqueue,
  playerId: string,
  amount: Chips,
  requestId: string,
  answer: { reply?: Reply; noticeRequestId?: string },
): void {
  const opCounter = spawnOp(context, enqueue, {
    kind: 'top_up',
    playerId,
    amount,
    idempotencyKey: `top_up:${context.config.tableId}:${playerId}:${requestId}`,
    ...answer,
  });
  enqueue.assign({ seats: updateSeat(context.seats, playerId, { busy: true, deferredTopUp: null }), opCounter });
}

/** seat.leave: cash out now, or mark the seat to fold at its turn and cash out after the hand. */
export function leave(context: TableContext, event: Ev<'seat.leave'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat) return event.reply(reject('not_seated'));
  if (seat.phase === 'cashing_out' || seat.leaving) return event.reply({ ok: true, cashedOut: null, pending: true });
  if (seat.phase !== 'seated' || seat.busy) return event.reply(reject('illegal_action', 'a chip movement for this seat is in progress'));
  if (inCurrentHand(context, event.playerId)) {
    enqueue.assign({ seats: updateSeat(context.seats, event.playerId, { leaving: true, deferredTopUp: null }) });
    if (seat.deferredTopUp) enqueue(() => cancelTopUp(context, event.playerId, seat.deferredTopUp!));
    event.reply({ ok: true, cashedOut: null, pending: true });
    return;
  }
  startCashOut(context, enqueue, seat, event.reply);
}

/**
 * The cash-out key is the seat session's, not the request's: a leave sent with a request id from an
 * earlier session must cash out this session's chips for real, and a retried cash-out of this session
 * (after a failure) must not move chips twice.
 */
function cashOutKey(context: TableContext, seat: TableSeat): string {
  if (!seat.sessionId) throw new Error(`seat ${seat.seat} is seated without a buy-in session`);
  return `cash_out:${context.config.tableId}:${seat.playerId}:${seat.sessionId}`;
}

function startCashOut(context: TableContext, enqueue: Enqueue, seat: TableSeat, reply?: Reply): void {
  const playerId = seat.playerId;
  const opCounter = spawnOp(context, enqueue, { kind: 'cash_out', playerId, idempotencyKey: cashOutKey(context, seat), reply });
  enqueue.assign({ seats: updateSeat(context.seats, playerId, { phase: 'cashing_out', busy: true }), opCounter });
}

/**
 * Assigns `seats` and shows them to everyone under a new seq: views are ordered by seq, so a client
 * may drop any view whose seq it has already seen, and two different views must never share one.
 */
export function publishSeats(context: TableContext, enqueue: Enqueue, seats: TableContext['seats'], phase?: TableContext['phase']): void {
  const seq = context.seq + 1;
  enqueue.assign({ seats, seq });
  enqueue(() => broadcastState({ ...context, seats, seq }, phase));
}

/** Shows every viewer that the table is paused (the database did not answer); nothing else changes. */
export function announcePause(context: TableContext, enqueue: Enqueue): void {
  context.deps.logger.warn({ failures: context.dbFailures }, 'table paused: the database did not answer');
  publishSeats(context, enqueue, context.seats, 'paused');
}

/** Tells the player that their pending top-up was dropped because they are leaving (no chips moved). */
function cancelTopUp(context: TableContext, playerId: string, pending: { amount: Chips; requestId: string }): void {
  context.deps.broadcaster.topUp(playerId, {
    tableId: context.config.tableId,
    requestId: pending.requestId,
    status: 'cancelled',
    amount: formatAmount(pending.amount, context.config.unit),
  });
}

/** Tells the player the outcome of a deferred top-up that ran after the hand. */
function noticeTopUp(context: TableContext, output: SeatOpOutput, applied: boolean): void {
  if (output.noticeRequestId === undefined) return;
  const unit = context.config.unit;
  context.deps.broadcaster.topUp(output.playerId, {
    tableId: context.config.tableId,
    requestId: output.noticeRequestId,
    status: applied ? 'applied' : 'refused',
    amount: formatAmount(output.requested!, unit),
    ...(applied ? { stack: formatAmount(output.amount!, unit) } : { error: output.error ?? errorBody('request_replayed') }),
  });
}

/** seat.sitout / seat.sitin. */
export function sitOutOrIn(context: TableContext, event: Ev<'seat.sitout'> | Ev<'seat.sitin'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.phase !== 'seated') return event.reply(reject('not_seated'));
  const sittingOut = event.type === 'seat.sitout';
  if (!sittingOut && seat.stack.lte(0)) return event.reply(reject('illegal_action', 'top up before sitting in'));
  const sittingOutSince = sittingOut ? context.deps.now() : null;
  publishSeats(context, enqueue, updateSeat(context.seats, event.playerId, { sittingOut, timeouts: 0, sittingOutSince }));
  event.reply({ ok: true });
}

/** player.presence: marks the seat connected or not (a disconnected player keeps the seat). */
export function presence(context: TableContext, event: Ev<'player.presence'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.connected === event.connected) return;
  const disconnectedAt = event.connected ? null : context.deps.now();
  publishSeats(context, enqueue, updateSeat(context.seats, event.playerId, { connected: event.connected, disconnectedAt }));
}

/** One structured log line per chip movement of a seat (sit, top-up, cash-out), refused ones included. */
function logSeatOp(context: TableContext, output: SeatOpOutput, seat: number): void {
  const fields = { playerId: output.playerId, seat, op: output.kind, ok: output.ok && !output.replayed, amount: output.amount?.toString() };
  if (output.ok && !output.replayed) context.deps.logger.info(fields, `seat ${output.kind.replace('_', '-')}`);
  else context.deps.logger.warn({ ...fields, code: output.error?.code ?? 'request_replayed', reason: output.error?.message }, `seat ${output.kind.replace('_', '-')} refused`);
}

/** Applies the outcome of a seat ledger call. */
export function finish(context: TableContext, output: SeatOpOutput, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, output.playerId);
  if (!seat) throw new Error(`seat op finished for ${output.playerId} who has no seat`);
  let seats = context.seats;
  logSeatOp(context, output, seat.seat);
  if (output.kind === 'cash_out') {
    seats = output.ok ? withSeat(seats, seat.seat, null) : updateSeat(seats, output.playerId, { phase: 'seated', busy: false, sittingOut: true, leaving: false });
    output.reply?.(output.ok ? { ok: true, cashedOut: formatAmount(output.amount!, context.config.unit), pending: false } : { ok: false, error: output.error! });
  } else if (!output.ok || output.replayed) {
    // A replayed buy-in or top-up moved nothing now: its stored seat balance is history, not chips the
    // seat holds. Seating or topping up from it would put chips on the table that the ledger does not hold.
    seats = output.kind === 'buy_in' ? withSeat(seats, seat.seat, null) : updateSeat(seats, output.playerId, { busy: false });
    output.reply?.({ ok: false, error: output.error ?? errorBody('request_replayed') });
    enqueue(() => noticeTopUp(context, output, false));
  } else {
    const session = output.kind === 'buy_in' ? { sessionId: output.transferId!, timeBankMs: context.config.timeBankMs } : {};
    seats = updateSeat(seats, output.playerId, { phase: 'seated', busy: false, stack: output.amount!, ...session });
    const next = { ...context, seats };
    const stack = formatAmount(output.amount!, context.config.unit);
    output.reply?.(
      output.kind === 'buy_in'
        ? { ok: true, seat: seat.seat, stack, state: buildView(next, output.playerId) }
        : { ok: true, stack, pending: false },
    );
    enqueue(() => noticeTopUp(context, output, true));
  }
  publishSeats(context, enqueue, seats);
  // A failed cash-out of a closing table is retried when the admin asks to close again, not in a loop.
  if (output.kind !== 'cash_out' || output.ok) sweepClosing({ ...context, seats, seq: context.seq + 1 }, enqueue);
}

/** Each hand gives every seat back a tenth of the table's time bank, up to the full bank. */
function refillTimeBanks(context: TableContext): TableContext['seats'] {
  const full = context.config.timeBankMs;
  const refill = Math.ceil(full / 10);
  return context.seats.map((s) => (s && s.timeBankMs < full ? { ...s, timeBankMs: Math.min(full, s.timeBankMs + refill) } : s));
}

/** Starts the cash-out of `seat` (dropping any pending top-up, with notice); returns the context it leaves. */
export function cashOutSeat(context: TableContext, enqueue: Enqueue, seat: TableSeat): TableContext {
  if (seat.deferredTopUp) {
    const pending = seat.deferredTopUp;
    enqueue(() => cancelTopUp(context, seat.playerId, pending));
  }
  startCashOut(context, enqueue, seat);
  const seats = updateSeat(context.seats, seat.playerId, { phase: 'cashing_out', busy: true, deferredTopUp: null });
  enqueue.assign({ seats });
  return { ...context, opCounter: context.opCounter + 1, seats };
}

/**
 * A closing table with no hand in play cashes out every seat that has no chip movement in flight (those
 * finish first and come back here). Returns the context it leaves.
 */
export function sweepClosing(context: TableContext, enqueue: Enqueue): TableContext {
  if (!context.closing || context.hand) return context;
  let working = context;
  for (const seat of context.seats) if (seat && seat.phase === 'seated' && !seat.busy) working = cashOutSeat(working, enqueue, seat);
  return working;
}

/** After a hand: cash out leavers, run deferred top-ups, sit out busted players. */
export function afterHand(context: TableContext, enqueue: Enqueue): void {
  let working: TableContext = context;
  for (const seat of context.seats) {
    if (!seat || seat.phase !== 'seated') continue;
    if (seat.leaving || context.closing) {
      working = cashOutSeat(working, enqueue, seat);
    } else if (seat.deferredTopUp) {
      const t = seat.deferredTopUp;
      startTopUp(working, enqueue, seat.playerId, t.amount, t.requestId, { noticeRequestId: t.requestId });
      working = { ...working, opCounter: working.opCounter + 1, seats: updateSeat(working.seats, seat.playerId, { busy: true, deferredTopUp: null }) };
    } else if (seat.stack.lte(0) && !seat.sittingOut) {
      working = { ...working, seats: updateSeat(working.seats, seat.playerId, { sittingOut: true }) };
      enqueue.assign({ seats: working.seats });
    }
  }
  working = { ...working, seats: refillTimeBanks(working) };
  enqueue.assign({ seats: working.seats });
  publishSeats(working, enqueue, working.seats, 'between_hands');
}
