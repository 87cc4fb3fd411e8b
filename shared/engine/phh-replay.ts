/**
 * Replays a PHH hand through the engine and exports an engine hand as PHH.
 *
 * Mapping: player pK is seat K-1; players are listed in action order, so p1 is first left of the
 * button and the last player is the button. Blinds are always [small, big, straddles…]; heads-up the
 * button (p2) posts the small blind, as in the engine. The deck is rebuilt in the engine's dealing
 * order (p1's hole cards, p2's, …, then the board in `d db` order) and completed with the unused
 * cards, so the engine deals exactly what the history dealt. Shows (`pK sm`) are not needed: the
 * engine decides the showdown from the cards, so they are only checked against the dealt cards.
 * The unit of a hand is 1 when every amount is an integer, else 10^-d for the most decimals used.
 */
import { type Chips, ZERO, chips, formatAmount, parseAmount } from '../money';
import { type Card, formatCards, orderedDeck, parseCards } from './cards';
import { apply, holeCardCount, legalActions, result, start } from './hand';
import { orderFromButton } from './draft';
import { type PhhHand } from './phh';
import { type HandConfig, type HandState, type Variant } from './types';

/** What replaying a hand produced: the engine's finishing stacks (unit-formatted strings) and the verdict. */
export interface ReplayOutcome {
  ok: boolean;
  finishingStacks: string[];
  expected?: string[];
  error?: string;
}

class ReplayError extends Error {}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function unitOf(hand: PhhHand): Chips {
  const texts = [
    ...hand.antes, ...hand.blindsOrStraddles, ...hand.startingStacks, ...(hand.finishingStacks ?? []),
    ...[hand.minBet, hand.smallBet, hand.bigBet].filter((x): x is string => x !== undefined),
    ...hand.actions.map((a) => /^p[0-9]+ cbr (\S+)$/.exec(a.trim())?.[1]).filter((x): x is string => x !== undefined),
  ];
  const places = Math.max(0, ...texts.map(decimalsOf));
  return places === 0 ? chips(1) : chips(`0.${'0'.repeat(places - 1)}1`);
}

function amount(text: string, what: string, unit?: Chips): Chips {
  const r = parseAmount(text, unit);
  if (!r.ok) throw new ReplayError(`${what}: bad amount "${text}" (${r.reason})`);
  return r.value;
}

/** The value text of a user-defined field, or undefined. */
function extraOf(hand: PhhHand, key: string): string | undefined {
  return hand.extra.find(([k]) => k === key)?.[1];
}

/**
 * Felt's rake fields (docs/HAND-HISTORY.md): `_rake` is the total taken from the pots, `_rake_percent`
 * and `_rake_cap` (0 = no cap) the table's rule, which replay needs to take the same rake from the
 * same pots. Hands without `_rake` are unraked.
 */
function rakeOf(hand: PhhHand, unit: Chips): { total: Chips; percent: Chips; cap: Chips } | undefined {
  const total = extraOf(hand, '_rake');
  if (total === undefined) return undefined;
  const percent = extraOf(hand, '_rake_percent');
  const cap = extraOf(hand, '_rake_cap');
  if (percent === undefined || cap === undefined) throw new ReplayError('_rake needs _rake_percent and _rake_cap to be replayed');
  const pct = parseAmount(percent);
  if (!pct.ok || pct.value.gt(100)) throw new ReplayError(`_rake_percent: bad percentage "${percent}"`);
  return { total: amount(total, '_rake', unit), percent: pct.value, cap: amount(cap, '_rake_cap', unit) };
}

/** Builds the engine configuration of a PHH hand. */
function configOf(hand: PhhHand, unit: Chips): HandConfig {
  if (hand.variant !== 'NT' && hand.variant !== 'PO' && hand.variant !== 'FT') throw new ReplayError(`unsupported variant ${hand.variant}`);
  const n = hand.startingStacks.length;
  if (n < 2 || n > 10) throw new ReplayError(`${n} players; need 2..10`);
  if (hand.antes.length !== n || hand.blindsOrStraddles.length !== n) throw new ReplayError('antes and blinds_or_straddles must list every player');
  const antes = hand.antes.map((a) => amount(a, 'antes', unit));
  if (antes.some((a) => !a.eq(antes[0]!))) throw new ReplayError('only uniform antes are supported');
  const blinds = hand.blindsOrStraddles.map((b) => amount(b, 'blinds_or_straddles', unit));
  const lastNonZero = blinds.reduce((last, b, i) => (b.gt(0) ? i : last), -1);
  const straddles = blinds.slice(2, lastNonZero + 1);
  if (straddles.some((s) => s.isZero())) throw new ReplayError('straddles must be contiguous after the big blind');
  const variant: Variant = hand.variant;
  const fixed = variant === 'FT';
  if (fixed && (hand.smallBet === undefined || hand.bigBet === undefined)) throw new ReplayError('FT needs small_bet and big_bet');
  if (!fixed && hand.minBet === undefined) throw new ReplayError(`${variant} needs min_bet`);
  const smallBet = fixed ? amount(hand.smallBet!, 'small_bet', unit) : undefined;
  const rake = rakeOf(hand, unit);
  return {
    variant, unit, ante: antes[0]!, smallBlind: blinds[0]!, bigBlind: blinds[1]!,
    ...(straddles.length > 0 ? { straddles } : {}),
    minBet: fixed ? smallBet! : amount(hand.minBet!, 'min_bet', unit),
    ...(fixed ? { smallBet, bigBet: amount(hand.bigBet!, 'big_bet', unit) } : {}),
    rakePercent: rake?.percent ?? ZERO, rakeCap: rake?.cap ?? ZERO, shortAllInReopens: true, straddleKeepsMinRaise: true,
  };
}

function playerIndex(token: string, n: number): number {
  const m = /^p([0-9]+)$/.exec(token);
  const k = m ? Number(m[1]) : 0;
  if (k < 1 || k > n) throw new ReplayError(`unknown player ${token}`);
  return k - 1;
}

function cardsOf(text: string): Card[] {
  const cards = parseCards(text);
  if (!cards) throw new ReplayError(`unreadable cards "${text}"`);
  return cards;
}

/** Rebuilds the deck the engine must deal from: hole cards in player order, the board, then the rest. */
function deckOf(hand: PhhHand, config: HandConfig): Card[] {
  const n = hand.startingStacks.length;
  const holes: (Card[] | undefined)[] = Array.from({ length: n }, () => undefined);
  const board: Card[] = [];
  hand.actions.forEach((text, ai) => {
    const parts = text.trim().split(/\s+/);
    try {
      if (parts[0] === 'd' && parts[1] === 'dh') {
        const i = playerIndex(parts[2] ?? '', n);
        if (holes[i]) throw new ReplayError(`p${i + 1} is dealt twice`);
        holes[i] = cardsOf(parts[3] ?? '');
        if (holes[i].length !== holeCardCount(config)) throw new ReplayError(`p${i + 1} needs ${holeCardCount(config)} hole cards`);
      } else if (parts[0] === 'd' && parts[1] === 'db') {
        board.push(...cardsOf(parts[2] ?? ''));
      }
    } catch (e) {
      throw new ReplayError(`action ${ai} '${text}': ${(e as Error).message}`);
    }
  });
  if (board.length > 5) throw new ReplayError('more than five board cards');
  const missing = holes.findIndex((h) => h === undefined);
  if (missing >= 0) throw new ReplayError(`p${missing + 1} is never dealt hole cards`);
  const used = [...holes.flatMap((h) => h!), ...board];
  if (new Set(used).size !== used.length) throw new ReplayError(`a card is dealt twice: ${formatCards(used)}`);
  return [...used, ...orderedDeck().filter((c) => !used.includes(c))];
}

/** How far the history has got: board cards dealt so far, and whether a pointless check was skipped. */
interface Progress {
  count: number;
  skippedCheck?: boolean;
}

/**
 * True for the one check PokerKit asks for and Felt does not: the last player who can still act has
 * matched the bet after everyone else folded or went all-in (PokerKit only drops such a player when a
 * round opens). The engine has then already closed the round and run the board out, while the history
 * has not dealt it yet. Only one such check per hand is skipped; anything else stays an error.
 */
function pointlessCheck(state: HandState, index: number, progress: Progress): boolean {
  const seat = state.seats[index]!;
  // The player had chips behind (was not all-in), so PokerKit could still ask them.
  if (progress.skippedCheck || state.street !== 'complete' || seat.folded || !seat.contributed.lt(seat.startingStack)) return false;
  if (progress.count >= state.board.length) return false;
  progress.skippedCheck = true;
  return true;
}

/** Applies one PHH action to the engine state. */
function step(state: HandState, text: string, n: number, boardSeen: Progress): HandState {
  const parts = text.trim().split(/\s+/);
  if (parts[0] === 'd') {
    if (parts[1] === 'dh') return state;
    if (parts[1] !== 'db') throw new ReplayError('unknown dealer action');
    boardSeen.count += cardsOf(parts[2] ?? '').length;
    if (state.board.length < boardSeen.count) throw new ReplayError('board dealt while the betting round is still open');
    return state;
  }
  const index = playerIndex(parts[0] ?? '', n);
  const seat = index;
  if (parts[1] === 'sm') {
    if (parts.length > 2 && formatCards(cardsOf(parts[2]!)) !== formatCards(state.seats[index]!.hole)) {
      throw new ReplayError('shows cards it was not dealt');
    }
    return state;
  }
  if (parts[1] === 'cc' && parts.length === 2 && pointlessCheck(state, index, boardSeen)) return state;
  let outcome;
  if (parts[1] === 'f' && parts.length === 2) outcome = apply(state, { seat, type: 'fold' });
  else if (parts[1] === 'cc' && parts.length === 2) {
    const legal = legalActions(state);
    outcome = apply(state, { seat, type: legal && !legal.canCheck ? 'call' : 'check' });
  } else if (parts[1] === 'cbr' && parts.length === 3) {
    const to = amount(parts[2]!, 'cbr', state.config.unit);
    outcome = apply(state, { seat, type: state.currentBet.gt(0) ? 'raise' : 'bet', to });
  } else throw new ReplayError('malformed action');
  if (!outcome.ok) throw new ReplayError(`${outcome.code}: ${outcome.message}`);
  return outcome.state;
}

/** Replays a hand through the engine and compares the finishing stacks with the history's. */
export function replayPhh(hand: PhhHand): ReplayOutcome {
  let unit: Chips = chips(1);
  let expected: string[] | undefined;
  try {
    unit = unitOf(hand);
    const config = configOf(hand, unit);
    expected = hand.finishingStacks?.map((s) => formatAmount(amount(s, 'finishing_stacks'), unit));
    const n = hand.startingStacks.length;
    const seats = hand.startingStacks.map((s, i) => ({ seat: i, stack: amount(s, 'starting_stacks', unit) }));
    let state = start(config, seats, n - 1, deckOf(hand, config));
    const boardSeen: Progress = { count: 0 };
    hand.actions.forEach((text, ai) => {
      try {
        state = step(state, text, n, boardSeen);
      } catch (e) {
        throw new ReplayError(`action ${ai} '${text}': ${(e as Error).message}`);
      }
    });
    if (state.street !== 'complete') {
      const who = state.toAct === undefined ? 'nobody' : `p${state.toAct + 1}`;
      throw new ReplayError(`the hand is not finished after the last action (${who} to act)`);
    }
    const { finalStacks: final, rake } = result(state);
    const finishingStacks = hand.startingStacks.map((_, i) => formatAmount(final[i]!, unit));
    const matches = expected === undefined || expected.every((e, i) => e === finishingStacks[i]) && expected.length === n;
    const wantedRake = rakeOf(hand, unit)?.total ?? ZERO;
    const error = !matches ? 'finishing stacks differ from the history'
      : !rake.eq(wantedRake) ? `the rule takes a rake of ${formatAmount(rake, unit)}, the history says ${formatAmount(wantedRake, unit)}` : undefined;
    return { ok: error === undefined, finishingStacks, ...(expected ? { expected } : {}), ...(error ? { error } : {}) };
  } catch (e) {
    return { ok: false, finishingStacks: [], ...(expected ? { expected } : {}), error: (e as Error).message };
  }
}

/** Exports an engine hand as PHH (players listed from left of the button; a muck after the river is `pK sm`). */
export function phhFromHand(state: HandState): PhhHand {
  const c = state.config;
  const order = orderFromButton(state);
  const player = new Map(order.map((index, k) => [state.seats[index]!.seat, `p${k + 1}`]));
  const f = (x: Chips): string => formatAmount(x, c.unit);
  const n = order.length;
  const blinds = [c.smallBlind, c.bigBlind, ...(c.straddles ?? [])].map(f);
  while (blinds.length < n) blinds.push(f(ZERO));
  const actions: string[] = [];
  const shows: { seat: number; cards: string | undefined }[] = [];
  // Where the showdown goes: after the last deal or action, so before a run-out's board cards.
  let showAt = 0;
  for (const e of state.events) {
    if (e.type === 'deal_hole') actions.push(`d dh ${player.get(e.seat)} ${e.cards}`);
    else if (e.type === 'street') actions.push(`d db ${e.cards}`);
    else if (e.type === 'showdown') shows.push({ seat: e.seat, cards: e.shown ? e.cards : undefined });
    else if (e.type === 'action') {
      const who = player.get(e.seat);
      if (e.action === 'fold') actions.push(`${who} f`);
      else if (e.action === 'check' || e.action === 'call') actions.push(`${who} cc`);
      else actions.push(`${who} cbr ${e.to}`);
    }
    if (e.type === 'deal_hole' || e.type === 'action') showAt = actions.length;
  }
  // PokerKit (and the PHH spec's examples) show down as soon as the betting is over, before the rest
  // of the board is run out, and it needs every player at showdown to show or muck ("pK sm"). Before a
  // run-out every hand is tabled (a muck there would forfeit a pot the player may still win); the
  // cards are in the file's deal lines anyway.
  const runOut = showAt < actions.length;
  const holeOf = (seat: number): string => formatCards(state.seats.find((s) => s.seat === seat)!.hole);
  actions.splice(showAt, 0, ...shows.map((e) => {
    const cards = e.cards ?? (runOut ? holeOf(e.seat) : undefined);
    return cards === undefined ? `${player.get(e.seat)} sm` : `${player.get(e.seat)} sm ${cards}`;
  }));
  const fixed = c.variant === 'FT';
  return {
    variant: c.variant,
    anteTrimmingStatus: true,
    antes: order.map(() => f(c.ante)),
    blindsOrStraddles: blinds.slice(0, n),
    ...(fixed ? { smallBet: f(c.smallBet ?? c.bigBlind), bigBet: f(c.bigBet ?? (c.smallBet ?? c.bigBlind).mul(2)) } : { minBet: f(c.minBet) }),
    startingStacks: order.map((i) => f(state.seats[i]!.startingStack)),
    actions,
    ...(state.handResult ? { finishingStacks: order.map((i) => f(state.handResult!.finalStacks[state.seats[i]!.seat]!)) } : {}),
    extra: rakeFields(state),
  };
}

/**
 * The user-defined rake fields of a raked hand (PHH has none of its own, and user-defined keys must
 * start with `_`): the total taken, so that starting stacks − finishing stacks = `_rake`, and the
 * table's percentage and cap, so that a replay can take the same rake from the same pots.
 */
function rakeFields(state: HandState): [string, string][] {
  const rake = state.handResult?.rake;
  if (!rake || !rake.gt(0)) return [];
  const c = state.config;
  return [['_rake', formatAmount(rake, c.unit)], ['_rake_percent', c.rakePercent.toString()], ['_rake_cap', formatAmount(c.rakeCap, c.unit)]];
}
