/**
 * Two Felt servers on one database, as two nodes of a cluster (one jest process, distinct NODE_IDs):
 * a node that starts beside a live node leaves that node's tables alone (the defect of issue 13's
 * "Why"); when the owner's lease expires the other node takes the table over with a higher epoch,
 * voids the hand in progress, restores the seats from the seat accounts, and the old owner's pending
 * settlement is refused by the fence and its actor stopped. The books balance after each step.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { ownerOf } from '../../server/src/cluster/lease-store';
import { reconcile } from '../../server/src/ledger/reconcile';
import { adminToken, createTable, open, seatPlayers, type SeatedPlayer, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';
import { startTestServer, startTestServerOn, TEST_ADMIN } from '../helpers/server';

const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '1', bigBlind: '2', minBuyIn: '20', maxBuyIn: '200' };
/** Node A renews so rarely that its lease only ends when the test expires it (a paused or dead node). */
const NODE_A = { ...TEST_ADMIN, NODE_ID: 'node-a', HAND_PAUSE_MS: '0', LEASE_TTL_MS: '600000', LEASE_RENEW_MS: '599000' };
const NODE_B = { ...TEST_ADMIN, NODE_ID: 'node-b', HAND_PAUSE_MS: '0', LEASE_TTL_MS: '2000', LEASE_RENEW_MS: '300' };

let a: Felt | undefined;
let b: Felt | undefined;
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await b?.close();
  await a?.close();
});

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function q<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await (a ?? b)!.dataSource.query(sql, params)) as T[];
}

async function seatBalances(tableId: string): Promise<Record<string, string>> {
  const rows = await q<{ player_id: string; balance: string }>(`SELECT player_id, balance::text AS balance FROM account WHERE kind = 'seat' AND table_id = $1`, [tableId]);
  return Object.fromEntries(rows.map((r) => [r.player_id, r.balance]));
}

/** Credited = wallets + seats + rake, to the unit, and the ledger reconciles. */
async function expectConservation(): Promise<void> {
  const report = await reconcile((a ?? b)!.dataSource);
  expect({ ok: report.ok, report }).toMatchObject({ ok: true });
  const [row] = await q<{ credited: string; held: string }>(
    `SELECT (SELECT -balance FROM account WHERE kind = 'house_cash')::text AS credited,
            (SELECT sum(balance) FROM account WHERE kind IN ('wallet', 'seat', 'house_rake'))::text AS held`,
    [],
  );
  expect(Number(row!.held) - Number(row!.credited)).toBe(0);
}

it('a second node leaves a live owner alone; after the lease expires it takes over, voids, restores seats, and the old owner is fenced', async () => {
  a = await startTestServer(NODE_A);
  const admin = await adminToken(a.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
  const tableId = await createTable(a.url, admin, TABLE);
  const players: SeatedPlayer[] = await seatPlayers(a.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  clients.push(...players);
  await players[0]!.until(() => !!players[0]!.latest?.turn, 10_000, 'a hand in play on node A');
  const seatsOnA = players.map((p) => p.latest!.you!.seat);
  const [live] = await q<{ id: string }>(`SELECT id FROM hand WHERE table_id = $1 AND status = 'in_progress'`, [tableId]);
  expect(live).toBeDefined();
  expect(await ownerOf(a.dataSource, tableId)).toEqual({ nodeId: 'node-a', epoch: '1' });

  // 1. Node B starts beside the live node A: it must not void A's hand nor touch A's seats.
  b = await startTestServerOn(a.config.DATABASE_URL!, NODE_B);
  await new Promise((r) => setTimeout(r, 1_000)); // several of B's lease rounds
  expect(b.tables.get(tableId)).toBeUndefined();
  const [still] = await q<{ status: string }>(`SELECT status FROM hand WHERE id = $1`, [live!.id]);
  expect(still!.status).toBe('in_progress');
  expect(Object.values(await seatBalances(tableId))).toEqual(['100', '100']);
  expect(await ownerOf(a.dataSource, tableId)).toEqual({ nodeId: 'node-a', epoch: '1' });
  await expectConservation();

  // 2. A stops renewing (as if paused): its lease expires and B takes the table over.
  await q(`UPDATE table_lease SET expires_at = now() - interval '1 second' WHERE table_id = $1`, [tableId]);
  await until('node B to take the table over', () => b!.tables.get(tableId) !== undefined);
  expect(await ownerOf(b.dataSource, tableId)).toEqual({ nodeId: 'node-b', epoch: '2' });
  const [voided] = await q<{ status: string; void_reason: string }>(`SELECT status, void_reason FROM hand WHERE id = $1`, [live!.id]);
  expect(voided).toMatchObject({ status: 'voided', void_reason: expect.stringMatching(/owner node lost \(node-a/) });
  const onB = b.tables.get(tableId)!;
  expect(players.map((p) => onB.seatNumberOf(p.playerId))).toEqual(seatsOnA);
  // The restored seats are active, so B may already be dealing: the committed seat accounts are the check.
  expect(Object.values(await seatBalances(tableId))).toEqual(['100', '100']);
  await expectConservation();

  // 3. A still plays its hand in memory; whatever it writes next (events, settlement) is refused by the
  //    fence and its actor is stopped. Nothing moves: no hand of this table was ever settled.
  const toAct = players.find((p) => p.myTurn());
  expect(toAct).toBeDefined();
  const view = toAct!.latest!;
  await toAct!.call('table:act', { tableId, handId: view.handId, action: 'fold', requestId: randomUUID() });
  await until('node A to stop its fenced table', () => a!.tables.get(tableId) === undefined);
  const settled = await q<{ n: number }>(`SELECT count(*)::int AS n FROM hand WHERE table_id = $1 AND status = 'settled'`, [tableId]);
  expect(settled[0]!.n).toBe(0);
  expect(Object.values(await seatBalances(tableId))).toEqual(['100', '100']);
  const metrics = await (await fetch(`${a.url}/metrics`)).text();
  expect(metrics).toMatch(/felt_fenced_refusals_total\{op="ledger"\} [1-9]/);
  await expectConservation();

  // 4. The players reconnect to B: they get their seats back, sit in, and play on.
  const again: TestClient[] = [];
  for (const p of players) {
    const c = await open(b.url, p.token, p.playerId);
    clients.push(c);
    again.push(c);
    await c.call('table:watch', { tableId });
    await c.until(() => typeof c.latest?.you?.seat === 'number', 5_000, 'the restored seat in the view');
    expect(c.latest!.you!.seat).toBe(seatsOnA[players.indexOf(p)]);
    expect((await c.call('table:sitin', { tableId })).ok).toBe(true);
  }
  await playHands(again, 1, passive);
  const [after] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM hand WHERE table_id = $1 AND status = 'settled'`, [tableId]);
  expect(after!.n).toBeGreaterThanOrEqual(1);
  await expectConservation();
});

it('a node that shuts down releases its leases: another node takes the tables at once and returns the seats to the wallets', async () => {
  for (const c of clients.splice(0)) c.close();
  await b?.close();
  await a?.close();
  a = await startTestServer({ ...NODE_A, NODE_ID: 'node-c' });
  const admin = await adminToken(a.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
  const tableId = await createTable(a.url, admin, TABLE);
  const players = await seatPlayers(a.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  clients.push(...players);
  await players[0]!.until(() => !!players[0]!.latest?.turn, 10_000, 'a hand in play on node C');
  b = await startTestServerOn(a.config.DATABASE_URL!, { ...NODE_B, NODE_ID: 'node-d' });
  // Node C's own lease would last ten minutes: only its release lets node D in within this test.
  await a.close();
  a = undefined;
  await until('node D to take the released table', () => b!.tables.get(tableId) !== undefined);
  const owner = await ownerOf(b.dataSource, tableId);
  expect(owner?.nodeId).toBe('node-d');
  const inProgress = await q<{ n: number }>(`SELECT count(*)::int AS n FROM hand WHERE table_id = $1 AND status = 'in_progress'`, [tableId]);
  expect(inProgress[0]!.n).toBe(0);
  expect(Object.values(await seatBalances(tableId)).map(Number)).toEqual([0, 0]);
  expect(b.tables.get(tableId)!.view(null).seats.filter(Boolean)).toEqual([]);
  await expectConservation();
});
