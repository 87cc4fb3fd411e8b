/**
 * Seat requests of the table actor: join (buy-in), top-up, leave (cash-out), sit out/in, presence.
 * Each is a pure function of (context, event) returning an OpResult. A chip movement is a
 * `spawnSeatOp` effect: the machine runs it as a child promise actor calling the ledger (seat-op.ts),
 * and its outcome comes back as an event that `finish` applies. Every seat change goes through the
 * seat state machine (seat-machine.ts); a seat with a ledger call in flight (reserving, a top-up in
 * flight, cashingOut) is not dealt into new hands, so settlement never races a top-up or cash-out.
 */
import { formatAmount, type Chips } from '../../../shared/money';
import { errorBody } from '../../../shared/codes';
import type { Ack } from '../../../shared/protocol';
import { chooseSeat, inCurrentHand, reservedSeat, seatOf, transitionSeat, withSeat } from './seating';
import { isBusy, isConnected, isSeated, topUpOf } from './seat-machine';
import { OpBuilder, type OpResult, type TableContext } from './table-context';
import { viewFor, viewSource } from './outbound';
import type { SeatOpInput, SeatOpOutput } from './seat-op';
import { reject, type Reply, type TableEvent, type TableSeat } from './table-types';

type Ev<T extends TableEvent['type']> = Extract<TableEvent, { type: T }>;

/** An op that only answers the request. */
function answer(reply: Reply, ack: Ack<Record<string, unknown>>): OpResult {
  return { patch: {}, effects: [{ kind: 'reply', reply, answer: ack }] };
}

/** Queues one ledger call for a seat as a child actor and counts it. */
function spawnOp(b: OpBuilder, input: Omit<SeatOpInput, 'ledger' | 'tableId'>): void {
  const opCounter = b.ctx.opCounter + 1;
  b.emit({ kind: 'spawnSeatOp', id: `op-${opCounter}`, input: { ...input, ledger: b.ctx.deps.ledger, tableId: b.ctx.config.tableId } });
  b.set({ opCounter });
}

/** seat.join: reserve a seat, then buy in through the ledger. */
export function join(context: TableContext, event: Ev<'seat.join'>): OpResult {
  if (context.closing) return answer(event.reply, reject('table_closed'));
  const choice = chooseSeat(context.seats, context.config, event.playerId, event.seat, event.buyIn);
  if (!choice.ok) return answer(event.reply, reject(choice.code, choice.message));
  const b = new OpBuilder(context);
  spawnOp(b, {
    kind: 'buy_in',
    playerId: event.playerId,
    amount: event.buyIn,
    seat: choice.seat,
    idempotencyKey: `buy_in:${context.config.tableId}:${event.playerId}:${event.requestId}`,
    reply: event.reply,
  });
  b.set({ seats: withSeat(context.seats, choice.seat, reservedSeat(choice.seat, event.playerId, event.username)) });
  return b.done();
}

/** seat.topup: add chips now, or right after the hand when the player is in one. */
export function topUp(context: TableContext, event: Ev<'seat.topup'>): OpResult {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || !isSeated(seat)) return answer(event.reply, reject('not_seated'));
  if (context.closing) return answer(event.reply, reject('table_closed'));
  if (event.amount.lte(0) || !event.amount.mod(context.config.unit).isZero()) return answer(event.reply, reject('invalid_amount'));
  if (seat.stack.plus(event.amount).gt(context.config.maxBuyIn)) {
    return answer(event.reply, reject('buy_in_out_of_range', `the stack may not exceed ${context.config.maxBuyIn.toString()}`));
  }
  if (isBusy(seat) || topUpOf(seat)?.kind !== 'none') return answer(event.reply, reject('illegal_action', 'another chip movement for this seat is pending'));
  const b = new OpBuilder(context);
  if (inCurrentHand(context.hand, event.playerId)) {
    // Chips may not join a stack during a hand it plays, so the request is answered now, as pending,
    // and its outcome follows as `seat:topup`: nobody waits on a timer for something that happens later.
    b.set({ seats: transitionSeat(context.seats, event.playerId, { type: 'topUpDeferred', amount: event.amount, requestId: event.requestId }) });
    b.emit({ kind: 'reply', reply: event.reply, answer: { ok: true, stack: formatAmount(seat.stack, context.config.unit), pending: true } });
    return b.done();
  }
  startTopUp(b, event.playerId, event.amount, event.requestId, { reply: event.reply });
  return b.done();
}

function startTopUp(b: OpBuilder, playerId: string, amount: Chips, requestId: string, respond: { reply?: Reply; noticeRequestId?: string }): void {
  spawnOp(b, {
    kind: 'top_up',
    playerId,
    amount,
    idempotencyKey: `top_up:${b.ctx.config.tableId}:${playerId}:${requestId}`,
    ...respond,
  });
  b.set({ seats: transitionSeat(b.ctx.seats, playerId, { type: 'topUpStarted' }) });
}

/** seat.leave: cash out now, or mark the seat to fold at its turn and cash out after the hand. */
export function leave(context: TableContext, event: Ev<'seat.leave'>): OpResult {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat) return answer(event.reply, reject('not_seated'));
  if (seat.state.kind === 'cashingOut' || seat.state.kind === 'leaving') return answer(event.reply, { ok: true, cashedOut: null, pending: true });
  if (isBusy(seat)) return answer(event.reply, reject('illegal_action', 'a chip movement for this seat is in progress'));
  const b = new OpBuilder(context);
  if (inCurrentHand(context.hand, event.playerId)) {
    const pending = topUpOf(seat);
    b.set({ seats: transitionSeat(context.seats, event.playerId, { type: 'leaveAfterHand' }) });
    b.emit({ kind: 'reply', reply: event.reply, answer: { ok: true, cashedOut: null, pending: true } });
    if (pending?.kind === 'deferred') b.emit(topUpNotice(context, event.playerId, pending, 'cancelled'));
    return b.done();
  }
  startCashOut(b, seat, event.reply);
  return b.done();
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

function startCashOut(b: OpBuilder, seat: TableSeat, reply?: Reply): void {
  const playerId = seat.playerId;
  spawnOp(b, { kind: 'cash_out', playerId, idempotencyKey: cashOutKey(b.ctx, seat), reply });
  b.set({ seats: transitionSeat(b.ctx.seats, playerId, { type: 'cashOutStarted' }) });
}

/**
 * Sets `seats` and shows them to everyone under a new seq: views are ordered by seq, so a client may
 * drop any view whose seq it has already seen, and two different views must never share one.
 */
export function publishSeats(b: OpBuilder, seats: TableContext['seats'], phase?: TableContext['phase']): void {
  b.set({ seats, seq: b.ctx.seq + 1 });
  b.emit({ kind: 'state', view: viewSource(b.ctx, phase ?? b.ctx.phase) });
}

/** Shows every viewer that the table is paused (the database did not answer); nothing else changes. */
export function announcePause(context: TableContext): OpResult {
  const b = new OpBuilder(context).log('warn', { failures: context.dbFailures }, 'table paused: the database did not answer');
  publishSeats(b, context.seats, 'paused');
  return b.done();
}

function topUpNotice(
  context: TableContext,
  playerId: string,
  pending: { amount: Chips; requestId: string },
  status: 'cancelled',
): OpResult['effects'][number] {
  return { kind: 'topUpNotice', tableId: context.config.tableId, unit: context.config.unit, playerId, requestId: pending.requestId, status, amount: pending.amount };
}

/** Tells the player the outcome of a deferred top-up that ran after the hand (nothing for a direct one). */
function noticeTopUp(b: OpBuilder, output: SeatOpOutput, applied: boolean): void {
  if (output.noticeRequestId === undefined) return;
  const { config } = b.ctx;
  b.emit({
    kind: 'topUpNotice',
    tableId: config.tableId,
    unit: config.unit,
    playerId: output.playerId,
    requestId: output.noticeRequestId,
    status: applied ? 'applied' : 'refused',
    amount: output.requested!,
    ...(applied ? { stack: output.amount! } : { error: output.error ?? errorBody('request_replayed') }),
  });
}

/** seat.sitout / seat.sitin. */
export function sitOutOrIn(context: TableContext, event: Ev<'seat.sitout'> | Ev<'seat.sitin'>): OpResult {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || !isSeated(seat)) return answer(event.reply, reject('not_seated'));
  const sittingOut = event.type === 'seat.sitout';
  if (!sittingOut && seat.stack.lte(0)) return answer(event.reply, reject('illegal_action', 'top up before sitting in'));
  const b = new OpBuilder(context);
  publishSeats(b, transitionSeat(context.seats, event.playerId, sittingOut ? { type: 'sitOut', now: context.deps.now() } : { type: 'sitIn' }));
  b.emit({ kind: 'reply', reply: event.reply, answer: { ok: true } });
  return b.done();
}

/** player.presence: marks the seat connected or not (a disconnected player keeps the seat). */
export function presence(context: TableContext, event: Ev<'player.presence'>): OpResult {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || isConnected(seat) === event.connected) return { patch: {}, effects: [] };
  const b = new OpBuilder(context);
  publishSeats(b, transitionSeat(context.seats, event.playerId, event.connected ? { type: 'reconnect' } : { type: 'disconnect', now: context.deps.now() }));
  return b.done();
}

/**
 * player.refresh: the seated player's current view under a new seq and their hole cards, to that player
 * only (watchers get the turn notice). A socket that (re)joined gets its seat this way rather than a copy of the last view,
 * whose seq it may already have had from another push (a takeover's and a reconnect's crossed).
 */
export function refresh(context: TableContext, event: Ev<'player.refresh'>): OpResult {
  if (!seatOf(context.seats, event.playerId)) return { patch: {}, effects: [] };
  const b = new OpBuilder(context);
  b.set({ seq: b.ctx.seq + 1 });
  b.emit({ kind: 'state', view: viewSource(b.ctx, b.ctx.phase), only: [event.playerId] });
  // Their own hole cards follow the view in the same frame, when they are dealt into the hand.
  if (context.hand && inCurrentHand(context.hand, event.playerId)) b.emit({ kind: 'cards', tableId: context.config.tableId, hand: context.hand, only: event.playerId });
  return b.done();
}

/** One structured log line per chip movement of a seat (sit, top-up, cash-out), refused ones included. */
function logSeatOp(b: OpBuilder, output: SeatOpOutput, seat: number): void {
  const fields = { playerId: output.playerId, seat, op: output.kind, ok: output.ok && !output.replayed, amount: output.amount?.toString() };
  const op = output.kind.replace('_', '-');
  if (output.ok && !output.replayed) b.log('info', fields, `seat ${op}`);
  else b.log('warn', { ...fields, code: output.error?.code ?? 'request_replayed', reason: output.error?.message }, `seat ${op} refused`);
}

/** Applies the outcome of a seat ledger call. */
export function finish(context: TableContext, output: SeatOpOutput): OpResult {
  const seat = seatOf(context.seats, output.playerId);
  if (!seat) throw new Error(`seat op finished for ${output.playerId} who has no seat`);
  const b = new OpBuilder(context);
  let seats = context.seats;
  const reply = (ack: Ack<Record<string, unknown>>) => output.reply && b.emit({ kind: 'reply', reply: output.reply, answer: ack });
  logSeatOp(b, output, seat.seat);
  if (output.kind === 'cash_out') {
    seats = transitionSeat(seats, output.playerId, output.ok ? { type: 'cashOutDone' } : { type: 'cashOutFailed', now: context.deps.now() });
    reply(output.ok ? { ok: true, cashedOut: formatAmount(output.amount!, context.config.unit), pending: false } : { ok: false, error: output.error! });
  } else if (!output.ok || output.replayed) {
    // A replayed buy-in or top-up moved nothing now: its stored seat balance is history, not chips the
    // seat holds. Seating or topping up from it would put chips on the table that the ledger does not hold.
    seats = output.kind === 'buy_in' ? withSeat(seats, seat.seat, null) : transitionSeat(seats, output.playerId, { type: 'topUpDone' });
    reply({ ok: false, error: output.error ?? errorBody('request_replayed') });
    noticeTopUp(b, output, false);
  } else {
    seats = transitionSeat(
      seats,
      output.playerId,
      output.kind === 'buy_in'
        ? { type: 'buyInDone', stack: output.amount!, sessionId: output.transferId!, timeBankMs: context.config.timeBankMs }
        : { type: 'topUpDone', stack: output.amount! },
    );
    const stack = formatAmount(output.amount!, context.config.unit);
    reply(
      output.kind === 'buy_in'
        ? { ok: true, seat: seat.seat, stack, state: viewFor(viewSource({ ...context, seats }), output.playerId) }
        : { ok: true, stack, pending: false },
    );
    noticeTopUp(b, output, true);
  }
  publishSeats(b, seats);
  // A failed cash-out of a closing table is retried when the admin asks to close again, not in a loop.
  if (output.kind !== 'cash_out' || output.ok) sweepClosing(b);
  return b.done();
}

/** Each hand gives every seat back a tenth of the table's time bank, up to the full bank. */
function refillTimeBanks(context: TableContext): TableContext['seats'] {
  const full = context.config.timeBankMs;
  const refill = Math.ceil(full / 10);
  return context.seats.map((s) => (s && s.timeBankMs < full ? { ...s, timeBankMs: Math.min(full, s.timeBankMs + refill) } : s));
}

/** Starts the cash-out of `seat` (dropping any pending top-up, with notice). */
export function cashOutSeat(b: OpBuilder, seat: TableSeat): void {
  const pending = topUpOf(seat);
  if (pending?.kind === 'deferred') b.emit(topUpNotice(b.ctx, seat.playerId, pending, 'cancelled'));
  startCashOut(b, seat);
}

/**
 * A closing table with no hand in play cashes out every seat that has no chip movement in flight (those
 * finish first and come back here).
 */
export function sweepClosing(b: OpBuilder): void {
  if (!b.ctx.closing || b.ctx.hand) return;
  for (const seat of b.ctx.seats) if (seat && isSeated(seat) && !isBusy(seat)) cashOutSeat(b, seat);
}

/** After a hand: cash out leavers, run deferred top-ups, sit out busted players. */
export function afterHand(context: TableContext): OpResult {
  const b = new OpBuilder(context);
  for (const seat of context.seats) {
    if (!seat || !isSeated(seat)) continue;
    const topUp = topUpOf(seat);
    if (seat.state.kind === 'leaving' || context.closing) {
      // A seat whose top-up is still in flight is cashed out when that call comes back (sweepClosing).
      if (!isBusy(seat)) cashOutSeat(b, seat);
    } else if (topUp?.kind === 'deferred') {
      startTopUp(b, seat.playerId, topUp.amount, topUp.requestId, { noticeRequestId: topUp.requestId });
    } else if (seat.stack.lte(0) && seat.state.kind === 'active') {
      b.set({ seats: transitionSeat(b.ctx.seats, seat.playerId, { type: 'busted', now: context.deps.now() }) });
    }
  }
  b.set({ seats: refillTimeBanks(b.ctx) });
  publishSeats(b, b.ctx.seats, 'between_hands');
  return b.done();
}
