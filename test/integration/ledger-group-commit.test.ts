/**
 * Group commit of hand settlements against a real PostgreSQL: settlements of different tables share
 * transactions, a refused one fails alone (its savepoint is rolled back, the others commit), replays
 * still answer from the stored result, and the ledger reconciles afterwards. Then a hand played over
 * Socket.IO writes its rows in at most two transactions (hand start, and settlement with its history).
 *
 * Transactions are counted by the database, not only by the batcher: `now()` is the start time of the
 * transaction, so rows written by one transaction carry the same `ended_at`/`created_at`, and rows of
 * different transactions differ.
 */
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, outcome, startTestHand } from '../helpers/ledger-fixtures';
import { buyIn, credit, GroupCommit, settleHand, voidHand } from '../../server/src/ledger/transactions';
import { DEFAULT_GROUP_COMMIT } from '../../server/src/ledger/group-commit';
import { WRITE_TRANSFER_SQL, writeTransferParams } from '../../server/src/ledger/accounts';
import { reconcile } from '../../server/src/ledger/reconcile';
import type { Felt } from '../../server/src/boot';
import { startTestServer, TEST_ADMIN } from '../helpers/server';
import { adminToken, createTable, seatPlayers } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

let ds: DataSource;
/** One transaction in flight: everything queued in one turn shares it. */
const ONE_AT_A_TIME = { ...DEFAULT_GROUP_COMMIT, maxInFlight: 1 };

beforeAll(async () => {
  ds = await createMigratedDataSource(10);
});

afterAll(async () => {
  await ds.destroy();
});

interface Lane {
  tableId: string;
  players: [string, string];
}

/** A table with two seated players holding 100 each. */
async function lane(): Promise<Lane> {
  const tableId = await createTestTable(ds);
  const players: [string, string] = [await createPlayer(ds), await createPlayer(ds)];
  for (const p of players) {
    await credit(ds, { playerId: p, amount: chips(100), idempotencyKey: `c-${p}` });
    await buyIn(ds, { playerId: p, tableId, amount: chips(100), idempotencyKey: `b-${p}` });
  }
  return { tableId, players };
}

/** Settlement parameters where the first player wins `won` from the second, with a few history rows. */
function win(l: Lane, hand: { handId: string; seed: string }, won = 5) {
  return {
    handId: hand.handId,
    seed: hand.seed,
    idempotencyKey: `settle:${hand.handId}`,
    deltas: [{ playerId: l.players[0], amount: chips(won) }, { playerId: l.players[1], amount: chips(-won) }],
    rake: chips(0),
    result: { test: true },
    events: [
      { seq: 1, type: 'action', payload: { seat: 0, type: 'raise' } },
      { seq: 2, type: 'action', payload: { seat: 1, type: 'fold' } },
    ],
  };
}

/** How many transactions ended these hands, as the database saw them (distinct transaction start times). */
async function endingTransactions(handIds: string[]): Promise<number> {
  const rows = (await ds.query(`SELECT count(DISTINCT ended_at)::int AS n FROM hand WHERE id = ANY($1::uuid[])`, [handIds])) as { n: number }[];
  return rows[0]!.n;
}

async function statusOf(handId: string): Promise<string> {
  const rows = (await ds.query(`SELECT status FROM hand WHERE id = $1`, [handId])) as { status: string }[];
  return rows[0]!.status;
}

async function eventSeqs(handId: string): Promise<number[]> {
  const rows = (await ds.query(`SELECT seq FROM hand_event WHERE hand_id = $1 ORDER BY seq`, [handId])) as { seq: number }[];
  return rows.map((r) => r.seq);
}

it('24 concurrent settlements of different tables commit in fewer transactions than settlements, each with its history', async () => {
  const lanes = await Promise.all(Array.from({ length: 24 }, () => lane()));
  const hands = await Promise.all(lanes.map((l) => startTestHand(ds, l.tableId)));
  const group = new GroupCommit(ds);
  const results = await Promise.all(lanes.map((l, i) => settleHand(group, win(l, hands[i]!))));

  results.forEach((r, i) => expect(r.seatBalances).toEqual({ [lanes[i]!.players[0]]: '105', [lanes[i]!.players[1]]: '95' }));
  const handIds = hands.map((h) => h.handId);
  const transactions = await endingTransactions(handIds);
  expect(transactions).toBeLessThan(handIds.length);
  expect(group.stats()).toMatchObject({ commits: transactions, committedItems: 24, failedItems: 0 });
  for (const h of handIds) {
    expect(await statusOf(h)).toBe('settled');
    expect(await eventSeqs(h)).toEqual([1, 2]);
  }
  expect(await reconcile(ds)).toMatchObject({ ok: true, drift: [], unbalancedTransfers: [], settledHandsWithoutOneSettlement: [] });
});

it('a refused settlement fails alone: stale CAS, no seat, unbalanced transfer and bad sum leave the others committed', async () => {
  const lanes = await Promise.all(Array.from({ length: 5 }, () => lane()));
  const hands = await Promise.all(lanes.map((l) => startTestHand(ds, l.tableId)));
  // Lane 1's hand is already settled: its second settlement (another key) loses the compare-and-swap.
  await settleHand(ds, win(lanes[1]!, hands[1]!));
  const stale = { ...win(lanes[1]!, hands[1]!, 7), idempotencyKey: `again:${hands[1]!.handId}` };
  // Lane 2 names a player without a seat at that table: the CAS succeeds, then the savepoint is rolled back.
  const stranger = await createPlayer(ds);
  const noSeat = { ...win(lanes[2]!, hands[2]!), deltas: [{ playerId: lanes[2]!.players[0], amount: chips(5) }, { playerId: stranger, amount: chips(-5) }] };
  const group = new GroupCommit(ds, ONE_AT_A_TIME);
  // An unbalanced transfer written past the ledger's own checks: only the database's balance trigger catches it.
  const rakeId = ((await ds.query(`SELECT id::text AS id FROM account WHERE kind = 'house_rake' AND table_id = $1`, [lanes[3]!.tableId])) as { id: string }[])[0]!.id;
  const unbalanced = group.run(async (em) => {
    const legs = [{ account: { id: rakeId, kind: 'house_rake' as const, playerId: null, tableId: lanes[3]!.tableId, balance: chips(0) }, amount: chips(1) }];
    await em.query(WRITE_TRANSFER_SQL, writeTransferParams({ kind: 'adjustment', idempotencyKey: `bad-${rakeId}`, paramsHash: 'ab'.repeat(32), result: {} }, legs));
  });
  const badSum = { ...win(lanes[4]!, hands[4]!), deltas: [{ playerId: lanes[4]!.players[0], amount: chips(5) }, { playerId: lanes[4]!.players[1], amount: chips(-4) }] };

  const codes = await Promise.all([
    outcome(settleHand(group, win(lanes[0]!, hands[0]!))),
    outcome(settleHand(group, stale)),
    outcome(settleHand(group, noSeat)),
    outcome(unbalanced),
    outcome(settleHand(group, badSum)),
    outcome(settleHand(group, win(lanes[3]!, hands[3]!))),
  ]);

  expect(codes).toEqual(['ok', 'hand_already_final', 'not_seated', 'internal', 'internal', 'ok']);
  // The good ones and the refused ones shared one transaction; only the refused ones were rolled back.
  expect(group.stats()).toMatchObject({ commits: 1, committedItems: 2, failedItems: 3 });
  expect(await statusOf(hands[0]!.handId)).toBe('settled');
  expect(await statusOf(hands[3]!.handId)).toBe('settled');
  expect(await statusOf(hands[2]!.handId)).toBe('in_progress');
  expect(await eventSeqs(hands[2]!.handId)).toEqual([]);
  expect(await statusOf(hands[4]!.handId)).toBe('in_progress');
  const adjustments = (await ds.query(`SELECT count(*)::int AS n FROM transfer WHERE kind = 'adjustment'`)) as { n: number }[];
  expect(adjustments[0]!.n).toBe(0);
  expect(await reconcile(ds)).toMatchObject({ ok: true, drift: [], unbalancedTransfers: [], settledHandsWithoutOneSettlement: [] });
});

it('replaying a settled hand through the group returns the stored result; other parameters under its key conflict', async () => {
  const l = await lane();
  const hand = await startTestHand(ds, l.tableId);
  const group = new GroupCommit(ds, ONE_AT_A_TIME);
  const first = await settleHand(group, win(l, hand));
  const [replay, conflict] = await Promise.all([settleHand(group, win(l, hand)), outcome(settleHand(group, win(l, hand, 6)))]);
  expect(replay).toEqual(first);
  expect(conflict).toBe('idempotency_conflict');
  const settlements = (await ds.query(`SELECT count(*)::int AS n FROM transfer WHERE hand_id = $1`, [hand.handId])) as { n: number }[];
  expect(settlements[0]!.n).toBe(1);
  expect(await eventSeqs(hand.handId)).toEqual([1, 2]);
});

it('voids and settlements share a group; a void stores the buffered history, and a second void replays', async () => {
  const lanes = await Promise.all([lane(), lane()]);
  const [a, b] = await Promise.all(lanes.map((l) => startTestHand(ds, l.tableId)));
  const group = new GroupCommit(ds, ONE_AT_A_TIME);
  const voidParams = { handId: b!.handId, reason: 'test void', idempotencyKey: `void:${b!.handId}`, seed: b!.seed, events: [{ seq: 1, type: 'timeout', payload: { seat: 0 } }] };
  const [, voided] = await Promise.all([settleHand(group, win(lanes[0]!, a!)), voidHand(group, voidParams)]);
  expect(voided.status).toBe('voided');
  expect(group.stats().commits).toBe(1);
  expect(await statusOf(b!.handId)).toBe('voided');
  expect(await eventSeqs(b!.handId)).toEqual([1]);
  expect(await voidHand(group, voidParams)).toEqual(voided);
  expect(await reconcile(ds)).toMatchObject({ ok: true, settledHandsWithoutOneSettlement: [] });
});

describe('a hand played over Socket.IO', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer({ ...TEST_ADMIN, HAND_PAUSE_MS: '0' });
  });
  afterAll(async () => {
    await felt.close();
  });

  it('writes its rows in at most two transactions: hand start with the deal, settlement with the rest', async () => {
    const admin = await adminToken(felt.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200',
    });
    const clients = await seatPlayers(felt.url, admin, tableId, 3, { wallet: '1000', buyIn: '100' });
    try {
      await playHands(clients, 2, passive);
    } finally {
      for (const c of clients) c.close();
    }
    const hands = (await felt.dataSource.query(
      `SELECT h.id, h.started_at::text AS started_at, h.ended_at::text AS ended_at, t.created_at::text AS settled_at,
              (SELECT array_agg(DISTINCT e.created_at::text) FROM hand_event e WHERE e.hand_id = h.id) AS event_times,
              (SELECT array_agg(e.seq ORDER BY e.seq) FROM hand_event e WHERE e.hand_id = h.id) AS seqs
       FROM hand h JOIN transfer t ON t.hand_id = h.id AND t.kind = 'hand_settlement'
       WHERE h.table_id = $1 AND h.status = 'settled'`,
      [tableId],
    )) as Array<{ id: string; started_at: string; ended_at: string; settled_at: string; event_times: string[]; seqs: number[] }>;
    expect(hands.length).toBeGreaterThanOrEqual(2);
    for (const h of hands) {
      // Text keeps the microseconds, so two transactions never look like one.
      const transactions = new Set([h.started_at, h.ended_at, h.settled_at, ...h.event_times]);
      expect({ hand: h.id, transactions: transactions.size }).toEqual({ hand: h.id, transactions: 2 });
      // The history is complete and ordered: seq 0 (start) up to the last event, without gaps.
      expect(h.seqs).toEqual(h.seqs.map((_, i) => i));
      expect(h.seqs.length).toBeGreaterThan(3);
    }
  });
});
