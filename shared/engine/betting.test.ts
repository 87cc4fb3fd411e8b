import { chips } from '../money';
import { apply, legalActions } from './hand';
import { b, c, f, nlConfig, play, r, s, startHand, turn, x } from '../../test/helpers/engine-kit';
import { type HandConfig } from './types';

const plo = (o: Partial<HandConfig> = {}): HandConfig => nlConfig({ variant: 'PO', ...o });
const fl = (o: Partial<HandConfig> = {}): HandConfig =>
  nlConfig({ variant: 'FT', smallBet: chips(2), bigBet: chips(4), ...o });

describe('no-limit minimums and maximums', () => {
  it.each([
    // [description, actions, expected minTo, maxTo for the player to act]
    ['open pre-flop: the big blind counts as the bet', [], '4', '100'],
    ['after a raise to 10 the increment is 8', [r(3, 10)], '18', '100'],
    ['after 10 and 30 the increment is 20', [r(3, 10), r(0, 30)], '50', '100'],
  ])('%s', (_name, actions, minTo, maxTo) => {
    const state = play(startHand(nlConfig(), [[0, 100], [1, 100], [2, 100], [3, 100]], 0), actions);
    const la = legalActions(state)!;
    expect([s(la.minTo), s(la.maxTo), la.canRaise, la.canBet]).toEqual([minTo, maxTo, true, false]);
  });

  it('post-flop the minimum opening bet is the big blind', () => {
    const state = play(startHand(nlConfig(), [[0, 100], [1, 100]], 0), [c(0), x(1)]);
    const la = legalActions(state)!;
    expect([turn(state), la.canBet, la.canRaise, la.canCheck, s(la.minTo), s(la.maxTo)]).toEqual([1, true, false, true, '2', '98']);
  });

  it('refuses a raise below the minimum but accepts a short all-in', () => {
    const state = startHand(nlConfig(), [[0, 100], [1, 100], [2, 3]], 0);
    // Seat 0 (button) is first to act with three players: min raise to 4.
    expect(apply(state, r(0, 3))).toMatchObject({ ok: false, code: 'invalid_amount' });
    const afterRaise = play(state, [r(0, 4)]);
    const la = legalActions(afterRaise)!; // seat 1 (small blind)
    expect([turn(afterRaise), s(la.minTo)]).toEqual([1, '6']);
    const toShort = play(afterRaise, [c(1)]);
    // Seat 2 (big blind) has 1 chip behind and faces 2 more: it can only call all-in for 1.
    const shortLa = legalActions(toShort)!;
    expect([turn(toShort), shortLa.canRaise, s(shortLa.callAmount)]).toEqual([2, false, '1']);
  });
});

describe('short all-in does not reopen the betting', () => {
  // Seats 0..3, button 3: SB 0, BB 1, first to act pre-flop 2. Everyone limps; seat 1 keeps 150 behind.
  const cfg = nlConfig({ bigBlind: chips(100), smallBlind: chips(50), minBet: chips(100) });
  const flop = (config = cfg): ReturnType<typeof startHand> =>
    play(startHand(config, [[0, 1000], [1, 250], [2, 1000], [3, 1000]], 3), [c(2), c(3), c(0), x(1)]);

  it('a player who already acted and faces only a short raise may just call or fold', () => {
    const state = play(flop(), [b(0, 100), r(1, 150), c(2), c(3)]);
    const la = legalActions(state)!;
    expect([turn(state), la.canRaise, s(la.callAmount), s(state.minRaise)]).toEqual([0, false, '50', '100']);
    expect(apply(state, r(0, 250))).toMatchObject({ ok: false, code: 'illegal_action' });
    expect(play(state, [c(0)]).street).toBe('turn');
  });

  it('a player yet to act may raise over a short all-in', () => {
    const state = play(flop(), [b(0, 100), r(1, 150)]);
    const la = legalActions(state)!;
    expect([turn(state), la.canRaise, s(la.minTo)]).toEqual([2, true, '250']);
  });

  it('short all-ins that add up to a full raise reopen it (TDA 47)', () => {
    const small = nlConfig({ bigBlind: chips(10), smallBlind: chips(5), minBet: chips(10) });
    const pre = (a: number, b3: number): ReturnType<typeof startHand> =>
      play(startHand(small, [[0, 1000], [1, 1000], [2, a], [3, b3]], 3), [c(2), c(3), c(0), x(1)]);
    const after = play(pre(115, 120), [b(0, 100), c(1), r(2, 105), r(3, 110)]);
    expect([turn(after), legalActions(after)!.canRaise]).toEqual([0, false]); // faces 10 < 100
    const reopened = play(pre(160, 210), [b(0, 100), c(1), r(2, 150), r(3, 200)]);
    expect([turn(reopened), legalActions(reopened)!.canRaise]).toEqual([0, true]); // faces 100, a full raise
  });

  it('PokerKit-compatible mode lets the short all-in reopen', () => {
    const state = play(flop({ ...cfg, shortAllInReopens: true }), [b(0, 100), r(1, 150), c(2), c(3)]);
    expect(legalActions(state)!.canRaise).toBe(true);
  });
});

describe('pot-limit maximums', () => {
  it.each([
    ['first to act pre-flop: 2 + (3 + 2) = 7', [], '7'],
    ['the small blind after a pot raise to 7: 7 + (10 + 6) = 23', [r(2, 7)], '23'],
  ])('%s', (_n, actions, maxTo) => {
    const state = play(startHand(plo(), [[0, 500], [1, 500], [2, 500]], 2), actions);
    expect(s(legalActions(state)!.maxTo)).toBe(maxTo);
  });

  it('post-flop a pot bet is the pot, and a pot raise counts the call', () => {
    const state = play(startHand(plo(), [[0, 500], [1, 500], [2, 500]], 2), [c(2), c(0), x(1)]);
    expect(s(legalActions(state)!.maxTo)).toBe('6');
    const raised = play(state, [b(0, 6)]);
    expect(s(legalActions(raised)!.maxTo)).toBe('24'); // 6 + (12 + 6)
    expect(apply(raised, r(1, 25))).toMatchObject({ ok: false, code: 'invalid_amount' });
  });
});

describe('fixed limit', () => {
  it('raises by the small bet pre-flop and caps at four voluntary bets', () => {
    let state = startHand(fl(), [[0, 500], [1, 500], [2, 500]], 2);
    expect([s(legalActions(state)!.minTo), s(legalActions(state)!.maxTo)]).toEqual(['4', '4']);
    state = play(state, [r(2, 4), r(0, 6), r(1, 8), r(2, 10)]);
    const la = legalActions(state)!;
    expect([la.canRaise, s(la.callAmount)]).toEqual([false, '4']);
    expect(apply(state, r(0, 12))).toMatchObject({ ok: false, code: 'illegal_action' });
  });

  it('uses the big bet on the turn and river', () => {
    const state = play(startHand(fl(), [[0, 500], [1, 500]], 0), [c(0), x(1), x(1), x(0)]);
    expect(state.street).toBe('turn');
    expect(s(legalActions(state)!.minTo)).toBe('4');
    expect(apply(state, b(1, 5))).toMatchObject({ ok: false, code: 'invalid_amount' });
  });

  it('allows an all-in for less', () => {
    const state = startHand(fl(), [[0, 500], [1, 500], [2, 3]], 2);
    expect(apply(state, r(2, 3))).toMatchObject({ ok: true });
  });
});

describe('amount checks', () => {
  const state = startHand(nlConfig({ unit: chips('0.01'), smallBlind: chips('0.01'), bigBlind: chips('0.02'), minBet: chips('0.02') }), [[0, 5], [1, 5], [2, 5]], 2);
  it.each([
    ['finer than the unit', r(2, '0.045'), 'invalid_amount'],
    ['call with an amount', { seat: 2, type: 'call' as const, to: chips('0.02') }, 'invalid_amount'],
    ['check facing the big blind', x(2), 'illegal_action'],
    ['bet when there is a bet', b(2, '0.10'), 'illegal_action'],
    ['raise above the stack', r(2, '5.01'), 'invalid_amount'],
    ['raise without an amount', { seat: 2, type: 'raise' as const }, 'invalid_amount'],
    ['out of turn', c(0), 'not_your_turn'],
  ])('refuses %s', (_n, action, code) => {
    expect(apply(state, action)).toMatchObject({ ok: false, code });
  });

  it('turns a call for more than the stack into an all-in call', () => {
    const state = play(startHand(nlConfig(), [[0, 100], [1, 100], [2, 30]], 2), [c(2), r(0, 80), f(1)]);
    expect(s(legalActions(state)!.callAmount)).toBe('28');
    const r2 = apply(state, c(2));
    if (!r2.ok) throw new Error(r2.message);
    expect(r2.events[0]).toEqual({ type: 'action', seat: 2, action: 'call', amount: '28', allIn: true });
    expect(r2.events[1]).toEqual({ type: 'uncalled_return', seat: 0, amount: '50' });
    expect(r2.state.street).toBe('complete');
  });
});
