import { chips } from '../../../shared/money';
import { parsePhh, replayPhh } from '../../../shared/engine/phh';
import { b, c, deckOf, f, nlConfig, r, x } from '../../../test/helpers/engine-kit';
import { storedHand } from '../../../test/helpers/history-kit';
import { handSteps } from './hand-steps';
import { phhText } from './phh-export';

const two = [
  { seat: 2, playerId: 'p2', username: 'ann', stack: '100' },
  { seat: 5, playerId: 'p5', username: 'bob', stack: '80' },
];

describe('PHH export and replayer steps', () => {
  it('writes heads-up hands with the button as p2 posting the small blind, and they replay to the same stacks', () => {
    const hand = storedHand({
      config: nlConfig(), seats: two, button: 5, deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'),
      actions: [r(5, 6), c(2), x(2), b(5, 10), c(2), x(2), x(5), x(2), x(5)], seedHex: '00', tableName: "Bob's", handNumber: '42',
    });
    const text = phhText(hand);
    const phh = parsePhh(text);
    expect(phh.startingStacks).toEqual(['100', '80']);
    expect(phh.blindsOrStraddles).toEqual(['1', '2']);
    expect(phh.actions.slice(0, 3)).toEqual(['d dh p1 AsAd', 'd dh p2 KsKd', 'p2 cbr 6']);
    expect(phh.finishingStacks).toEqual(['116', '64']);
    expect(text).toContain('table = "Bob\'s"');
    expect(text).toContain("players = ['ann', 'bob']");
    expect(text).toContain('seats = [3, 6]');
    expect(text).toContain('hand = 42');
    expect(replayPhh(phh)).toMatchObject({ ok: true, finishingStacks: ['116', '64'] });
  });

  it('records the rake of raked hands', () => {
    const hand = storedHand({
      config: nlConfig({ rakePercent: chips(10), rakeCap: chips(5) }), seats: two, button: 5,
      deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'), actions: [r(5, 20), c(2), x(2), x(5), x(2), x(5), x(2), x(5)], seedHex: '00',
    });
    const text = phhText(hand);
    // PHH keys outside the spec must start with "_" (PokerKit's HandHistory.load reads a bare "rake" as its rake function).
    expect(text).not.toMatch(/^rake = /m);
    expect(text).toMatch(/\n_rake = 4\n_rake_percent = 10\n_rake_cap = 5\n/);
    const phh = parsePhh(text);
    const start = phh.startingStacks.reduce((a, s) => a + Number(s), 0);
    const finish = phh.finishingStacks!.reduce((a, s) => a + Number(s), 0);
    expect(start - finish).toBe(4);
    expect(replayPhh(phh)).toMatchObject({ ok: true, finishingStacks: phh.finishingStacks });
  });

  it('shows down before a run-out, tabling every hand, and writes a muck at the river as "pK sm"', () => {
    const allIn = storedHand({
      config: nlConfig(), seats: two, button: 5, deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'), actions: [r(5, 80), c(2)], seedHex: '00',
    });
    expect(parsePhh(phhText(allIn)).actions.slice(2)).toEqual(['p2 cbr 80', 'p1 cc', 'p2 sm KsKd', 'p1 sm AsAd', 'd db 2c3c4h', 'd db 9s', 'd db 8d']);
    const river = storedHand({
      config: nlConfig(), seats: two, button: 5, deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'),
      actions: [c(5), x(2), x(2), x(5), x(2), x(5), b(2, 2), c(5)], seedHex: '00',
    });
    expect(parsePhh(phhText(river)).actions.slice(-2)).toEqual(['p1 sm AsAd', 'p2 sm']);
  });

  it('steps through a hand with stacks and pot that end at the settled stacks', () => {
    const hand = storedHand({
      config: nlConfig(), seats: two, button: 5, deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'), actions: [r(5, 6), f(2)], seedHex: '00',
    });
    const steps = handSteps(hand);
    expect(steps).toHaveLength(hand.events.length);
    // Seats read as the API numbers them (from 0), as everywhere else in the console.
    expect(steps[0]!.text).toContain('button seat 5');
    expect(steps.find((st) => st.text === 'ann folds')!.actorSeat).toBe(2);
    const last = steps.at(-1)!;
    expect(last.pot).toBe('0');
    expect(last.seats.map((s) => [s.name, s.stack, s.folded])).toEqual([['ann', '98', true], ['bob', '82', false]]);
    expect(steps.some((s) => s.text === 'ann folds')).toBe(true);
  });

  it('steps carry the street, the seat acting, and shown hands described with their kickers', () => {
    const hand = storedHand({
      config: nlConfig(), seats: two, button: 5,
      deck: deckOf(['AsAd', 'KsKd'], '2c3c4h9s8d'), actions: [r(5, 20), c(2), x(2), x(5), x(2), x(5), x(2), x(5)], seedHex: '00',
    });
    const steps = handSteps(hand);
    expect(steps[0]!.street).toBe('preflop');
    expect(steps.map((st) => st.street)).toContain('flop');
    expect(steps.at(-1)!.street).toBe('river');
    expect(steps.find((st) => st.text.startsWith('bob raises'))!.actorSeat).toBe(5);
    expect(steps.find((st) => st.text.startsWith('flop'))!.actorSeat).toBeNull();
    expect(steps.some((st) => st.text === 'ann shows As Ad (Pair, Aces, kickers Nine, Eight, Four)')).toBe(true);
  });
});
