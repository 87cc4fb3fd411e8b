/**
 * The lease fence on real PostgreSQL: a node whose lease was taken over (a higher epoch) can neither
 * move a chip nor write a hand for that table, every takeover increments the epoch, and the lease
 * migration is reversible.
 */
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { buyIn, cashOut, credit, getSeatBalance, getWalletBalance, settleHand, topUp, voidHand } from '../../server/src/ledger/transactions';
import { LeaseLostError, assertFence, type Fence } from '../../server/src/ledger/fence';
import { reconcile } from '../../server/src/ledger/reconcile';
import { startHandWithEvents, type StartHandParams } from '../../server/src/persistence/hands';
import { assignLease, heartbeat, leastLoadedNode, releaseLeases, renewLeases, takeLease, ownerOf } from '../../server/src/cluster/lease-store';
import { registry } from '../../server/src/metrics';
import { DECK_MERKLE_SCHEME } from '../../shared/engine/deck-commitment';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, seedPair } from '../helpers/ledger-fixtures';

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(4);
});

afterAll(async () => {
  await ds.destroy();
});

/** Makes the table's lease expire now, as if its node had stopped renewing it long ago. */
async function expire(tableId: string): Promise<void> {
  await ds.query(`UPDATE table_lease SET expires_at = now() - interval '1 second' WHERE table_id = $1`, [tableId]);
}

async function fencedRefusals(): Promise<number> {
  const metric = await registry.getSingleMetric('felt_fenced_refusals_total')!.get();
  return metric.values.find((v) => v.labels.op === 'ledger')?.value ?? 0;
}

async function expectBooksBalanced(): Promise<void> {
  const report = await reconcile(ds);
  expect({ ok: report.ok, report }).toMatchObject({ ok: true });
}

describe('table leases', () => {
  it('takes a free lease at epoch 1, refuses a live one to another node, and increments the epoch at every takeover', async () => {
    const tableId = await createTestTable(ds);
    expect(await ownerOf(ds, tableId)).toBeNull();
    const first = await takeLease(ds, tableId, 'node-a', 60_000);
    expect(first).toMatchObject({ epoch: '1', origin: 'new', nodeId: 'node-a' });
    expect(await ownerOf(ds, tableId)).toEqual({ nodeId: 'node-a', epoch: '1' });
    expect(await takeLease(ds, tableId, 'node-b', 60_000)).toBeNull();
    expect([...(await renewLeases(ds, 'node-a', [first!], 60_000))]).toEqual([tableId]);
    await expire(tableId);
    expect(await ownerOf(ds, tableId)).toBeNull();
    const second = await takeLease(ds, tableId, 'node-b', 60_000);
    expect(second).toMatchObject({ epoch: '2', origin: 'expired', previousNodeId: 'node-a' });
    // The old holder's renewal finds the higher epoch: it has lost the table.
    expect(await renewLeases(ds, 'node-a', [first!], 60_000)).toEqual(new Set());
    expect(await releaseLeases(ds, 'node-b', [second!])).toEqual(new Set([tableId]));
    const third = await takeLease(ds, tableId, 'node-a', 60_000);
    expect(third).toMatchObject({ epoch: '3', origin: 'released' });
    // A node restarted under the same id reclaims its own unexpired lease at once, with a new epoch.
    expect(await takeLease(ds, tableId, 'node-a', 60_000)).toMatchObject({ epoch: '4', origin: 'own' });
  });

  it('lets a renewal through while a fenced transaction is open, and holds a takeover until it ends', async () => {
    const tableId = await createTestTable(ds);
    const lease = (await takeLease(ds, tableId, 'node-a', 60_000))!;
    const fenced = await ds.createQueryRunner();
    const other = await ds.createQueryRunner();
    try {
      await fenced.startTransaction();
      await assertFence(fenced, lease);
      // Renewal: a plain update of expires_at, which must not wait for the ledger (lock_timeout turns a wait into an error).
      await other.startTransaction();
      await other.query(`SET LOCAL lock_timeout = '2s'`);
      const renewed = (await other.query(
        `UPDATE table_lease SET expires_at = now() + interval '1 minute' WHERE table_id = $1 AND epoch = $2::bigint RETURNING table_id`,
        [tableId, lease.epoch],
      )) as [unknown[], number];
      expect(renewed[1]).toBe(1);
      await other.commitTransaction();
      // Takeover: the row lock it takes before raising the epoch must wait for the fenced transaction.
      await other.startTransaction();
      await expect(other.query(`SELECT 1 FROM table_lease WHERE table_id = $1 FOR UPDATE NOWAIT`, [tableId])).rejects.toThrow(/could not obtain lock/);
      await other.rollbackTransaction();
      await fenced.commitTransaction();
      await other.startTransaction();
      expect(await other.query(`SELECT 1 FROM table_lease WHERE table_id = $1 FOR UPDATE NOWAIT`, [tableId])).toHaveLength(1);
      await other.rollbackTransaction();
    } finally {
      await fenced.release();
      await other.release();
    }
  });

  it('refuses buy-in, top-up, cash-out, hand start, event append, settle and void under a stale epoch and moves nothing', async () => {
    const tableId = await createTestTable(ds);
    const [p1, p2] = [await createPlayer(ds), await createPlayer(ds)];
    for (const p of [p1, p2]) await credit(ds, { playerId: p, amount: chips(500), idempotencyKey: `fence-credit-${p}` });
    const old = (await takeLease(ds, tableId, 'node-a', 60_000))!;
    const oldFence: Fence = { tableId, nodeId: 'node-a', epoch: old.epoch };
    for (const p of [p1, p2]) await buyIn(ds, { playerId: p, tableId, amount: chips(100), idempotencyKey: `fence-buy-${p}`, fence: oldFence, seatNumber: 0 });
    const { seed, commitment } = seedPair();
    const start: StartHandParams = { tableId, buttonSeat: 0, config: { test: true }, commitment, commitmentScheme: DECK_MERKLE_SCHEME };
    const { handId } = await startHandWithEvents(ds, start, [{ seq: 0, type: 'start', payload: {} }], [], oldFence);

    await expire(tableId);
    const fresh = (await takeLease(ds, tableId, 'node-b', 60_000))!;
    expect(fresh.epoch).toBe(String(Number(old.epoch) + 1));
    const before = await fencedRefusals();
    const settle = { handId, idempotencyKey: `settle-${handId}`, deltas: [{ playerId: p1!, amount: chips(10) }, { playerId: p2!, amount: chips(-10) }], rake: chips(0), seed, result: null };
    const stale = [
      buyIn(ds, { playerId: p1!, tableId, amount: chips(50), idempotencyKey: 'stale-buy', fence: oldFence }),
      topUp(ds, { playerId: p2!, tableId, amount: chips(50), idempotencyKey: 'stale-top', fence: oldFence }),
      cashOut(ds, { playerId: p1!, tableId, idempotencyKey: 'stale-cash', fence: oldFence }),
      startHandWithEvents(ds, { ...start, commitment: seedPair().commitment }, [], [], oldFence),
      settleHand(ds, { ...settle, fence: oldFence }),
      voidHand(ds, { handId, reason: 'stale', idempotencyKey: 'stale-void', fence: oldFence }),
    ];
    for (const call of stale) await expect(call).rejects.toBeInstanceOf(LeaseLostError);
    expect((await fencedRefusals()) - before).toBe(stale.length);
    // Nothing moved and nothing was written: balances, the hand and the transfer keys are as before.
    for (const p of [p1!, p2!]) {
      expect((await getSeatBalance(ds, p, tableId)).toString()).toBe('100');
      expect((await getWalletBalance(ds, p)).toString()).toBe('400');
    }
    const [hand] = (await ds.query(`SELECT status FROM hand WHERE id = $1`, [handId])) as Array<{ status: string }>;
    expect(hand!.status).toBe('in_progress');
    const [hands] = (await ds.query(`SELECT count(*)::int AS n FROM hand WHERE table_id = $1`, [tableId])) as Array<{ n: number }>;
    expect(hands!.n).toBe(1);
    const keys = (await ds.query(`SELECT count(*)::int AS n FROM transfer WHERE idempotency_key LIKE 'stale-%'`)) as Array<{ n: number }>;
    expect(keys[0]!.n).toBe(0);

    // The new owner's settlement goes through under its own epoch.
    const newFence: Fence = { tableId, nodeId: 'node-b', epoch: fresh.epoch };
    await settleHand(ds, { ...settle, fence: newFence });
    expect((await getSeatBalance(ds, p1!, tableId)).toString()).toBe('110');
    await expectBooksBalanced();
  });
});

describe('placement', () => {
  it('places a new table on the live node with the fewest leases, ties going to the creating node', async () => {
    const busy = await createTestTable(ds);
    await heartbeat(ds, 'place-a', 0);
    await heartbeat(ds, 'place-b', 0);
    expect(await takeLease(ds, busy, 'place-a', 60_000)).not.toBeNull();
    // Other tests' nodes of this database hold leases too; only these two are compared here.
    await ds.query(`DELETE FROM felt_node WHERE node_id NOT IN ('place-a', 'place-b')`);
    expect(await leastLoadedNode(ds, 'place-a', 60_000)).toBe('place-b');
    const fresh = await createTestTable(ds);
    expect(await assignLease(ds, fresh, 'place-b', 60_000)).toBe(true);
    expect(await ownerOf(ds, fresh)).toEqual({ nodeId: 'place-b', epoch: '1' });
    // The assigned node adopts it as its own (a new epoch); nobody else can take it meanwhile.
    expect(await takeLease(ds, fresh, 'place-a', 60_000)).toBeNull();
    expect(await takeLease(ds, fresh, 'place-b', 60_000)).toMatchObject({ epoch: '2', origin: 'own' });
    expect(await leastLoadedNode(ds, 'place-b', 60_000)).toBe('place-b');
    expect(await leastLoadedNode(ds, 'nobody-live', 60_000)).toBe('place-a');
  });
});

describe('the lease migration', () => {
  it('is reversible without assuming it is the last migration', async () => {
    const names = (await ds.query(`SELECT name FROM migrations ORDER BY id DESC`)) as Array<{ name: string }>;
    const undone: string[] = [];
    for (const { name } of names) {
      await ds.undoLastMigration({ transaction: 'each' });
      undone.push(name);
      if (name === 'TableLease1763771300000') break;
    }
    expect(undone).toContain('TableLease1763771300000');
    const present = async () =>
      ((await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename`, [
        ['felt_node', 'table_lease', 'table_seat'],
      ])) as Array<{ tablename: string }>).map((r) => r.tablename);
    expect(await present()).toEqual([]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await present()).toEqual(['felt_node', 'table_lease', 'table_seat']);
  });
});
