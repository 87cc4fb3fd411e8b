/**
 * Seats end: a seated player whose sockets all closed is sat out after SEAT_DISCONNECT_SITOUT_MS, and a
 * sat-out seat is stood up (chips back to the wallet) after SEAT_SITOUT_STANDUP_MS; reconnecting in
 * time keeps everything. Short timers, a real server, real sockets.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { chips } from '../../shared/money';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, open, register, type TestClient } from '../helpers/clients';

const ENV = {
  ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0',
  SEAT_DISCONNECT_SITOUT_MS: '600', SEAT_SITOUT_STANDUP_MS: '1500',
};

describe('seats that end', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function player(tableId: string): Promise<TestClient & { token: string }> {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, '300');
    const c = Object.assign(await open(felt.url, p.token, p.playerId), { token: p.token });
    expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    return c;
  }

  const seatOf = (watcher: TestClient, playerId: string) => watcher.latest?.seats.find((s) => s.playerId === playerId);

  it('a disconnected seat is sat out, then stood up with its chips back in the wallet', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 1000, timeBankMs: 0 });
    const a = await player(tableId);
    const b = await player(tableId);
    a.close();
    await b.until(() => seatOf(b, a.playerId)?.connected === false, 5000, 'a shown disconnected');
    await b.until(() => seatOf(b, a.playerId)?.status === 'sitting_out', 10_000, 'a sat out');
    await b.until(() => seatOf(b, a.playerId) === undefined, 20_000, 'a stood up');
    const wallet = chips((await get(`${felt.url}/api/me`, a.token)).body.balance as string);
    // Whatever a lost to timeouts before sitting out, the seat account is empty and the rest is back in the wallet.
    const seat = (await felt.dataSource.query(`SELECT balance::text AS b FROM account WHERE kind = 'seat' AND table_id = $1 AND player_id = $2`, [tableId, a.playerId])) as Array<{ b: string }>;
    expect(seat[0]!.b).toBe('0');
    expect(wallet.gt(190) && wallet.lte(300)).toBe(true);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    b.close();
  });

  it('reconnecting before the timer keeps the seat in play', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000 });
    const a = await player(tableId);
    const b = await player(tableId);
    a.close();
    await b.until(() => seatOf(b, a.playerId)?.connected === false, 5000, 'a shown disconnected');
    const again = await open(felt.url, a.token, a.playerId);
    await b.until(() => seatOf(b, a.playerId)?.connected === true, 5000, 'a shown connected again');
    await new Promise((r) => setTimeout(r, 1200));
    expect(seatOf(b, a.playerId)?.status).not.toBe('sitting_out');
    expect(seatOf(b, a.playerId)).toBeDefined();
    again.close();
    b.close();
  });
});
