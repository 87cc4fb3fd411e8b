/**
 * The hand state machine: `start` posts antes and blinds and deals, `apply` takes one player action
 * and runs the hand forward (closing betting rounds, returning uncalled bets, dealing streets, running
 * out the board when nobody can bet any more, and settling at showdown or when all but one folded).
 *
 * Pure: no I/O, clock or randomness; the shuffled deck is passed in. Deck order is exactly: each
 * player's hole cards, all of a player's cards at once, players starting left of the button and
 * ending with the button; then flop (3), turn (1), river (1). No burn cards.
 *
 * Positions: seats are given in table order and the button is one of them. With three or more
 * players the small blind is left of the button and the big blind left of it; heads-up the button
 * posts the small blind and acts first pre-flop, and the big blind acts first after the flop. Pre-flop
 * the first to act is left of the last blind or straddle; after the flop, the first live player left
 * of the button. A short stack posts what it has (all-in) for an ante or blind. Antes are dead money
 * (not part of the amount to call). The amount to call is the largest blind actually posted (as in
 * PokerKit): if the big blind is short, later players call what it posted, and the minimum raise is
 * still a full big blind on top of that.
 */
import * as moneyModule from '../money';
import { type Chips } from '../money';
import { type Card, DECK_SIZE, formatCards } from './cards';
import * as bettingModule from './betting';
import * as draftModule from './draft';
import { type Draft } from './draft';
import * as fastMoney from './fast-money';
import { uncalledBet } from './pots';
import { settleShowdown, settleUncontested } from './showdown';
import type {
  ApplyResult, HandConfig, HandEvent, HandResult, HandState, LegalActions, PlayerAction, SeatInput, SeatState,
} from './types';

export { orderFromButton } from './draft';

// Values used on every step are bound to local names once: tsx/esbuild (dev server, benches) and swc
// (jest) compile each use of a named import into a getter call, which showed up in profiles here.
const { ZERO, chips } = moneyModule;
const { canAct, raiseFloor, validateAction, legalActions: bettingLegalActions } = bettingModule;
const { Snapshot, nextIndex, orderFromButton, writable } = draftModule;
const { eq, formatUnits, gt, gte, isMultipleOfUnit, isNegative, isPositive, lte, max, min, minus, plus, unitInfoOf } = fastMoney;

const HUNDRED = chips(100);

/** Number of hole cards per player for a variant. */
export function holeCardCount(config: HandConfig): number {
  return config.variant === 'PO' ? 4 : 2;
}

function emit(d: Draft, event: HandEvent): void {
  d.newEvents.push(event);
}

function fmt(d: Draft, amount: Chips): string {
  return formatUnits(amount, d.unit);
}

function validateStart(config: HandConfig, seats: readonly SeatInput[], buttonSeat: number, deck: readonly Card[]): void {
  if (seats.length < 2 || seats.length > 10) throw new Error(`start: ${seats.length} players; need 2..10`);
  const numbers = new Set(seats.map((s) => s.seat));
  if (numbers.size !== seats.length) throw new Error('start: duplicate seat numbers');
  if (!numbers.has(buttonSeat)) throw new Error(`start: button seat ${buttonSeat} is not in the hand`);
  const unit = unitInfoOf(config.unit);
  for (const s of seats) {
    if (!isPositive(s.stack) || !isMultipleOfUnit(s.stack, unit)) throw new Error(`start: bad stack for seat ${s.seat}`);
  }
  const amounts = [config.smallBlind, config.bigBlind, config.ante, config.minBet, ...(config.straddles ?? [])];
  for (const a of amounts) {
    if (isNegative(a) || !isMultipleOfUnit(a, unit)) throw new Error(`start: amount ${a.toString()} is not a multiple of the unit`);
  }
  if (lte(config.bigBlind, ZERO) || lte(raiseFloor(config, 'preflop'), ZERO) || lte(raiseFloor(config, 'river'), ZERO)) {
    throw new Error('start: the big blind and the minimum bet must be positive');
  }
  if (isNegative(config.rakePercent) || gt(config.rakePercent, HUNDRED) || isNegative(config.rakeCap)) throw new Error('start: bad rake');
  const needed = seats.length * holeCardCount(config) + 5;
  if (deck.length < needed || !distinctCards(deck)) throw new Error(`start: the deck must hold at least ${needed} distinct cards`);
}

/** True when every entry is a card (an integer 0..51) and none repeats. */
function distinctCards(deck: readonly Card[]): boolean {
  const seen = new Uint8Array(DECK_SIZE);
  for (const c of deck) {
    if (!Number.isInteger(c) || c < 0 || c >= DECK_SIZE || seen[c] === 1) return false;
    seen[c] = 1;
  }
  return true;
}

/** Moves chips from a stack into the middle (and into the street bet unless it is an ante). */
function putIn(d: Draft, index: number, amount: Chips, intoStreetBet: boolean): void {
  const s = writable(d, index);
  if (isNegative(amount) || gt(amount, s.stack)) throw new Error('putIn: amount outside the stack');
  s.stack = minus(s.stack, amount);
  s.contributed = plus(s.contributed, amount);
  if (intoStreetBet) s.streetBet = plus(s.streetBet, amount);
  s.allIn = s.stack.isZero() && !s.folded;
}

function post(d: Draft, index: number, kind: 'ante' | 'sb' | 'bb' | 'straddle', nominal: Chips): void {
  const amount = min(nominal, d.seats[index]!.stack);
  if (amount.isZero()) return;
  putIn(d, index, amount, kind !== 'ante');
  const s = d.seats[index]!;
  emit(d, { type: 'post', seat: s.seat, kind, amount: fmt(d, amount), allIn: s.allIn });
}

function deal(d: Draft, count: number): Card[] {
  if (d.deckPos + count > d.deck.length) throw new Error('deal: the deck ran out');
  const cards = d.deck.slice(d.deckPos, d.deckPos + count);
  d.deckPos += count;
  return cards;
}

/** Starts a hand and returns its first state together with the events of posting and dealing. */
export function startWithEvents(
  config: HandConfig,
  seats: SeatInput[],
  buttonSeat: number,
  deck: Card[],
): { state: HandState; events: HandEvent[] } {
  validateStart(config, seats, buttonSeat, deck);
  const d: Draft = {
    config,
    seats: seats.map((s) => ({
      seat: s.seat, startingStack: s.stack, stack: s.stack, streetBet: ZERO, contributed: ZERO,
      folded: false, allIn: false, hole: [], acted: false, pending: false,
    })),
    // Every seat record is new, so the first state's check covers every seat.
    own: (1 << seats.length) - 1,
    before: undefined,
    buttonIndex: seats.findIndex((s) => s.seat === buttonSeat),
    deck: [...deck], deckPos: 0, board: [], street: 'preflop', toAct: undefined,
    currentBet: ZERO, minRaise: raiseFloor(config, 'preflop'), raiseCount: 0, lastAggressor: undefined,
    uncalledReturns: [], handResult: undefined, newEvents: [], unit: unitInfoOf(config.unit), log: undefined, untrusted: false,
  };
  const order = orderFromButton(d);
  if (isPositive(config.ante)) for (const i of order) post(d, i, 'ante', config.ante);
  const sb = seats.length === 2 ? d.buttonIndex : nextIndex(d, d.buttonIndex);
  const bb = nextIndex(d, sb);
  post(d, sb, 'sb', config.smallBlind);
  post(d, bb, 'bb', config.bigBlind);
  let lastPoster = bb;
  for (const amount of config.straddles ?? []) {
    lastPoster = nextIndex(d, lastPoster);
    if (lastPoster === sb) throw new Error('start: more straddles than players');
    post(d, lastPoster, 'straddle', amount);
  }
  for (const i of order) {
    const s = writable(d, i);
    s.hole = deal(d, holeCardCount(config));
    emit(d, { type: 'deal_hole', seat: s.seat, cards: formatCards(s.hole) });
  }
  let currentBet: Chips = ZERO;
  for (const s of d.seats) currentBet = max(currentBet, s.streetBet);
  d.currentBet = currentBet;
  // A straddle is a blind raise: the minimum raise is then the straddle itself (1/2/4 → raise to 8).
  // Fixed limit keeps its fixed bet size (a straddle there is one bet more, and so is every raise),
  // and PHH replay follows PokerKit, which keeps the big blind as the increment (see HandConfig).
  if (config.variant !== 'FT' && !config.straddleKeepsMinRaise) {
    for (const amount of config.straddles ?? []) d.minRaise = max(d.minRaise, amount);
  }
  beginRound(d, lastPoster);
  const state = freeze(d);
  return { state, events: state.events.slice() };
}

/** Starts a hand: posts antes, blinds and straddles, deals hole cards and sets the first to act. */
export function start(config: HandConfig, seats: SeatInput[], buttonSeat: number, deck: Card[]): HandState {
  return startWithEvents(config, seats, buttonSeat, deck).state;
}

/** The next player after `from` who still owes an action, or undefined. */
function nextPending(d: Draft, from: number): number | undefined {
  for (let k = 1; k <= d.seats.length; k++) {
    const i = (from + k) % d.seats.length;
    if (d.seats[i]!.pending) return i;
  }
  return undefined;
}

function liveCount(d: Draft): number {
  let n = 0;
  for (const s of d.seats) if (!s.folded) n++;
  return n;
}

/**
 * True when the betting round has nobody left to ask: at most one player can still put chips in and
 * that player has already matched the highest bet. Such a player could only check or fold (a raise
 * has nobody to answer it), so the round is over: no turn is ever a choice without consequence.
 */
function nobodyToAsk(d: Draft): boolean {
  let only = -1;
  for (let i = 0; i < d.seats.length; i++) {
    if (!canAct(d.seats[i]!)) continue;
    if (only >= 0) return false;
    only = i;
  }
  return only < 0 || gte(d.seats[only]!.streetBet, d.currentBet);
}

/**
 * Opens a betting round: everyone who can still put chips in owes an action, except that a lone
 * player who owes nothing has nobody to bet against. `after` is the player the action starts left of.
 */
function beginRound(d: Draft, after: number): void {
  const lone = nobodyToAsk(d);
  for (let i = 0; i < d.seats.length; i++) {
    const s = d.seats[i]!;
    const pending = canAct(s) && !lone;
    // Only seats whose flags change are copied (see writable).
    if (s.acted || s.pending !== pending) {
      const w = writable(d, i);
      w.acted = false;
      w.pending = pending;
    }
  }
  advance(d, after);
}

/** Moves the turn on after player `from` acted, or closes the betting round. */
function advance(d: Draft, from: number): void {
  // The round also ends when the last player who could still act has matched the bet: heads-up, a
  // small blind who calls or completes all-in leaves the big blind (who has matched) nothing to decide.
  if (liveCount(d) === 1 || (!d.config.legacyAsksMatchedPlayer && nobodyToAsk(d))) {
    closeRound(d);
    return;
  }
  const next = nextPending(d, from);
  if (next !== undefined) {
    d.toAct = next;
    return;
  }
  closeRound(d);
}

const NEXT_STREET: Record<'preflop' | 'flop' | 'turn', { street: 'flop' | 'turn' | 'river'; cards: number }> = {
  preflop: { street: 'flop', cards: 3 },
  flop: { street: 'turn', cards: 1 },
  turn: { street: 'river', cards: 1 },
};

function dealStreet(d: Draft): void {
  const step = NEXT_STREET[d.street as 'preflop' | 'flop' | 'turn'];
  const cards = deal(d, step.cards);
  d.board = [...d.board, ...cards];
  d.street = step.street;
  emit(d, { type: 'street', street: step.street, cards: formatCards(cards) });
}

/** Returns the uncalled part of the largest street bet to its bettor. */
function returnUncalled(d: Draft): void {
  const bets: Chips[] = new Array<Chips>(d.seats.length);
  for (let i = 0; i < d.seats.length; i++) bets[i] = d.seats[i]!.streetBet;
  const u = uncalledBet(bets);
  if (!u) return;
  const s = writable(d, u.index);
  s.stack = s.stack.plus(u.amount);
  s.streetBet = s.streetBet.minus(u.amount);
  s.contributed = s.contributed.minus(u.amount);
  s.allIn = false;
  // The array is shared with the previous state, so it is replaced rather than pushed to.
  d.uncalledReturns = [...d.uncalledReturns, { seat: s.seat, amount: u.amount }];
  emit(d, { type: 'uncalled_return', seat: s.seat, amount: fmt(d, u.amount) });
}

/** Ends a betting round: returns the uncalled bet, then settles, runs out the board or deals the next street. */
function closeRound(d: Draft): void {
  d.toAct = undefined;
  returnUncalled(d);
  for (let i = 0; i < d.seats.length; i++) {
    const s = d.seats[i]!;
    if (s.streetBet !== ZERO || s.acted || s.pending) {
      const w = writable(d, i);
      w.streetBet = ZERO;
      w.acted = false;
      w.pending = false;
    }
  }
  d.currentBet = ZERO;
  if (liveCount(d) === 1) {
    settleUncontested(d);
    return;
  }
  let able = 0;
  for (const s of d.seats) if (canAct(s)) able++;
  if (d.street === 'river' || able <= 1) {
    while (d.street !== 'river') dealStreet(d);
    settleShowdown(d);
    return;
  }
  dealStreet(d);
  d.minRaise = raiseFloor(d.config, d.street);
  d.raiseCount = 0;
  d.lastAggressor = undefined;
  beginRound(d, d.buttonIndex);
}

/** Applies a validated action to the draft and runs the hand forward. */
function applyValidated(d: Draft, index: number, type: PlayerAction['type'], to: Chips, add: Chips): void {
  const s = writable(d, index);
  s.acted = true;
  s.pending = false;
  if (type === 'fold') {
    s.folded = true;
    s.allIn = false;
  } else if (isPositive(add)) {
    putIn(d, index, add, true);
  }
  const raised = type === 'bet' || type === 'raise';
  if (raised) {
    const increment = minus(to, d.currentBet);
    // Only a full bet or raise sets a new minimum increment; a short all-in leaves it unchanged.
    if (gte(increment, d.minRaise)) d.minRaise = increment;
    d.currentBet = to;
    d.raiseCount += 1;
    d.lastAggressor = index;
    for (let j = 0; j < d.seats.length; j++) {
      const other = d.seats[j]!;
      if (j !== index && !other.pending && canAct(other)) writable(d, j).pending = true;
    }
  }
  emit(d, raised
    ? { type: 'action', seat: s.seat, action: type, amount: fmt(d, add), to: fmt(d, to), allIn: s.allIn }
    : { type: 'action', seat: s.seat, action: type, amount: fmt(d, add), allIn: s.allIn });
  advance(d, index);
}

/**
 * Checks the step's seats before its state is handed out. While the hand runs, chips only move between
 * a seat's stack and its own contributions (bets in, uncalled bets back), so every seat must satisfy
 * stack + contributed == starting stack; that implies the table-wide sum assertConserved checks. Only
 * seats this step copied can have changed (every other record is the very object the previous state's
 * check passed), and a copied seat whose amounts are still the previous record's objects (only its
 * flags changed) passed the sum before. A settled hand, or a state that did not come from this engine,
 * gets the full assertConserved.
 */
function checkStep(d: Draft, state: HandState): void {
  if (d.untrusted || d.handResult) {
    assertConserved(state);
    return;
  }
  for (let i = 0; i < d.seats.length; i++) {
    if ((d.own & (1 << i)) === 0) continue;
    const s = d.seats[i]!;
    if (isNegative(s.stack) || isNegative(s.streetBet) || gt(s.streetBet, s.contributed)) throw new Error(`conservation: bad amounts at seat ${s.seat}`);
    const was = d.before?.[i];
    if (was && was.stack === s.stack && was.contributed === s.contributed && was.startingStack === s.startingStack) continue;
    if (!eq(plus(s.stack, s.contributed), s.startingStack)) {
      throw new Error(`conservation: seat ${s.seat} stack ${s.stack.toString()} + contributed ${s.contributed.toString()} != ${s.startingStack.toString()}`);
    }
  }
}

function freeze(d: Draft): HandState {
  const state = new Snapshot(d);
  checkStep(d, state);
  return state;
}

/** Applies one player action; returns the new state and its events, or a rejection with a reason code. */
export function apply(state: HandState, action: PlayerAction): ApplyResult {
  if (state.street === 'complete') return { ok: false, code: 'hand_complete', message: 'the hand is over' };
  const index = state.toAct;
  if (index === undefined) throw new Error('apply: a live hand with nobody to act');
  if (state.seats[index]!.seat !== action.seat) {
    return { ok: false, code: 'not_your_turn', message: `seat ${state.seats[index]!.seat} is to act, not seat ${action.seat}` };
  }
  const v = validateAction(state, index, action);
  if (!v.ok) return v;
  const { snapshot, untrusted } = Snapshot.of(state);
  const d = Snapshot.draft(snapshot, untrusted);
  applyValidated(d, index, v.type, v.to, v.add);
  // A copy: the step's own array is part of the state's history and must not change under it.
  const events = d.newEvents.slice();
  return { ok: true, state: freeze(d), events };
}

/** The options of the player to act, or undefined when nobody is to act. */
export function legalActions(state: HandState): LegalActions | undefined {
  return bettingLegalActions(state);
}

/** True once the hand is settled. */
export function isComplete(state: HandState): boolean {
  return state.street === 'complete';
}

/** The settlement of a complete hand; throws if the hand is still running. */
export function result(state: HandState): HandResult {
  if (!state.handResult) throw new Error('result: the hand is not complete');
  return state.handResult;
}

/** The seat state of a table seat, or undefined. */
export function seatOf(state: HandState, seat: number): SeatState | undefined {
  return state.seats.find((s) => s.seat === seat);
}

/** Throws unless no chip was created or lost: stacks plus the middle (plus rake once settled) equal the starting stacks. */
export function assertConserved(state: HandState): void {
  let start: Chips = ZERO;
  let stacks: Chips = ZERO;
  for (const s of state.seats) {
    if (isNegative(s.stack) || isNegative(s.streetBet) || gt(s.streetBet, s.contributed)) throw new Error(`conservation: bad amounts at seat ${s.seat}`);
    start = plus(start, s.startingStack);
    stacks = plus(stacks, s.stack);
  }
  if (state.handResult) {
    if (!eq(plus(stacks, state.handResult.rake), start)) throw new Error('conservation: final stacks + rake != starting stacks');
    return;
  }
  let middle: Chips = ZERO;
  for (const s of state.seats) middle = plus(middle, s.contributed);
  if (!eq(plus(stacks, middle), start)) {
    throw new Error(`conservation: stacks ${stacks.toString()} + pot ${middle.toString()} != ${start.toString()}`);
  }
}

