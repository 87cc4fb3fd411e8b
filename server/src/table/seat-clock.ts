/**
 * When seats end. A seat whose player has no open socket is sat out after `disconnectSitOutMs`; a seat
 * that sits out (for any reason) is stood up after `sitOutStandUpMs`: its chips go back to the wallet and
 * the seat is freed. Reconnecting or sitting in before then restores everything. The table's clock
 * sends `seat.clock` every `seatClockPeriodMs`, so the timers are checked without a timer per seat.
 * Both timers run from the seat's states (seat-machine.ts): `presence.since` of a disconnected seat
 * and `state.since` of a sitting-out one. `tick` is a pure op like the others (see table-context.ts).
 */
import { inCurrentHand, seatOf } from './seating';
import { isBusy, transitionOrThrow } from './seat-machine';
import { cashOutSeat, publishSeats } from './table-seat-ops';
import { OpBuilder, type OpResult, type TableContext } from './table-context';
import type { SeatTimers, TableSeat } from './table-types';

/** How often the seat clock ticks: often enough for the shortest timer, at most once every 5 s. */
export function seatClockPeriodMs(t: SeatTimers): number {
  return Math.max(50, Math.min(5_000, Math.floor(Math.min(t.disconnectSitOutMs, t.sitOutStandUpMs) / 4)));
}

/** True when the seat has sat out for `sitOutStandUpMs` and may be stood up now. */
function dueToStandUp(context: TableContext, seat: TableSeat, now: number, t: SeatTimers): boolean {
  const s = seat.state;
  return s.kind === 'sittingOut' && now - s.since >= t.sitOutStandUpMs && !isBusy(seat) && !inCurrentHand(context.hand, seat.playerId);
}

/** seat.clock: applies both timers; announces every seat that sat out or stood up with a new table:state. */
export function tick(context: TableContext): OpResult {
  const now = context.deps.now();
  const t = context.deps.seatTimers;
  const b = new OpBuilder(context);
  let announce = false;
  // The disconnect timer: a seat away for `disconnectSitOutMs` sits out (see seat-machine.ts).
  const seats = context.seats.map((s) => {
    if (!s) return s;
    const next = transitionOrThrow(s, { type: 'clock', now, disconnectSitOutMs: t.disconnectSitOutMs });
    if (next !== s) {
      announce = true;
      b.log('info', { playerId: s.playerId, seat: s.seat }, 'seat sat out: disconnected');
    }
    return next;
  });
  if (seats.some((s, i) => s !== context.seats[i])) b.set({ seats });
  // The stand-up timer: a seat sat out for `sitOutStandUpMs` is cashed out and freed.
  for (const s of seats) {
    if (!s || !dueToStandUp(context, s, now, t)) continue;
    b.log('info', { playerId: s.playerId, seat: s.seat }, 'seat stood up: sat out too long');
    cashOutSeat(b, seatOf(b.ctx.seats, s.playerId)!);
    announce = true;
  }
  if (announce) publishSeats(b, b.ctx.seats);
  return b.done();
}
