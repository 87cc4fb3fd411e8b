import fc from 'fast-check';
import { type Chips, chips, sumChips } from '../money';
import { buildPots, computeRake, potWinners, rakeByPot, splitPot, uncalledBet } from './pots';

const c = (xs: (string | number)[]): Chips[] => xs.map((x) => chips(x));
const str = (xs: Chips[]): string[] => xs.map((x) => x.toString());

describe('uncalledBet', () => {
  it.each([
    { bets: [100, 300, 100], expected: { index: 1, amount: '200' } },
    { bets: [50, 50], expected: undefined },
    { bets: [0, 10, 0], expected: { index: 1, amount: '10' } },
    { bets: [0, 0, 0], expected: undefined },
    { bets: ['0.30', '1.00', '0.50'], expected: { index: 1, amount: '0.5' } },
  ])('returns the unmatched part of $bets', ({ bets, expected }) => {
    const u = uncalledBet(c(bets));
    expect(u && { index: u.index, amount: u.amount.toString() }).toEqual(expected);
  });
});

describe('buildPots', () => {
  it('builds main and side pots for a three-way all-in', () => {
    const pots = buildPots([
      { amount: chips(50), folded: false },
      { amount: chips(200), folded: false },
      { amount: chips(120), folded: false },
    ]);
    expect(pots.map((p) => [p.amount.toString(), p.eligible])).toEqual([
      ['150', [0, 1, 2]],
      ['140', [1, 2]],
      ['80', [1]],
    ]);
  });

  it('keeps folded chips in the pots but not the folder', () => {
    const pots = buildPots([
      { amount: chips(30), folded: true },
      { amount: chips(100), folded: false },
      { amount: chips(60), folded: false },
    ]);
    // Levels 30 and 60 both have players 1 and 2 eligible, so they merge into one main pot.
    expect(pots.map((p) => [p.amount.toString(), p.eligible])).toEqual([
      ['150', [1, 2]],
      ['40', [1]],
    ]);
  });

  it('merges a layer only a folded player reached into the pot below', () => {
    const pots = buildPots([
      { amount: chips(80), folded: true },
      { amount: chips(50), folded: false },
      { amount: chips(50), folded: false },
    ]);
    expect(pots.map((p) => [p.amount.toString(), p.eligible])).toEqual([['180', [1, 2]]]);
  });

  it('always adds up to the contributions', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ cents: fc.integer({ min: 0, max: 10_000 }), folded: fc.boolean() }), { minLength: 2, maxLength: 9 }), (rows) => {
        fc.pre(rows.some((r) => !r.folded && r.cents === Math.max(...rows.map((x) => x.cents))));
        const contributions = rows.map((r) => ({ amount: chips(r.cents).div(100), folded: r.folded }));
        const pots = buildPots(contributions);
        expect(sumChips(pots.map((p) => p.amount)).eq(sumChips(contributions.map((x) => x.amount)))).toBe(true);
        for (const p of pots) for (const i of p.eligible) expect(rows[i]!.folded).toBe(false);
      }),
    );
  });
});

describe('splitPot', () => {
  it('splits 0.05 two ways: the odd cent goes to the first winner left of the button', () => {
    const shares = splitPot(chips('0.05'), [2, 0], chips('0.01'));
    expect(shares.map((s) => [s.index, s.amount.toFixed(2)])).toEqual([[2, '0.03'], [0, '0.02']]);
  });

  it('gives leftover units one each in order', () => {
    const shares = splitPot(chips(11), [1, 2, 0], chips(1));
    expect(shares.map((s) => [s.index, s.amount.toString()])).toEqual([[1, '4'], [2, '4'], [0, '3']]);
  });

  it('always sums exactly to the pot, with shares differing by at most one unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 9 }), (cents, n) => {
        const unit = chips('0.01');
        const amount = chips(cents).mul(unit);
        const shares = splitPot(amount, Array.from({ length: n }, (_, i) => i), unit);
        expect(sumChips(shares.map((s) => s.amount)).eq(amount)).toBe(true);
        const max = shares[0]!.amount;
        const min = shares[shares.length - 1]!.amount;
        expect(max.minus(min).lte(unit)).toBe(true);
      }),
    );
  });
});

describe('computeRake', () => {
  const cfg = (pct: string, cap: string, unit = '0.01'): { rakePercent: Chips; rakeCap: Chips; unit: Chips } => ({
    rakePercent: chips(pct), rakeCap: chips(cap), unit: chips(unit),
  });
  it.each([
    { total: '10.10', pct: '5', cap: '0', sawFlop: true, rake: '0.51' }, // 0.505 rounds half up
    { total: '10.09', pct: '5', cap: '0', sawFlop: true, rake: '0.5' }, // 0.5045 rounds down
    { total: '100', pct: '5', cap: '3', sawFlop: true, rake: '3' }, // capped
    { total: '100', pct: '5', cap: '0', sawFlop: false, rake: '0' }, // no flop, no drop
    { total: '100', pct: '0', cap: '0', sawFlop: true, rake: '0' },
  ])('rakes $total at $pct% cap $cap flop=$sawFlop → $rake', ({ total, pct, cap, sawFlop, rake }) => {
    expect(computeRake(chips(total), cfg(pct, cap), sawFlop).toString()).toBe(rake);
  });

  it('rounds to whole units at an integer table', () => {
    expect(computeRake(chips(30), cfg('5', '0', '1'), true).toString()).toBe('2'); // 1.5 → 2
    expect(computeRake(chips(29), cfg('5', '0', '1'), true).toString()).toBe('1'); // 1.45 → 1
  });
});

describe('rakeByPot', () => {
  it('takes rake from the main pot first', () => {
    const pots = [{ amount: chips(2), eligible: [0, 1] }, { amount: chips(10), eligible: [1] }];
    expect(str(rakeByPot(pots, chips(3)))).toEqual(['2', '1']);
  });
});

describe('potWinners', () => {
  it('returns the tied best hands in award order', () => {
    const pot = { amount: chips(10), eligible: [0, 1, 2] };
    expect(potWinners(pot, [5, 7, 7], [2, 0, 1])).toEqual([2, 1]);
    expect(potWinners({ amount: chips(10), eligible: [1] }, [undefined, undefined], [0, 1])).toEqual([1]);
  });
});
