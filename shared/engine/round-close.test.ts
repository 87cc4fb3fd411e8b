import fc from 'fast-check';
import { type Chips, ZERO, chips } from '../money';
import { orderedDeck } from './cards';
import { apply, isComplete, legalActions, result, start } from './hand';
import { parsePhh, replayPhh } from './phh';
import { c, f, nlConfig, play, r, s, startHand, turn, x } from '../../test/helpers/engine-kit';
import { type HandConfig, type HandState, type LegalActions, type PlayerAction, type Variant } from './types';

const fl = (o: Partial<HandConfig> = {}): HandConfig => nlConfig({ variant: 'FT', smallBet: chips(2), bigBet: chips(4), ...o });
const po = (o: Partial<HandConfig> = {}): HandConfig => nlConfig({ variant: 'PO', ...o });

/** True when a turn offers a real decision: there is something to call, or a bet or raise is allowed. */
function meaningful(la: LegalActions): boolean {
  return la.callAmount.gt(0) || la.minTo !== undefined;
}

/**
 * Each row: a config, [seat, stack] rows, the button, the actions, and what must follow: either the
 * hand runs out to showdown with nobody asked again, or the named seat still has a real decision.
 */
const ROWS: {
  name: string; config: HandConfig; rows: [number, number][]; button: number; actions: PlayerAction[];
  then: 'runout' | number;
}[] = [
  { name: 'NT heads-up: the button completes all-in, the big blind has matched', config: nlConfig(), rows: [[0, 2], [1, 100]], button: 0, actions: [c(0)], then: 'runout' },
  { name: 'NT heads-up: the button calls all-in for less than the big blind', config: nlConfig({ smallBlind: chips(2), bigBlind: chips(4), minBet: chips(4) }), rows: [[0, 3], [1, 100]], button: 0, actions: [c(0)], then: 'runout' },
  { name: 'NT heads-up with antes: the button completes all-in', config: nlConfig({ ante: chips(1) }), rows: [[0, 3], [1, 100]], button: 0, actions: [c(0)], then: 'runout' },
  { name: 'PO heads-up: the button completes all-in', config: po(), rows: [[4, 2], [7, 50]], button: 4, actions: [c(4)], then: 'runout' },
  { name: 'FT heads-up: the button completes all-in', config: fl(), rows: [[0, 2], [1, 50]], button: 0, actions: [c(0)], then: 'runout' },
  { name: 'FT heads-up: the button calls all-in for less', config: fl(), rows: [[0, 1], [1, 50]], button: 0, actions: [], then: 'runout' },
  // Three players, button 0 straddles 4: the small blind calls all-in, the big blind folds; the
  // straddler has matched and nobody is left to raise against.
  { name: 'NT straddle: the straddler is not asked after an all-in call and a fold', config: nlConfig({ straddles: [chips(4)] }), rows: [[0, 100], [1, 4], [2, 100]], button: 0, actions: [c(1), f(2)], then: 'runout' },
  { name: 'NT three-way: the big blind matched but can still raise the button, so is asked', config: nlConfig(), rows: [[0, 100], [1, 2], [2, 100]], button: 0, actions: [c(0), c(1)], then: 2 },
  { name: 'NT heads-up: a limp with chips behind leaves the big blind its option', config: nlConfig(), rows: [[0, 100], [1, 100]], button: 0, actions: [c(0)], then: 1 },
  // Flop: seat 1 (first) bets, seat 0 raises all-in; seat 1 calls and the board runs out.
  { name: 'NT flop: a call of an all-in raise ends the betting', config: nlConfig(), rows: [[0, 10], [1, 100]], button: 0, actions: [c(0), x(1), { seat: 1, type: 'bet', to: chips(2) }, r(0, 8), c(1)], then: 'runout' },
];

describe('a betting round asks nobody who cannot be answered', () => {
  it.each(ROWS)('$name', ({ config, rows, button, actions, then }) => {
    const state = play(startHand(config, rows, button), actions);
    if (then === 'runout') {
      expect([isComplete(state), turn(state), result(state).board.length]).toEqual([true, undefined, 5]);
    } else {
      const la = legalActions(state)!;
      expect([turn(state), meaningful(la)]).toEqual([then, true]);
    }
  });
});

describe('straddles and the minimum raise', () => {
  it.each([
    // Fixed limit: a straddle is one bet more, and every raise is one more bet (PokerKit agrees).
    ['FT: the raise after a 1/2/4 straddle is to 6', fl({ straddles: [chips(4)] }), {}, '6', '6'],
    ['NT: the raise after a 1/2/4 straddle is to 8 (the straddle is a full raise)', nlConfig({ straddles: [chips(4)] }), {}, '8', '100'],
    ['NT, PHH replay: PokerKit keeps the big blind as the increment', nlConfig({ straddles: [chips(4)] }), { straddleKeepsMinRaise: true }, '6', '100'],
  ])('%s', (_name, config, extra, minTo, maxTo) => {
    const state = startHand({ ...config, ...extra }, [[0, 100], [1, 100], [2, 100], [3, 100]], 0);
    const la = legalActions(state)!;
    expect([turn(state), s(la.minTo), s(la.maxTo)]).toEqual([0, minTo, maxTo]);
  });
});

/** Hand 168 of short-stacks-300: PokerKit asks p2 to check after p3, p4 fold and p1 calls all-in. */
const POKERKIT_CHECK = `variant = 'FT'
ante_trimming_status = true
antes = [0, 0, 0, 0]
blinds_or_straddles = [25, 50, 0, 0]
small_bet = 50
big_bet = 100
starting_stacks = [33, 1343, 236, 111]
actions = ['d dh p1 3hTs', 'd dh p2 5cKh', 'd dh p3 9d4c', 'd dh p4 2s7c', 'p3 f', 'p4 f', 'p1 cc', 'p2 cc', 'p1 sm 3hTs', 'p2 sm 5cKh', 'd db 9c6s8d', 'd db 4d', 'd db Ks']
finishing_stacks = [0, 1376, 236, 111]
`;

describe('PHH replay of PokerKit histories', () => {
  it('skips the one pointless check PokerKit asks for, and nothing more', () => {
    const hand = parsePhh(POKERKIT_CHECK);
    expect(replayPhh(hand)).toMatchObject({ ok: true, finishingStacks: ['0', '1376', '236', '111'] });
    const twice = { ...hand, actions: hand.actions.flatMap((a) => (a === 'p2 cc' ? [a, a] : [a])) };
    expect(replayPhh(twice).error).toMatch(/action 8 'p2 cc': hand_complete/);
    const folded = { ...hand, actions: hand.actions.map((a) => (a === 'p2 cc' ? 'p3 cc' : a)) };
    expect(replayPhh(folded).error).toMatch(/action 7 'p3 cc': hand_complete/);
  });
});

/**
 * Random hands with short stacks (often a blind or two deep), antes and straddles, in every variant,
 * two to six players: at every turn, the player asked must have a real decision.
 */
const arbShortTable = fc
  .record({
    variant: fc.constantFrom<Variant>('NT', 'PO', 'FT'),
    blind: fc.integer({ min: 1, max: 4 }),
    ante: fc.constantFrom(0, 0, 1, 2),
    straddles: fc.integer({ min: 0, max: 2 }),
    players: fc.integer({ min: 2, max: 6 }),
    stacks: fc.array(fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 400 })), { minLength: 6, maxLength: 6 }),
    button: fc.nat({ max: 5 }),
    deck: fc.shuffledSubarray(orderedDeck(), { minLength: 52, maxLength: 52 }),
    choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
  })
  .map((t) => {
    const u = (k: number): Chips => chips(k);
    const straddles = t.players >= 4 ? Array.from({ length: Math.min(t.straddles, t.players - 3) }, (_, k) => u(4 * t.blind * 2 ** k)) : [];
    const config: HandConfig = {
      variant: t.variant, unit: chips(1), smallBlind: u(t.blind), bigBlind: u(2 * t.blind), ante: u(t.ante), straddles,
      minBet: u(2 * t.blind), smallBet: u(2 * t.blind), bigBet: u(4 * t.blind), rakePercent: ZERO, rakeCap: ZERO,
    };
    const seats = Array.from({ length: t.players }, (_, i) => ({ seat: i, stack: u(t.stacks[i]!) }));
    return { config, seats, button: t.button % t.players, deck: t.deck, choices: t.choices };
  });

/** Picks a legal action: fold, check/call, or a bet/raise at the minimum, the maximum or between. */
function pick(state: HandState, la: LegalActions, choice: number): PlayerAction {
  const kind = choice % 6;
  if (kind === 0 && !la.canCheck) return { seat: la.seat, type: 'fold' };
  if (kind >= 3 && la.minTo && la.maxTo) {
    const span = la.maxTo.minus(la.minTo).toNumber();
    const to = kind === 3 ? la.minTo : kind === 4 ? la.maxTo : la.minTo.plus(Math.floor(choice / 6) % (span + 1));
    return { seat: la.seat, type: la.canBet ? 'bet' : 'raise', to };
  }
  return { seat: la.seat, type: la.canCheck ? 'check' : 'call' };
}

describe('random short-stacked hands', () => {
  it('never give a turn to a player whose every action is meaningless', () => {
    fc.assert(
      fc.property(arbShortTable, (t) => {
        let st = start(t.config, t.seats, t.button, t.deck);
        for (let k = 0; !isComplete(st); k++) {
          const la = legalActions(st);
          expect(la).toBeDefined();
          if (!meaningful(la!)) throw new Error(`seat ${la!.seat} asked on ${st.street} with nothing to call and no raise`);
          const out = apply(st, pick(st, la!, t.choices[k % t.choices.length]! + k));
          if (!out.ok) throw new Error(`legal action refused: ${out.message}`);
          st = out.state;
        }
        expect(result(st).board.length === 5 || !result(st).wentToShowdown).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
