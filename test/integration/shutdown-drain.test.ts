/**
 * Stopping the server during a hand (what SIGTERM to `npm start` does): players are told, no new hand
 * starts, a hand that its players finish settles before the pool closes, a hand nobody finishes is
 * voided with its reason when the drain time is up, and nothing is left in progress or lost.
 */
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { createDataSource } from '../../server/src/persistence/data-source';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, seatPlayers, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

async function seatTwo(felt: Felt, admin: string, tableId: string): Promise<TestClient[]> {
  const out: TestClient[] = await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
  await out[0]!.until(() => !!out[0]!.latest?.turn, 5000, 'a hand in play');
  return out;
}

/** A data source on the stopped server's database (its own pool is closed by then). */
async function createMigratedDataSourceAt(url: string): Promise<ReturnType<typeof createDataSource>> {
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  return ds;
}

async function hands(felt: Felt, tableId: string): Promise<Array<{ status: string; void_reason: string | null }>> {
  return (await felt.dataSource.query(`SELECT status, void_reason FROM hand WHERE table_id = $1 ORDER BY hand_number`, [tableId])) as Array<{ status: string; void_reason: string | null }>;
}

describe('shutdown drains the tables', () => {
  it('lets the hand in play settle before stopping, tells the players, and deals nothing new', async () => {
    const felt = await startTestServer({ ...ENV, SHUTDOWN_DRAIN_MS: '20000' });
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000 });
    const clients = await seatTwo(felt, admin, tableId);
    const url = felt.config.DATABASE_URL!;
    const closing = felt.close();
    await clients[0]!.until(() => clients[0]!.frames.some((f) => f.event === 'server:shutdown'), 5000, 'the shutdown notice');
    // The players finish the hand while the server drains.
    await playHands(clients, 1, passive, 15_000).catch(() => undefined);
    await closing;
    const ds = await createMigratedDataSourceAt(url);
    try {
      const rows = (await ds.query(`SELECT status FROM hand WHERE table_id = $1 ORDER BY hand_number`, [tableId])) as Array<{ status: string }>;
      expect(rows.map((r) => r.status)).toEqual(['settled']);
      expect((await reconcile(ds)).ok).toBe(true);
    } finally {
      await ds.destroy();
    }
    for (const c of clients) c.close();
  });

  it('voids a hand nobody finishes once the drain time is up; nothing stays in progress', async () => {
    const felt = await startTestServer({ ...ENV, SHUTDOWN_DRAIN_MS: '300' });
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000 });
    const clients = await seatTwo(felt, admin, tableId);
    const before = await hands(felt, tableId);
    expect(before.map((h) => h.status)).toEqual(['in_progress']);
    const url = felt.config.DATABASE_URL!;
    await felt.close();
    const ds = await createMigratedDataSourceAt(url);
    try {
      const rows = (await ds.query(`SELECT status, void_reason FROM hand WHERE table_id = $1`, [tableId])) as Array<{ status: string; void_reason: string }>;
      expect(rows).toEqual([{ status: 'voided', void_reason: 'server shutdown' }]);
      expect((await reconcile(ds)).ok).toBe(true);
    } finally {
      await ds.destroy();
    }
    for (const c of clients) c.close();
  });
});
