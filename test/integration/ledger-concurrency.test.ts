/**
 * The ledger under concurrency, against a real PostgreSQL: no overdraft from racing buy-ins, no
 * deadlock escaping from opposite lock orders, exactly one winner in settle/void races, and a model
 * check of 1,000 random concurrent operations followed by a full reconciliation.
 */
import type { DataSource } from 'typeorm';
import { chips, type Chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, outcome, startTestHand } from '../helpers/ledger-fixtures';
import {
  buyIn,
  cashOut,
  credit,
  getHouseBalance,
  getSeatBalance,
  getWalletBalance,
  LedgerError,
  settleHand,
  topUp,
  voidHand,
  voidInProgressHands,
} from '../../server/src/ledger/transactions';
import { reconcile } from '../../server/src/ledger/reconcile';

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(20);
});

afterAll(async () => {
  await ds.destroy();
});

/** A small seeded PRNG so a failing run can be replayed with the same operations. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) >>> 0;
  };
}

it('50 concurrent buy-ins of the whole balance: exactly one succeeds, the rest are insufficient_funds', async () => {
  const player = await createPlayer(ds);
  await credit(ds, { playerId: player, amount: chips(100), idempotencyKey: `c-${player}` });
  const tables = await Promise.all(Array.from({ length: 50 }, () => createTestTable(ds)));
  const outcomes = await Promise.all(
    tables.map((tableId, i) => outcome(buyIn(ds, { playerId: player, tableId, amount: chips(100), idempotencyKey: `b${i}-${player}` }))),
  );
  expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'insufficient_funds')).toHaveLength(49);
  expect((await getWalletBalance(ds, player)).toString()).toBe('0');
  const seats = await Promise.all(tables.map((t) => getSeatBalance(ds, player, t)));
  expect(seats.map((s) => s.toString()).sort()).toEqual([...Array(49).fill('0'), '100']);
});

it('two players at two tables settle concurrently in opposite orders without an escaping deadlock', async () => {
  const players = [await createPlayer(ds), await createPlayer(ds)] as const;
  const tables = [await createTestTable(ds), await createTestTable(ds)] as const;
  for (const p of players) {
    await credit(ds, { playerId: p, amount: chips(10_000), idempotencyKey: `c-${p}` });
    for (const t of tables) await buyIn(ds, { playerId: p, tableId: t, amount: chips(1000), idempotencyKey: `b-${p}-${t}` });
  }
  const rakeBefore = await getHouseBalance(ds, 'house_rake');
  const rounds = 25;
  for (let round = 0; round < rounds; round++) {
    // Two hands per table at once, deltas listed in opposite orders, plus top-ups that lock wallet and seat.
    const hands = await Promise.all([tables[0], tables[0], tables[1], tables[1]].map((t) => startTestHand(ds, t)));
    const work = hands.map(({ handId, seed }, i) => {
      const [winner, loser] = i % 2 === 0 ? players : [players[1], players[0]];
      const deltas = [{ playerId: winner, amount: chips(9) }, { playerId: loser, amount: chips(-10) }];
      return settleHand(ds, { handId, seed, idempotencyKey: `s-${handId}`, deltas: i % 2 === 0 ? deltas : deltas.reverse(), rake: chips(1), result: null });
    });
    const topUps = players.flatMap((p) => tables.map((t) => topUp(ds, { playerId: p, tableId: t, amount: chips(1), idempotencyKey: `t-${round}-${p}-${t}` })));
    await Promise.all([...work, ...topUps]);
  }
  // Each round per table: one hand won by each player, so each seat nets -1 per round and gains 1 from the top-up.
  for (const p of players) for (const t of tables) expect((await getSeatBalance(ds, p, t)).toString()).toBe('1000');
  for (const p of players) expect((await getWalletBalance(ds, p)).toString()).toBe(String(10_000 - 2000 - 2 * rounds));
  expect((await getHouseBalance(ds, 'house_rake')).minus(rakeBefore).toString()).toBe(String(4 * rounds));
});

it('settle vs void and double settle races: exactly one wins every time', async () => {
  const players = [await createPlayer(ds), await createPlayer(ds)] as const;
  const table = await createTestTable(ds);
  for (const p of players) {
    await credit(ds, { playerId: p, amount: chips(1000), idempotencyKey: `c-${p}` });
    await buyIn(ds, { playerId: p, tableId: table, amount: chips(1000), idempotencyKey: `b-${p}` });
  }
  let settledWins = 0;
  for (let i = 0; i < 30; i++) {
    const { handId, seed } = await startTestHand(ds, table);
    const deltas = [{ playerId: players[0], amount: chips(5) }, { playerId: players[1], amount: chips(-5) }];
    const settle = (key: string) => settleHand(ds, { handId, seed, idempotencyKey: key, deltas, rake: chips(0), result: null });
    const racers = i % 2 === 0 ? [settle(`s1-${handId}`), voidHand(ds, { handId, reason: 'race', idempotencyKey: `v-${handId}` })] : [settle(`s1-${handId}`), settle(`s2-${handId}`)];
    const outcomes = await Promise.all(racers.map(outcome));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'hand_already_final')).toHaveLength(1);
    const finals = (await ds.query(`SELECT count(*)::int AS n FROM transfer WHERE hand_id = $1`, [handId])) as { n: number }[];
    expect(finals[0]!.n).toBe(1);
    const status = (await ds.query(`SELECT status FROM hand WHERE id = $1`, [handId])) as { status: string }[];
    if (status[0]!.status === 'settled') settledWins++;
  }
  expect((await getSeatBalance(ds, players[0], table)).toString()).toBe(String(1000 + 5 * settledWins));
  expect((await reconcile(ds)).ok).toBe(true);
});

/** The test's own model of every account, keyed like the ledger's accounts. */
class Model {
  readonly balances = new Map<string, Chips>();
  add(key: string, amount: Chips): void {
    this.balances.set(key, (this.balances.get(key) ?? chips(0)).plus(amount));
  }
}

it('1,000 random concurrent operations keep the ledger reconciled and equal to a model', async () => {
  const rnd = prng(20261122);
  const players = await Promise.all(Array.from({ length: 8 }, () => createPlayer(ds)));
  const tables = await Promise.all(Array.from({ length: 3 }, () => createTestTable(ds)));
  const model = new Model();
  const rakeBefore = await getHouseBalance(ds, 'house_rake');
  const issued: { key: string; run: () => Promise<{ transferId: string }>; transferId?: string }[] = [];
  const counts: Record<string, number> = {};

  type Op = () => Promise<string>;
  /** Runs a keyed operation, applies its effect to the model on success, and remembers it for replays. */
  const keyed = <T extends { transferId: string }>(key: string, run: () => Promise<T>, apply: (r: T) => void): Op => async () => {
    const entry: (typeof issued)[number] = { key, run };
    issued.push(entry);
    try {
      const r = await run();
      entry.transferId = r.transferId;
      apply(r);
      return 'ok';
    } catch (error) {
      if (error instanceof LedgerError) return error.code;
      throw error;
    }
  };
  const makeOp = (i: number): Op => {
    const p = players[rnd(players.length)]!;
    const t = tables[rnd(tables.length)]!;
    const amount = chips(1 + rnd(150));
    const kind = rnd(100);
    if (kind < 15) return keyed(`c${i}`, () => credit(ds, { playerId: p, amount, idempotencyKey: `c${i}` }), () => model.add(`w:${p}`, amount));
    if (kind < 35) {
      const move = kind < 28 ? buyIn : topUp;
      return keyed(`b${i}`, () => move(ds, { playerId: p, tableId: t, amount, idempotencyKey: `b${i}` }), () => {
        model.add(`w:${p}`, amount.neg());
        model.add(`s:${p}:${t}`, amount);
      });
    }
    if (kind < 45) {
      return keyed(`o${i}`, () => cashOut(ds, { playerId: p, tableId: t, idempotencyKey: `o${i}` }), (r) => {
        model.add(`s:${p}:${t}`, r.amount.neg());
        model.add(`w:${p}`, r.amount);
      });
    }
    if (kind < 80) {
      const q = players[(players.indexOf(p) + 1 + rnd(players.length - 1)) % players.length]!;
      const rake = chips(rnd(3));
      return async () => {
        const { handId, seed } = await startTestHand(ds, t);
        const deltas = [{ playerId: p, amount: amount.minus(rake) }, { playerId: q, amount: amount.neg() }];
        return keyed(`h${i}`, () => settleHand(ds, { handId, seed, idempotencyKey: `h${i}`, deltas, rake, result: { i } }), () => {
          model.add(`s:${p}:${t}`, amount.minus(rake));
          model.add(`s:${q}:${t}`, amount.neg());
          model.add('rake', rake);
        })();
      };
    }
    if (kind < 88) {
      return async () => {
        const { handId } = await startTestHand(ds, t);
        return keyed(`v${i}`, () => voidHand(ds, { handId, reason: 'random void', idempotencyKey: `v${i}` }), () => undefined)();
      };
    }
    // A duplicate of an earlier key with the same parameters: must answer the same transfer and move nothing.
    return async () => {
      const earlier = issued[rnd(Math.max(issued.length, 1))];
      if (!earlier?.transferId) return 'skipped';
      const r = await earlier.run();
      expect(r.transferId).toBe(earlier.transferId);
      return 'replayed';
    };
  };

  for (const p of players) {
    await credit(ds, { playerId: p, amount: chips(500), idempotencyKey: `seed-${p}` });
    model.add(`w:${p}`, chips(500));
  }
  const total = 1000;
  for (let start = 0; start < total; start += 25) {
    const wave = Array.from({ length: Math.min(25, total - start) }, (_, j) => makeOp(start + j));
    for (const result of await Promise.all(wave.map((op) => op()))) counts[result] = (counts[result] ?? 0) + 1;
  }
  await voidInProgressHands(ds, { tableIds: [...tables], reason: 'test end' });

  // Every outcome is one of the expected ones; a few of each main kind actually happened.
  expect(Object.keys(counts).every((k) => ['ok', 'insufficient_funds', 'not_seated', 'replayed', 'skipped'].includes(k))).toBe(true);
  expect(counts.ok).toBeGreaterThan(300);
  expect(counts.replayed).toBeGreaterThan(20);
  for (const p of players) {
    expect((await getWalletBalance(ds, p)).toString()).toBe((model.balances.get(`w:${p}`) ?? chips(0)).toString());
    for (const t of tables) expect((await getSeatBalance(ds, p, t)).toString()).toBe((model.balances.get(`s:${p}:${t}`) ?? chips(0)).toString());
  }
  expect((await getHouseBalance(ds, 'house_rake')).minus(rakeBefore).toString()).toBe((model.balances.get('rake') ?? chips(0)).toString());
  const report = await reconcile(ds);
  expect(report).toMatchObject({ ok: true, drift: [], unbalancedTransfers: [], settledHandsWithoutOneSettlement: [] });
}, 120_000);
