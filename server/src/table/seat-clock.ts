/**
 * When seats end. A seat whose player has no open socket is sat out after `disconnectSitOutMs`; a seat
 * that sits out (for any reason) is stood up after `sitOutStandUpMs`: its chips go back to the wallet and
 * the seat is freed. Reconnecting or sitting in before then restores everything. The table's clock
 * sends `seat.clock` every `seatClockPeriodMs`, so the timers are checked without a timer per seat;
 * `tick` is a pure op like the others (see table-context.ts).
 */
import { seatOf } from './seating';
import { cashOutSeat, publishSeats } from './table-seat-ops';
import { OpBuilder, type OpResult, type TableContext } from './table-context';
import type { SeatTimers, TableSeat } from './table-types';

/** How often the seat clock ticks: often enough for the shortest timer, at most once every 5 s. */
export function seatClockPeriodMs(t: SeatTimers): number {
  return Math.max(50, Math.min(5_000, Math.floor(Math.min(t.disconnectSitOutMs, t.sitOutStandUpMs) / 4)));
}

function inCurrentHand(context: TableContext, playerId: string): boolean {
  return !!context.hand && Object.values(context.hand.playerBySeat).includes(playerId);
}

/** The seat as the clock leaves it: sat out when disconnected too long, and its sit-out start noted. */
function aged(seat: TableSeat, now: number, t: SeatTimers): TableSeat {
  let next = seat;
  if (!seat.connected && seat.disconnectedAt !== null && now - seat.disconnectedAt >= t.disconnectSitOutMs && !seat.sittingOut) {
    next = { ...next, sittingOut: true };
  }
  if (next.sittingOut && next.sittingOutSince === null) next = { ...next, sittingOutSince: now };
  if (!next.sittingOut && next.sittingOutSince !== null) next = { ...next, sittingOutSince: null };
  return next;
}

/** seat.clock: applies both timers; announces every seat that sat out or stood up with a new table:state. */
export function tick(context: TableContext): OpResult {
  const now = context.deps.now();
  const t = context.deps.seatTimers;
  const b = new OpBuilder(context);
  let announce = false;
  const seats = context.seats.map((s) => {
    if (!s || s.phase !== 'seated') return s;
    const next = aged(s, now, t);
    if (next.sittingOut !== s.sittingOut) {
      announce = true;
      b.log('info', { playerId: s.playerId, seat: s.seat }, 'seat sat out: disconnected');
    }
    return next;
  });
  if (seats.some((s, i) => s !== context.seats[i])) b.set({ seats });
  for (const s of seats) {
    if (!s || s.phase !== 'seated' || !s.sittingOut || s.sittingOutSince === null) continue;
    if (now - s.sittingOutSince < t.sitOutStandUpMs || s.busy || s.leaving || inCurrentHand(context, s.playerId)) continue;
    b.log('info', { playerId: s.playerId, seat: s.seat }, 'seat stood up: sat out too long');
    cashOutSeat(b, seatOf(b.ctx.seats, s.playerId)!);
    announce = true;
  }
  if (announce) publishSeats(b, b.ctx.seats);
  return b.done();
}
