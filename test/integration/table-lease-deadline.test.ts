/**
 * A node past its lease by its own clock answers nothing for the table: while its renewal cannot get
 * through (here another session holds the lease row, as a stalled database or a long pause would), the
 * table refuses player requests with `lease_lost` and changes nothing; once the renewal commits, the same
 * node, same epoch, answers again. Without the local deadline the stale actor would keep answering.
 * Its own timers still run meanwhile (a node woken by SIGCONT runs every overdue one first), but what
 * they produce is held until the renewal: players never see a copy of the hand that may be stale.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Felt } from '../../server/src/boot';
import { ownerOf } from '../../server/src/cluster/lease-store';
import { reconcile } from '../../server/src/ledger/reconcile';
import { adminToken, createTable, seatPlayers, type SeatedPlayer } from '../helpers/clients';
import { startTestServer, TEST_ADMIN } from '../helpers/server';

/** A long action timer, so the hand waits for the test and not for the clock. */
const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '1', bigBlind: '2', minBuyIn: '20', maxBuyIn: '200', actionTimeoutMs: 60_000 };
// Long enough that a slow machine renews in time while the players sit down; the test waits it out once.
const LEASE_TTL_MS = 3_000;
const NODE = { ...TEST_ADMIN, NODE_ID: 'node-deadline', HAND_PAUSE_MS: '0', LEASE_TTL_MS: String(LEASE_TTL_MS), LEASE_RENEW_MS: '300' };

let felt: Felt;
let admin: string;
const players: SeatedPlayer[] = [];
const lockers: Client[] = [];

beforeAll(async () => {
  felt = await startTestServer(NODE);
  admin = await adminToken(felt.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
}, 60_000);

afterAll(async () => {
  for (const c of lockers) await c.end().catch(() => undefined);
  for (const p of players) p.close();
  await felt?.close();
});

/** Another session takes the table's lease row FOR UPDATE: the node's renewals wait on it until `release`. */
async function blockRenewals(tableId: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: felt.config.DATABASE_URL });
  lockers.push(client);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM table_lease WHERE table_id = $1 FOR UPDATE', [tableId]);
  return { release: async () => void (await client.query('ROLLBACK')) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('refuses requests with lease_lost while its lease cannot be renewed, then serves again under the same epoch', async () => {
  const tableId = await createTable(felt.url, admin, TABLE);
  const seated = await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  players.push(...seated);
  await seated[0]!.until(() => players.some((p) => p.myTurn()), 10_000, 'a turn in the first hand');
  const toAct = seated.find((p) => p.myTurn())!;
  const handId = toAct.latest!.handId;
  const seqBefore = toAct.latest!.seq;

  // Another session holds the lease row: the node's renewals wait on it, and its local deadline passes.
  const lock = await blockRenewals(tableId);
  await sleep(LEASE_TTL_MS + 500);
  const refused = await toAct.call('table:act', { tableId, handId, action: 'fold', requestId: randomUUID() });
  expect(refused).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
  // Nor does it show its copy of the table to a new watcher.
  expect(await toAct.call('table:watch', { tableId })).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
  expect(toAct.latest!.seq).toBe(seqBefore);

  // The renewal gets through: the same node serves the table again, under the same epoch, and the fold counts.
  await lock.release();
  let answer: unknown;
  const deadline = Date.now() + 10_000;
  do {
    await sleep(100);
    answer = await toAct.call('table:act', { tableId, handId, action: 'fold', requestId: randomUUID() });
  } while ((answer as { ok: boolean }).ok === false && Date.now() < deadline);
  expect(answer).toMatchObject({ ok: true });
  expect(await ownerOf(felt.dataSource, tableId)).toEqual({ nodeId: 'node-deadline', epoch: '1' });
  const report = await reconcile(felt.dataSource);
  expect({ ok: report.ok, report }).toMatchObject({ ok: true });
}, 60_000);

it('holds what its own timers produce past the deadline, and sends it once the lease is renewed', async () => {
  // The turn's timer fires well after the local deadline (at most one TTL after the lock is taken).
  const tableId = await createTable(felt.url, admin, { ...TABLE, actionTimeoutMs: LEASE_TTL_MS + 1_500, timeBankMs: 0 });
  const seated = await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  players.push(...seated);
  await seated[0]!.until(() => seated.some((p) => p.myTurn()), 10_000, 'a turn in the first hand');
  const table = felt.tables.get(tableId)!;
  const turnBefore = table.view(null).turn!;

  const lock = await blockRenewals(tableId);
  const framesBefore = seated.map((p) => p.frames.length);
  await sleep(Math.max(turnBefore.deadline - Date.now(), LEASE_TTL_MS) + 1_500);
  // The actor's timer ran (the player was timed out and the turn or the hand moved on), but nobody was
  // shown any of it: not the timeout, not the next view.
  const after = table.view(null);
  expect(table.leaseCurrent).toBe(false);
  expect({ phase: after.phase, turn: after.turn?.number }).not.toEqual({ phase: 'hand', turn: turnBefore.number });
  expect(seated.map((p) => p.frames.slice(framesBefore[seated.indexOf(p)]).map((f) => f.event))).toEqual(seated.map(() => []));

  // The renewal gets through: what was held goes out (the timeout notice first), and the hand ends.
  await lock.release();
  for (const [i, p] of seated.entries()) {
    await p.until(() => p.frames.length > framesBefore[i]!, 10_000, 'the held messages after the renewal');
    expect(p.frames[framesBefore[i]!]).toMatchObject({ event: 'hand:event', payload: { type: 'timeout' } });
  }
  await seated[0]!.until(() => seated.every((p) => p.results.length > 0), 10_000, 'the hand result');
  const report = await reconcile(felt.dataSource);
  expect({ ok: report.ok, report }).toMatchObject({ ok: true });
}, 60_000);
