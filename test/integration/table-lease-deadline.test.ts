/**
 * A node past its lease by its own clock answers nothing for the table: while its renewal cannot get
 * through (here another session holds the lease row, as a stalled database or a long pause would), the
 * table refuses player requests with `lease_lost` and changes nothing; once the renewal commits, the same
 * node, same epoch, answers again. Without the local deadline the stale actor would keep answering.
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

let felt: Felt | undefined;
let players: SeatedPlayer[] = [];
const locker = { client: undefined as Client | undefined };

afterAll(async () => {
  await locker.client?.end().catch(() => undefined);
  for (const p of players) p.close();
  await felt?.close();
});

it('refuses requests with lease_lost while its lease cannot be renewed, then serves again under the same epoch', async () => {
  felt = await startTestServer(NODE);
  const admin = await adminToken(felt.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
  const tableId = await createTable(felt.url, admin, TABLE);
  players = await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  await players[0]!.until(() => players.some((p) => p.myTurn()), 10_000, 'a turn in the first hand');
  const toAct = players.find((p) => p.myTurn())!;
  const handId = toAct.latest!.handId;
  const seqBefore = toAct.latest!.seq;

  // Another session holds the lease row: the node's renewals wait on it, and its local deadline passes.
  locker.client = new Client({ connectionString: felt.config.DATABASE_URL });
  await locker.client.connect();
  await locker.client.query('BEGIN');
  await locker.client.query('SELECT 1 FROM table_lease WHERE table_id = $1 FOR UPDATE', [tableId]);
  await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 500));
  const refused = await toAct.call('table:act', { tableId, handId, action: 'fold', requestId: randomUUID() });
  expect(refused).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
  expect(toAct.latest!.seq).toBe(seqBefore);

  // The renewal gets through: the same node serves the table again, under the same epoch, and the fold counts.
  await locker.client.query('ROLLBACK');
  let answer: unknown;
  const deadline = Date.now() + 10_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await toAct.call('table:act', { tableId, handId, action: 'fold', requestId: randomUUID() });
  } while ((answer as { ok: boolean }).ok === false && Date.now() < deadline);
  expect(answer).toMatchObject({ ok: true });
  expect(await ownerOf(felt.dataSource, tableId)).toEqual({ nodeId: 'node-deadline', epoch: '1' });
  const report = await reconcile(felt.dataSource);
  expect({ ok: report.ok, report }).toMatchObject({ ok: true });
}, 60_000);
