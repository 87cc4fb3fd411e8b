import fc from 'fast-check';
import Decimal from 'decimal.js';
import { Money, ZERO, chips, formatAmount, isMultipleOf, maxChips, minChips } from '../money';
import * as fast from './fast-money';

// Amounts as the engine sees them, plus the awkward values: zeros of both signs, NaN, infinities, long fractions.
const special = ['0', '-0', 'NaN', 'Infinity', '-Infinity', '1e-30', '123456789012345.12345678'].map((v) => new Money(v));
const arbAmount = fc.oneof(
  fc.constantFrom(...special),
  fc.tuple(fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.integer({ min: 0, max: 4 })).map(([n, k]) => new Money(n).div(10 ** k)),
);

/** Same value, same sign (so -0 and +0 differ) and same text. */
const same = (a: Decimal, b: Decimal): boolean => a.toJSON() === b.toJSON() && (a.s === b.s || (Number.isNaN(a.s) && Number.isNaN(b.s)));

describe('fast-money agrees with decimal.js', () => {
  it('comparisons, signs, min/max, plus and minus', () => {
    fc.assert(
      fc.property(arbAmount, arbAmount, (a, b) => {
        expect(fast.cmp(a, b)).toEqual(a.cmp(b));
        expect([fast.eq(a, b), fast.lt(a, b), fast.lte(a, b), fast.gt(a, b), fast.gte(a, b)]).toEqual([a.eq(b), a.lt(b), a.lte(b), a.gt(b), a.gte(b)]);
        expect([fast.isPositive(a), fast.isNegative(a)]).toEqual([a.gt(0), a.lt(0)]);
        expect(fast.min(a, b)).toBe(minChips(a, b));
        expect(fast.max(a, b)).toBe(maxChips(a, b));
        expect(same(fast.plus(a, b), a.plus(b))).toBe(true);
        expect(same(fast.minus(a, b), a.minus(b))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('compares values of another Decimal constructor the same way', () => {
    const other = Decimal.clone({ precision: 5, rounding: Decimal.ROUND_FLOOR });
    expect(same(fast.minus(new other(3), new other(3)), new other(3).minus(new other(3)))).toBe(true);
    expect(same(fast.plus(new other('123456.7'), new other(0)), new other('123456.7').plus(0))).toBe(true);
    expect(fast.cmp(new other(2), chips(3))).toBe(-1);
  });

  it.each(['1', '0.01', '0.05', '5', '10', '0.1'])('multiples and formatting at unit %s', (u) => {
    const unit = chips(u);
    const info = fast.unitInfoOf(unit);
    expect(fast.unitInfoOf(unit)).toBe(info);
    fc.assert(
      fc.property(arbAmount, (a) => {
        if (a.isFinite()) expect(fast.isMultipleOfUnit(a, info)).toBe(isMultipleOf(a, unit));
        if (a.isFinite()) expect(fast.formatUnits(a, info)).toBe(formatAmount(a, unit));
      }),
      { numRuns: 500 },
    );
    expect(fast.formatUnits(ZERO, info)).toBe(formatAmount(ZERO, unit));
  });
});
