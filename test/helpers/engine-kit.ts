/**
 * Helpers for the engine's tests (no production code imports this): configs, decks that deal chosen
 * cards, a driver that applies actions and fails loudly on a rejection, and random legal play.
 */
import fc from 'fast-check';
import { type Chips, ZERO, chips } from '../../shared/money';
import { type Card, orderedDeck, parseCards } from '../../shared/engine/cards';
import { apply, assertConserved, isComplete, legalActions, start } from '../../shared/engine/hand';
import { type HandConfig, type HandState, type PlayerAction, type SeatInput, type Variant } from '../../shared/engine/types';

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

/** A random table: variant, unit, blinds, ante, rake, seats, stacks, button, deck. */
export const arbTable = fc
  .record({
    variant: fc.constantFrom<Variant>('NT', 'PO', 'FT'),
    cents: fc.boolean(),
    blindUnits: fc.integer({ min: 1, max: 5 }),
    anteUnits: fc.integer({ min: 0, max: 3 }),
    rakePercent: fc.constantFrom(0, 5, 10),
    rakeCapUnits: fc.constantFrom(0, 3, 50),
    seats: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 9 }),
    stackUnits: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 9, maxLength: 9 }),
    buttonPick: fc.nat(),
    deck: fc.shuffledSubarray(orderedDeck(), { minLength: 52, maxLength: 52 }),
  })
  .map((t) => {
    const unit = t.cents ? chips('0.01') : chips(1);
    const u = (k: number): Chips => chips(k).mul(unit);
    const config: HandConfig = {
      variant: t.variant, unit, smallBlind: u(t.blindUnits), bigBlind: u(2 * t.blindUnits), ante: u(t.anteUnits),
      minBet: u(2 * t.blindUnits), smallBet: u(2 * t.blindUnits), bigBet: u(4 * t.blindUnits),
      rakePercent: chips(t.rakePercent), rakeCap: u(t.rakeCapUnits),
    };
    const seats = [...t.seats].sort((a, b) => a - b).map((seat, i) => ({ seat, stack: u(t.stackUnits[i]!) }));
    return { config, seats, button: seats[t.buttonPick % seats.length]!.seat, deck: t.deck };
  });

/** Picks a legal action from `legalActions` using `choice` (a random number). */
export function pickAction(state: HandState, choice: number): PlayerAction {
  const la = legalActions(state);
  if (!la) throw new Error('a live hand has nobody to act');
  const kind = choice % 7;
  if (kind === 0) return { seat: la.seat, type: 'fold' };
  if ((kind >= 4) && la.minTo && la.maxTo) {
    const type = la.canBet ? 'bet' : 'raise';
    if (kind === 4) return { seat: la.seat, type, to: la.minTo };
    if (kind === 5) return { seat: la.seat, type, to: la.maxTo };
    const span = la.maxTo.minus(la.minTo).div(state.config.unit);
    const steps = span.isZero() ? ZERO : chips(Math.floor(choice / 7)).mod(span.plus(1));
    return { seat: la.seat, type, to: la.minTo.plus(steps.mul(state.config.unit)) };
  }
  return { seat: la.seat, type: la.canCheck ? 'check' : 'call' };
}

/**
 * A bound on one random hand's length that legal play cannot reach by accident: deep stacks and
 * repeated min-raises among nine players legitimately take several hundred actions (seen: 503).
 */
export const MAX_RANDOM_HAND_ACTIONS = 10_000;

/** Plays a hand to the end with random legal actions, checking conservation after every step. */
export function playRandom(state: HandState, choices: number[]): HandState {
  let st = state;
  for (let k = 0; !isComplete(st); k++) {
    if (k > MAX_RANDOM_HAND_ACTIONS) throw new Error('hand did not finish');
    const action = pickAction(st, choices[k % choices.length]! + k);
    const r = apply(st, action);
    if (!r.ok) throw new Error(`legal action refused: ${r.code} ${r.message}`);
    assertConserved(r.state);
    JSON.stringify(r.events); // Events must always be serialisable.
    st = r.state;
  }
  return st;
}

/** Hand [1] of the PokerKit corpus as a standalone .phh file: a heads-up all-in with a runout, shown by both. */
export const HAND_1 = `variant = 'NT'
ante_trimming_status = true
antes = [0.10, 0.10]
blinds_or_straddles = [0.50, 1.00]
min_bet = 1.00
starting_stacks = [10.67, 2.92]
actions = ['d dh p1 8d8h', 'd dh p2 Qc6s', 'p2 cc', 'p1 cc', 'd db 9h6h5c', 'p1 cbr 9.57', 'p2 cc', 'p1 sm 8d8h', 'p2 sm Qc6s', 'd db Qd', 'd db 4c']
finishing_stacks = [7.75, 5.84]
`;
