/**
 * Seat requests of the table actor: join (buy-in), top-up, leave (cash-out), sit out/in, presence.
 * Each chip movement runs as a child promise actor calling the ledger; its outcome comes back to the
 * actor as an event, so the actor still handles one thing at a time. A seat with a ledger call in
 * flight is `busy` and is not dealt into new hands, so settlement never races a top-up or cash-out.
 */
import type { Chips } from '../../../shared/money';
import { isErrorCode, type ErrorBody } from '../../../shared/codes';
import { buildView } from './player-view';
import { chooseSeat, reservedSeat, seatOf, updateSeat, withSeat } from './seating';
import type { TableContext } from './table-machine';
import { broadcastState } from './table-machine';
import { reject, type LedgerPort, type Reply, type TableEvent } from './table-types';

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
  idempotencyKey: string;
  reply?: Reply;
}

/** Outcome of a seat ledger call; errors are values so the actor never sees a rejected promise. */
export interface SeatOpOutput {
  kind: SeatOpInput['kind'];
  playerId: string;
  reply?: Reply;
  ok: boolean;
  /** The seat's committed balance (buy-in, top-up) or the amount cashed out. */
  amount?: Chips;
  error?: ErrorBody;
}

/** Runs one ledger call for a seat. */
export async function runSeatOp(input: SeatOpInput): Promise<SeatOpOutput> {
  const base = { kind: input.kind, playerId: input.playerId, reply: input.reply };
  try {
    const p = { playerId: input.playerId, tableId: input.tableId, idempotencyKey: input.idempotencyKey };
    if (input.kind === 'cash_out') return { ...base, ok: true, amount: (await input.ledger.cashOut(p)).amount };
    if (!input.amount) throw new Error('seat op without amount');
    const call = input.kind === 'buy_in' ? input.ledger.buyIn : input.ledger.topUp;
    return { ...base, ok: true, amount: (await call({ ...p, amount: input.amount })).seatBalance };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ...base,
      ok: false,
      error: isErrorCode(code) ? { code, message: (error as Error).message } : { code: 'internal', message: 'ledger call failed; nothing was changed' },
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
  const choice = chooseSeat(context.seats, context.config, event.playerId, event.seat, event.buyIn);
  if (!choice.ok) return event.reply(reject(choice.code, choice.message));
  const seats = withSeat(context.seats, choice.seat, reservedSeat(choice.seat, event.playerId, event.username));
  const opCounter = spawnOp(context, enqueue, {
    kind: 'buy_in',
    playerId: event.playerId,
    amount: event.buyIn,
    idempotencyKey: `buy_in:${context.config.tableId}:${event.playerId}:${event.requestId}`,
    reply: event.reply,
  });
  enqueue.assign({ seats, opCounter });
}

/** seat.topup: add chips now, or right after the hand when the player is in one. */
export function topUp(context: TableContext, event: Ev<'seat.topup'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.phase !== 'seated') return event.reply(reject('not_seated'));
  if (event.amount.lte(0) || !event.amount.mod(context.config.unit).isZero()) return event.reply(reject('invalid_amount'));
  if (seat.stack.plus(event.amount).gt(context.config.maxBuyIn)) {
    return event.reply(reject('buy_in_out_of_range', `the stack may not exceed ${context.config.maxBuyIn.toString()}`));
  }
  if (seat.busy || seat.deferredTopUp || seat.leaving) return event.reply(reject('illegal_action', 'another chip movement for this seat is pending'));
  if (inCurrentHand(context, event.playerId)) {
    const deferred = { amount: event.amount, requestId: event.requestId, reply: event.reply };
    return enqueue.assign({ seats: updateSeat(context.seats, event.playerId, { deferredTopUp: deferred }) });
  }
  startTopUp(context, enqueue, event.playerId, event.amount, event.requestId, event.reply);
}

function startTopUp(context: TableContext, enqueue: Enqueue, playerId: string, amount: Chips, requestId: string, reply: Reply): void {
  const opCounter = spawnOp(context, enqueue, {
    kind: 'top_up',
    playerId,
    amount,
    idempotencyKey: `top_up:${context.config.tableId}:${playerId}:${requestId}`,
    reply,
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
    enqueue.assign({ seats: updateSeat(context.seats, event.playerId, { leaving: true }) });
    event.reply({ ok: true, cashedOut: null, pending: true });
    return;
  }
  startCashOut(context, enqueue, event.playerId, `cash_out:${context.config.tableId}:${event.playerId}:${event.requestId}`, event.reply);
}

function startCashOut(context: TableContext, enqueue: Enqueue, playerId: string, idempotencyKey: string, reply?: Reply): void {
  const opCounter = spawnOp(context, enqueue, { kind: 'cash_out', playerId, idempotencyKey, reply });
  enqueue.assign({ seats: updateSeat(context.seats, playerId, { phase: 'cashing_out', busy: true }), opCounter });
}

/** seat.sitout / seat.sitin. */
export function sitOutOrIn(context: TableContext, event: Ev<'seat.sitout'> | Ev<'seat.sitin'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.phase !== 'seated') return event.reply(reject('not_seated'));
  const sittingOut = event.type === 'seat.sitout';
  if (!sittingOut && seat.stack.lte(0)) return event.reply(reject('illegal_action', 'top up before sitting in'));
  enqueue.assign({ seats: updateSeat(context.seats, event.playerId, { sittingOut, timeouts: 0 }) });
  enqueue(() => broadcastState({ ...context, seats: updateSeat(context.seats, event.playerId, { sittingOut }) }));
  event.reply({ ok: true });
}

/** player.presence: marks the seat connected or not (a disconnected player keeps the seat). */
export function presence(context: TableContext, event: Ev<'player.presence'>, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, event.playerId);
  if (!seat || seat.connected === event.connected) return;
  const seats = updateSeat(context.seats, event.playerId, { connected: event.connected });
  enqueue.assign({ seats });
  enqueue(() => broadcastState({ ...context, seats }));
}

/** Applies the outcome of a seat ledger call. */
export function finish(context: TableContext, output: SeatOpOutput, enqueue: Enqueue): void {
  const seat = seatOf(context.seats, output.playerId);
  if (!seat) throw new Error(`seat op finished for ${output.playerId} who has no seat`);
  let seats = context.seats;
  if (output.kind === 'cash_out') {
    seats = output.ok ? withSeat(seats, seat.seat, null) : updateSeat(seats, output.playerId, { phase: 'seated', busy: false, sittingOut: true, leaving: false });
    output.reply?.(output.ok ? { ok: true, cashedOut: output.amount!.toFixed(), pending: false } : { ok: false, error: output.error! });
  } else if (!output.ok) {
    seats = output.kind === 'buy_in' ? withSeat(seats, seat.seat, null) : updateSeat(seats, output.playerId, { busy: false });
    output.reply?.({ ok: false, error: output.error! });
  } else {
    seats = updateSeat(seats, output.playerId, { phase: 'seated', busy: false, stack: output.amount! });
    const next = { ...context, seats };
    const stack = output.amount!.toFixed(context.config.unit.decimalPlaces());
    output.reply?.(
      output.kind === 'buy_in'
        ? { ok: true, seat: seat.seat, stack, state: buildView(next, output.playerId) }
        : { ok: true, stack, pending: false },
    );
  }
  enqueue.assign({ seats });
  enqueue(() => broadcastState({ ...context, seats }));
}

/** After a hand: cash out leavers, run deferred top-ups, sit out busted players. */
export function afterHand(context: TableContext, enqueue: Enqueue): void {
  let working: TableContext = context;
  for (const seat of context.seats) {
    if (!seat || seat.phase !== 'seated') continue;
    if (seat.leaving) {
      const key = `cash_out:${context.config.tableId}:${seat.playerId}:after:${context.lastHandNumber}`;
      startCashOut(working, enqueue, seat.playerId, key);
      working = { ...working, opCounter: working.opCounter + 1, seats: updateSeat(working.seats, seat.playerId, { phase: 'cashing_out', busy: true }) };
    } else if (seat.deferredTopUp) {
      const t = seat.deferredTopUp;
      startTopUp(working, enqueue, seat.playerId, t.amount, t.requestId, t.reply);
      working = { ...working, opCounter: working.opCounter + 1, seats: updateSeat(working.seats, seat.playerId, { busy: true, deferredTopUp: null }) };
    } else if (seat.stack.lte(0) && !seat.sittingOut) {
      working = { ...working, seats: updateSeat(working.seats, seat.playerId, { sittingOut: true }) };
      enqueue.assign({ seats: working.seats });
    }
  }
  enqueue(() => broadcastState(working, 'between_hands'));
}
