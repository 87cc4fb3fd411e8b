import fc from 'fast-check';
import { chips, sumChips } from '../money';
import { apply, assertConserved, result, start } from './hand';
import { arbTable, playRandom } from '../../test/helpers/engine-kit';

describe('random legal play', () => {
  it('conserves chips at every step and settles exactly', () => {
    fc.assert(
      fc.property(arbTable, fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 60 }), (table, choices) => {
        const initial = start(table.config, table.seats, table.button, table.deck);
        const done = playRandom(initial, choices);
        const res = result(done);
        const startTotal = sumChips(table.seats.map((s) => s.stack));
        const potTotal = sumChips(res.pots.map((p) => p.amount));
        expect(sumChips(Object.values(res.payouts)).plus(res.rake).eq(potTotal)).toBe(true);
        expect(sumChips(Object.values(res.netBySeat)).plus(res.rake).isZero()).toBe(true);
        expect(sumChips(Object.values(res.finalStacks)).plus(res.rake).eq(startTotal)).toBe(true);
        for (const pot of res.pots) {
          expect(sumChips(pot.winners.map((w) => w.amount)).plus(pot.rake).eq(pot.amount)).toBe(true);
        }
        for (const s of done.seats) expect(s.stack.gte(0) && s.stack.mod(table.config.unit).isZero()).toBe(true);
        if (!res.sawFlop) expect(res.rake.isZero()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary (often illegal) requests and leaves the state unchanged when refusing', () => {
    const types = ['fold', 'check', 'call', 'bet', 'raise'] as const;
    fc.assert(
      fc.property(
        arbTable,
        fc.array(fc.record({ seat: fc.integer({ min: 0, max: 9 }), type: fc.constantFrom(...types), cents: fc.option(fc.integer({ min: 0, max: 100_000 })) }), { maxLength: 40 }),
        (table, requests) => {
          let st = start(table.config, table.seats, table.button, table.deck);
          for (const q of requests) {
            const before = JSON.stringify(st);
            const r = apply(st, { seat: q.seat, type: q.type, ...(q.cents === null ? {} : { to: chips(q.cents).div(100) }) });
            if (r.ok) st = r.state;
            else expect(JSON.stringify(st)).toBe(before);
          }
          assertConserved(st);
        },
      ),
      { numRuns: 200 },
    );
  });
});
