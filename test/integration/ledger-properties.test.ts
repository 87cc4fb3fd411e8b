/**
 * Property test (fast-check) against a real PostgreSQL: any sequence of transfers, including refused
 * ones, keeps the sum of all balances at zero and the ledger reconciled.
 */
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, startTestHand } from '../helpers/ledger-fixtures';
import { buyIn, cashOut, credit, debit, LedgerError, settleHand } from '../../server/src/ledger/transactions';
import { reconcile } from '../../server/src/ledger/reconcile';

let ds: DataSource;
let players: string[];
let table: string;

beforeAll(async () => {
  ds = await createMigratedDataSource(4);
  players = [await createPlayer(ds), await createPlayer(ds), await createPlayer(ds)];
  table = await createTestTable(ds, { unit: chips('0.01'), smallBlind: chips('0.01'), bigBlind: chips('0.02'), minBuyIn: chips(1), maxBuyIn: chips(100) });
});

afterAll(async () => {
  await ds.destroy();
});

/** Amounts in cents, as decimal strings, so 0.01-unit arithmetic is exercised. */
const cents = fc.integer({ min: 1, max: 50_000 }).map((n) => chips(n).div(100));
const who = fc.integer({ min: 0, max: 2 });
const op = fc.oneof(
  fc.record({ kind: fc.constant('credit' as const), p: who, amount: cents }),
  fc.record({ kind: fc.constant('buyIn' as const), p: who, amount: cents }),
  fc.record({ kind: fc.constant('cashOut' as const), p: who }),
  fc.record({ kind: fc.constant('debit' as const), p: who, amount: cents }),
  fc.record({ kind: fc.constant('settle' as const), p: who, q: who, amount: cents, rakeCents: fc.integer({ min: 0, max: 5 }) }),
);

let counter = 0;

it('keeps the global sum at zero for random sequences of transfers', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
      for (const o of ops) {
        const key = `prop-${counter++}`;
        const p = players[o.p]!;
        try {
          if (o.kind === 'credit') await credit(ds, { playerId: p, amount: o.amount, idempotencyKey: key });
          if (o.kind === 'buyIn') await buyIn(ds, { playerId: p, tableId: table, amount: o.amount, idempotencyKey: key });
          if (o.kind === 'cashOut') await cashOut(ds, { playerId: p, tableId: table, idempotencyKey: key });
          if (o.kind === 'debit') await debit(ds, { playerId: p, amount: o.amount, reason: 'property', idempotencyKey: key, actorId: p });
          if (o.kind === 'settle' && o.p !== o.q) {
            const { handId, seed } = await startTestHand(ds, table);
            const rake = chips(o.rakeCents).div(100);
            const deltas = [{ playerId: p, amount: o.amount.minus(rake) }, { playerId: players[o.q]!, amount: o.amount.neg() }];
            await settleHand(ds, { handId, seed, idempotencyKey: key, deltas, rake, result: null });
          }
        } catch (error) {
          if (!(error instanceof LedgerError) || !['insufficient_funds', 'not_seated'].includes(error.code)) throw error;
        }
      }
      const sum = (await ds.query(`SELECT COALESCE(sum(balance), 0) = 0 AS zero FROM account`)) as { zero: boolean }[];
      expect(sum[0]!.zero).toBe(true);
      const report = await reconcile(ds);
      expect(report.drift).toEqual([]);
      expect(report.unbalancedTransfers).toEqual([]);
    }),
    { numRuns: 25 },
  );
});
