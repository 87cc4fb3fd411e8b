/**
 * Seat bookkeeping for a table: pure functions over the seat array, used by the table actor. They
 * never touch money; the ledger moves chips and the actor copies the committed balances here.
 */
import { type Chips, ZERO } from '../../../shared/money';
import type { ErrorCode } from '../../../shared/codes';
import type { TableConfig, TableSeat } from './table-types';
import { transitionOrThrow, type SeatEvent } from './seat-machine';

/** Seats indexed by table seat number; null = empty. */
export type Seats = ReadonlyArray<TableSeat | null>;

/** The seat a player occupies at this table, if any. */
export function seatOf(seats: Seats, playerId: string): TableSeat | undefined {
  for (const s of seats) if (s && s.playerId === playerId) return s;
  return undefined;
}

/** True when `playerId` was dealt into `hand` (the hand in play, if any). */
export function inCurrentHand(hand: { playerBySeat: Record<number, string> } | null, playerId: string): boolean {
  return !!hand && Object.values(hand.playerBySeat).includes(playerId);
}

/** Player ids of every occupied seat. */
export function seatedPlayerIds(seats: Seats): string[] {
  const ids: string[] = [];
  for (const s of seats) if (s) ids.push(s.playerId);
  return ids;
}

/** Checks whether `playerId` may take `wanted` (or any free seat) with `buyIn`; returns the seat or a code. */
export function chooseSeat(
  seats: Seats,
  config: TableConfig,
  playerId: string,
  wanted: number | undefined,
  buyIn: Chips,
): { ok: true; seat: number } | { ok: false; code: ErrorCode; message?: string } {
  if (seatOf(seats, playerId)) return { ok: false, code: 'already_seated' };
  if (!buyIn.mod(config.unit).isZero() || buyIn.lte(0)) return { ok: false, code: 'invalid_amount' };
  if (buyIn.lt(config.minBuyIn) || buyIn.gt(config.maxBuyIn)) {
    return { ok: false, code: 'buy_in_out_of_range', message: `buy-in must be between ${config.minBuyIn.toString()} and ${config.maxBuyIn.toString()}` };
  }
  if (wanted !== undefined) {
    if (wanted >= config.maxSeats) return { ok: false, code: 'invalid_payload', message: `seat must be below ${config.maxSeats}` };
    if (seats[wanted]) return { ok: false, code: 'seat_taken' };
    return { ok: true, seat: wanted };
  }
  const free = seats.findIndex((s, i) => s === null && i < config.maxSeats);
  return free < 0 ? { ok: false, code: 'table_full' } : { ok: true, seat: free };
}

/** Returns a copy of `seats` with seat `index` replaced by `value`. */
export function withSeat(seats: Seats, index: number, value: TableSeat | null): Array<TableSeat | null> {
  const copy = seats.slice();
  copy[index] = value;
  return copy;
}

/** Returns a copy of `seats` with the player's seat changed by `change`. */
export function updateSeat(seats: Seats, playerId: string, change: Partial<TableSeat>): Array<TableSeat | null> {
  return seats.map((s) => (s && s.playerId === playerId ? { ...s, ...change } : s));
}

/** A new seat whose buy-in is in flight. */
export function reservedSeat(seat: number, playerId: string, username: string): TableSeat {
  return {
    seat,
    playerId,
    username,
    stack: ZERO,
    sessionId: null,
    state: { kind: 'reserving' },
    presence: { kind: 'connected' },
    timeouts: 0,
    timeBankMs: 0,
  };
}

/** Seats that will be dealt into the next hand: active, no chip movement in flight, with chips. */
export function eligibleForHand(seats: Seats): TableSeat[] {
  return seats.filter((s): s is TableSeat => !!s && s.state.kind === 'active' && s.state.topUp.kind !== 'inFlight' && s.stack.gt(ZERO));
}

/** Returns a copy of `seats` with the player's seat moved by `event` (see seat-machine.ts); throws if impossible. */
export function transitionSeat(seats: Seats, playerId: string, event: SeatEvent): Array<TableSeat | null> {
  const seat = seatOf(seats, playerId);
  if (!seat) throw new Error(`no seat for ${playerId}`);
  return withSeat(seats, seat.seat, transitionOrThrow(seat, event));
}

/** The next button: the first eligible seat clockwise after the previous button (or the lowest seat). */
export function nextButton(eligible: readonly TableSeat[], previous: number | null): number {
  if (eligible.length === 0) throw new Error('nextButton: no eligible seats');
  if (previous === null) return eligible[0]!.seat;
  const after = eligible.find((s) => s.seat > previous);
  return (after ?? eligible[0]!).seat;
}
