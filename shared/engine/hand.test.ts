import { chips, ZERO } from '../money';
import { apply, assertConserved, isComplete, legalActions, result, start, startWithEvents } from './hand';
import { type HandEvent, type HandState } from './types';
import { b, c, deckOf, f, nlConfig, play, r, s, seatsOf, stackOf, startHand, turn, x } from '../../test/helpers/engine-kit';

const posts = (events: readonly HandEvent[]): string[] =>
  events.filter((e) => e.type === 'post').map((e) => (e.type === 'post' ? `${e.seat}:${e.kind}:${e.amount}${e.allIn ? '!' : ''}` : ''));

const checkDown = (state: HandState): HandState => {
  let st = state;
  while (!isComplete(st)) {
    const la = legalActions(st)!;
    st = play(st, [la.canCheck ? x(la.seat) : c(la.seat)]);
  }
  return st;
};

describe('positions and blinds', () => {
  it.each([
    { seats: [1, 4, 7], button: 7, blinds: ['1:sb:1', '4:bb:2'], first: 7, firstPostflop: 1 },
    { seats: [0, 2, 5, 7], button: 2, blinds: ['5:sb:1', '7:bb:2'], first: 0, firstPostflop: 5 },
    { seats: [0, 1, 2, 3, 4], button: 4, blinds: ['0:sb:1', '1:bb:2'], first: 2, firstPostflop: 0 },
    // Heads-up: the button posts the small blind and acts first pre-flop; the big blind acts first after.
    { seats: [3, 8], button: 8, blinds: ['8:sb:1', '3:bb:2'], first: 8, firstPostflop: 3 },
  ])('button $button of $seats', ({ seats, button, blinds, first, firstPostflop }) => {
    const { state, events } = startWithEvents(nlConfig(), seatsOf(seats.map((seat) => [seat, 100])), button, deckOf([]));
    expect(posts(events)).toEqual(blinds);
    expect(turn(state)).toBe(first);
    // Everyone calls, the big blind checks: the flop opens left of the button.
    let st = state;
    while (st.street === 'preflop') {
      const la = legalActions(st)!;
      st = play(st, [la.canCheck ? x(la.seat) : c(la.seat)]);
    }
    expect([st.street, turn(st)]).toEqual(['flop', firstPostflop]);
  });

  it('deals each player all their cards at once, starting left of the button', () => {
    const { state, events } = startWithEvents(nlConfig(), seatsOf([[0, 100], [5, 100], [9, 100]]), 5, deckOf(['AsKs', 'QhQd', '2c3c']));
    expect(events.filter((e) => e.type === 'deal_hole')).toEqual([
      { type: 'deal_hole', seat: 9, cards: 'AsKs' },
      { type: 'deal_hole', seat: 0, cards: 'QhQd' },
      { type: 'deal_hole', seat: 5, cards: '2c3c' },
    ]);
    expect(state.deckPos).toBe(6);
  });

  it('a short big blind posts all-in and the others call what it posted', () => {
    const { state, events } = startWithEvents(nlConfig(), seatsOf([[0, 100], [1, 100], [2, 1]]), 0, deckOf([]));
    expect(posts(events)).toEqual(['1:sb:1', '2:bb:1!']);
    const la = legalActions(state)!;
    expect([la.seat, s(la.callAmount), s(la.minTo)]).toEqual([0, '1', '3']);
  });

  it('a straddle acts last pre-flop and sets the minimum raise', () => {
    const st = startHand(nlConfig({ straddles: [chips(4)] }), [[0, 100], [1, 100], [2, 100], [3, 100]], 0);
    expect(posts(st.events)).toEqual(['1:sb:1', '2:bb:2', '3:straddle:4']);
    expect([turn(st), s(legalActions(st)!.minTo)]).toEqual([0, '8']);
  });

  it('antes are posted by everyone first, a short stack all-in, and only count for the main pot', () => {
    const cfg = nlConfig({ ante: chips(5) });
    const st = startHand(cfg, [[0, 3], [1, 100], [2, 100]], 2, ['AhAd', '7c2d', '8s3h'], '4c9dJhKsQc');
    expect(posts(st.events)).toEqual(['0:ante:3!', '1:ante:5', '2:ante:5', '1:bb:2']);
    const done = checkDown(play(st, [c(2)]));
    const res = result(done);
    // Seat 1 (7-2) can win nothing, so it is no contender in either pot.
    expect(res.pots.map((p) => [s(p.amount), p.eligibleSeats])).toEqual([['9', [0, 2]], ['8', [2]]]);
    expect([res.finalStacks[0], res.finalStacks[1], res.finalStacks[2]].map(s)).toEqual(['9', '93', '101']);
  });
});

describe('ending without a showdown', () => {
  it('everyone folds pre-flop: the uncalled big blind comes back, no board, no rake', () => {
    const st = startHand(nlConfig({ rakePercent: chips(5) }), [[0, 100], [1, 100]], 0);
    const done = play(st, [f(0)]);
    const res = result(done);
    expect([done.board.length, res.wentToShowdown, res.sawFlop, s(res.rake)]).toEqual([0, false, false, '0']);
    expect(res.uncalledReturns.map((u) => [u.seat, s(u.amount)])).toEqual([[1, '1']]);
    expect([s(res.netBySeat[0]), s(res.netBySeat[1])]).toEqual(['-1', '1']);
    expect(apply(done, x(1))).toMatchObject({ ok: false, code: 'hand_complete' });
  });

  it('an uncalled flop bet is returned and never raked', () => {
    const cfg = nlConfig({ unit: chips('0.01'), rakePercent: chips(5) });
    const done = play(startHand(cfg, [[0, 100], [1, 100]], 0), [c(0), x(1), b(1, 50), f(0)]);
    const res = result(done);
    expect(res.uncalledReturns.map((u) => [u.seat, s(u.amount)])).toEqual([[1, '50']]);
    expect([s(res.rake), s(res.payouts[1]), s(res.finalStacks[1])]).toEqual(['0.2', '3.8', '101.8']);
    expect(done.events.filter((e) => e.type === 'uncalled_return')).toEqual([{ type: 'uncalled_return', seat: 1, amount: '50.00' }]);
  });
});

describe('showdowns', () => {
  it('three-way all-in builds a main and a side pot; a losing non-all-in hand is mucked', () => {
    // Button 2: SB 0, BB 1, seat 2 first. Seat 0 AA, seat 1 QQ, seat 2 KK.
    const st = startHand(nlConfig(), [[0, 50], [1, 200], [2, 120]], 2, ['AhAd', 'QcQd', 'KhKd'], '2c7d9hTs3s');
    const done = play(st, [r(2, 120), c(0), c(1)]);
    const res = result(done);
    expect(done.board).toHaveLength(5);
    expect(res.pots.map((p) => [s(p.amount), p.winners.map((w) => [w.seat, s(w.amount)])])).toEqual([
      ['150', [[0, '150']]],
      ['140', [[2, '140']]],
    ]);
    expect([0, 1, 2].map((i) => s(res.finalStacks[i]))).toEqual(['150', '80', '140']);
    // Reveal order starts with the last aggressor (seat 2); all-in hands are shown; QQ cannot beat AA.
    expect(res.showdown.map((e) => [e.seat, e.shown])).toEqual([[2, true], [0, true], [1, false]]);
    expect(done.events.some((e) => e.type === 'showdown' && e.seat === 1 && 'cards' in e)).toBe(false);
  });

  it('splits a 0.05 pot two ways: the odd cent goes to the first winner left of the button', () => {
    const cfg = nlConfig({ unit: chips('0.01'), smallBlind: chips('0.01'), bigBlind: chips('0.02'), minBet: chips('0.02') });
    const st = startHand(cfg, [[0, 1], [1, 1], [2, 1]], 2, ['2c3d', '4h5h', '6c7d'], 'AsKsQsJsTs');
    const done = checkDown(play(st, [c(2), f(0), x(1)]));
    const res = result(done);
    expect(res.pots[0]!.winners.map((w) => [w.seat, s(w.amount)])).toEqual([[1, '0.03'], [2, '0.02']]);
    expect(res.showdown.every((e) => e.shown)).toBe(true);
  });

  it.each([
    { cap: '0', rake: '0.51' }, // 5% of 10.10 = 0.505, rounded half up
    { cap: '0.50', rake: '0.5' },
  ])('rakes 5% of a 10.10 pot with cap $cap', ({ cap, rake }) => {
    const cfg = nlConfig({
      unit: chips('0.01'), smallBlind: chips('0.05'), bigBlind: chips('0.10'), minBet: chips('0.10'),
      rakePercent: chips(5), rakeCap: chips(cap),
    });
    // Heads-up the big blind (seat 1) is dealt first, the button (seat 0) second.
    const st = startHand(cfg, [[0, 20], [1, 20]], 0, ['7c2d', 'AhAd'], '4c9dJhKsQc');
    const done = checkDown(play(st, [r(0, '5.05'), c(1)]));
    const res = result(done);
    expect(s(res.rake)).toBe(rake);
    expect(s(res.payouts[0])).toBe(chips('10.10').minus(chips(rake)).toString());
    expect(res.pots[0]!.rake.toString()).toBe(rake);
  });

  it('runs out the board when everyone is all-in pre-flop', () => {
    const st = startHand(nlConfig(), [[0, 40], [1, 40]], 0, ['7c2d', 'AhAd'], '4c9dJhKsQc');
    const r1 = apply(play(st, [r(0, 40)]), c(1));
    if (!r1.ok) throw new Error(r1.message);
    expect(r1.events.filter((e) => e.type === 'street').map((e) => (e.type === 'street' ? e.cards : ''))).toEqual(['4c9dJh', 'Ks', 'Qc']);
    const res = result(r1.state);
    expect([res.wentToShowdown, res.sawFlop, s(res.finalStacks[0]), s(res.finalStacks[1])]).toEqual([true, true, '80', '0']);
  });
});

describe('events', () => {
  it('logs a whole hand as JSON-safe records', () => {
    const { state, events } = startWithEvents(nlConfig({ ante: chips(1) }), seatsOf([[2, 50], [6, 50]]), 6, deckOf(['7c2d', 'AhAd'], '4c9dJhKsQc'));
    expect(events).toEqual(state.events);
    const done = play(state, [r(6, 6), c(2), x(2), b(6, 10), c(2), x(2), x(6), x(2), x(6)]);
    expect(JSON.parse(JSON.stringify(done.events))).toEqual([
      { type: 'post', seat: 2, kind: 'ante', amount: '1', allIn: false },
      { type: 'post', seat: 6, kind: 'ante', amount: '1', allIn: false },
      { type: 'post', seat: 6, kind: 'sb', amount: '1', allIn: false },
      { type: 'post', seat: 2, kind: 'bb', amount: '2', allIn: false },
      { type: 'deal_hole', seat: 2, cards: '7c2d' },
      { type: 'deal_hole', seat: 6, cards: 'AhAd' },
      { type: 'action', seat: 6, action: 'raise', amount: '5', to: '6', allIn: false },
      { type: 'action', seat: 2, action: 'call', amount: '4', allIn: false },
      { type: 'street', street: 'flop', cards: '4c9dJh' },
      { type: 'action', seat: 2, action: 'check', amount: '0', allIn: false },
      { type: 'action', seat: 6, action: 'bet', amount: '10', to: '10', allIn: false },
      { type: 'action', seat: 2, action: 'call', amount: '10', allIn: false },
      { type: 'street', street: 'turn', cards: 'Ks' },
      { type: 'action', seat: 2, action: 'check', amount: '0', allIn: false },
      { type: 'action', seat: 6, action: 'check', amount: '0', allIn: false },
      { type: 'street', street: 'river', cards: 'Qc' },
      { type: 'action', seat: 2, action: 'check', amount: '0', allIn: false },
      { type: 'action', seat: 6, action: 'check', amount: '0', allIn: false },
      // No aggressor on the river: seat 2 (first left of the button) shows first; 7-high loses to aces but must show first.
      { type: 'showdown', seat: 2, shown: true, cards: '7c2d', description: expect.any(String) },
      { type: 'showdown', seat: 6, shown: true, cards: 'AhAd', description: expect.any(String) },
      { type: 'award', seat: 6, pot: 0, amount: '34' },
    ]);
    expect(result(done).netBySeat).toEqual({ 2: chips(-17), 6: chips(17) });
  });
});

describe('state discipline', () => {
  it('never mutates the input state', () => {
    const st = startHand(nlConfig(), [[0, 100], [1, 100], [2, 100]], 0);
    const before = JSON.stringify(st);
    play(st, [r(0, 10), c(1), f(2)]);
    expect(JSON.stringify(st)).toBe(before);
  });

  it('assertConserved throws when a chip appears', () => {
    const st = startHand(nlConfig(), [[0, 100], [1, 100]], 0);
    const forged: HandState = { ...st, seats: st.seats.map((seat, i) => (i === 0 ? { ...seat, stack: seat.stack.plus(1) } : seat)) };
    expect(() => assertConserved(forged)).toThrow(/conservation/);
    expect(() => assertConserved(st)).not.toThrow();
  });

  it('refuses bad starts', () => {
    expect(() => startHand(nlConfig(), [[0, 100]], 0)).toThrow();
    expect(() => startHand(nlConfig(), [[0, 100], [1, 100]], 5)).toThrow(/button/);
    expect(() => startHand(nlConfig(), [[0, 0], [1, 100]], 0)).toThrow(/stack/);
    expect(() => startHand(nlConfig({ bigBlind: ZERO, minBet: ZERO }), [[0, 10], [1, 100]], 0)).toThrow(/positive/);
    expect(() => startHand(nlConfig({ unit: chips('0.01'), smallBlind: chips('0.005') }), [[0, 10], [1, 100]], 0)).toThrow(/unit/);
    expect(() => startHand(nlConfig({ rakePercent: chips(101) }), [[0, 10], [1, 100]], 0)).toThrow(/rake/);
    expect(() => start(nlConfig(), seatsOf([[0, 10], [1, 100]]), 0, [1, 2, 3])).toThrow(/deck/);
  });

  it('stack helpers agree with results', () => {
    const done = play(startHand(nlConfig(), [[0, 100], [1, 100]], 0), [f(0)]);
    expect([stackOf(done, 0), stackOf(done, 1)]).toEqual(['99', '101']);
  });
});
