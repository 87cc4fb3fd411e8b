/**
 * Helpers for the engine's tests (no production code imports this): configs, decks that deal chosen
 * cards, and a driver that applies actions and fails loudly on a rejection.
 */
import { type Chips, ZERO, chips } from '../money';
import { type Card, orderedDeck, parseCards } from './cards';
import { apply, start } from './hand';
import { type HandConfig, type HandState, type PlayerAction, type SeatInput } from './types';

/** A no-limit config with integer chips; override any field. */
export function nlConfig(overrides: Partial<HandConfig> = {}): HandConfig {
  return {
    variant: 'NT', unit: chips(1), smallBlind: chips(1), bigBlind: chips(2), ante: ZERO, minBet: chips(2),
    rakePercent: ZERO, rakeCap: ZERO, ...overrides,
  };
}

/** Seats from [seat, stack] pairs. */
export function seatsOf(rows: [number, number | string][]): SeatInput[] {
  return rows.map(([seat, stack]) => ({ seat, stack: chips(stack) }));
}

/** A deck that deals `holes` (in dealing order: left of the button first) then `board`, then the rest. */
export function deckOf(holes: string[], board = ''): Card[] {
  const wanted = [...holes.flatMap((h) => parseCards(h)!), ...parseCards(board)!];
  if (new Set(wanted).size !== wanted.length) throw new Error('deckOf: duplicate card');
  return [...wanted, ...orderedDeck().filter((c) => !wanted.includes(c))];
}

/** Applies actions in order; throws on the first rejection so a test shows which one failed. */
export function play(state: HandState, actions: PlayerAction[]): HandState {
  let s = state;
  for (const a of actions) {
    const r = apply(s, a);
    if (!r.ok) throw new Error(`${JSON.stringify({ ...a, to: a.to?.toString() })} rejected: ${r.code} ${r.message}`);
    s = r.state;
  }
  return s;
}

/** Shorthands for actions: f(seat), x(seat) check, c(seat) call, b(seat, to), r(seat, to). */
export const f = (seat: number): PlayerAction => ({ seat, type: 'fold' });
export const x = (seat: number): PlayerAction => ({ seat, type: 'check' });
export const c = (seat: number): PlayerAction => ({ seat, type: 'call' });
export const b = (seat: number, to: number | string): PlayerAction => ({ seat, type: 'bet', to: chips(to) });
export const r = (seat: number, to: number | string): PlayerAction => ({ seat, type: 'raise', to: chips(to) });

/** Starts a hand with a config, [seat, stack] rows, the button seat and the cards to deal. */
export function startHand(config: HandConfig, rows: [number, number | string][], button: number, holes: string[] = [], board = ''): HandState {
  return start(config, seatsOf(rows), button, deckOf(holes, board));
}

/** The table seat whose turn it is. */
export function turn(state: HandState): number | undefined {
  return state.toAct === undefined ? undefined : state.seats[state.toAct]!.seat;
}

/** A stack by table seat, as a string. */
export function stackOf(state: HandState, seat: number): string {
  return state.seats.find((s) => s.seat === seat)!.stack.toString();
}

/** Amount as a string (for compact expectations). */
export function s(x: Chips | undefined): string | undefined {
  return x?.toString();
}
