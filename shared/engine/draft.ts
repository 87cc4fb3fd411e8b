/**
 * The working copy one engine step changes before it is frozen into the next immutable HandState,
 * and the seat-order helpers shared by hand.ts and showdown.ts (kept here so they do not import
 * each other).
 */
import { type Chips } from '../money';
import { type HandEvent, type HandState, type SeatState } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A mutable copy of a state; `newEvents` collects what this step produced. */
export type Draft = Omit<Mutable<HandState>, 'seats' | 'events' | 'uncalledReturns'> & {
  seats: Mutable<SeatState>[];
  events: HandEvent[];
  uncalledReturns: { seat: number; amount: Chips }[];
  newEvents: HandEvent[];
};

/** Player index left of `index` (clockwise). */
export function nextIndex(state: Pick<HandState, 'seats'>, index: number): number {
  return (index + 1) % state.seats.length;
}

/** Every player index starting left of the button and ending with the button. */
export function orderFromButton(state: Pick<HandState, 'seats' | 'buttonIndex'>): number[] {
  const n = state.seats.length;
  return Array.from({ length: n }, (_, k) => (state.buttonIndex + 1 + k) % n);
}
