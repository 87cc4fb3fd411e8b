/**
 * Top-ups asked for during a hand the player is in: acknowledged at once as pending, applied right
 * after the hand and announced with `seat:topup`, or cancelled and announced when the player leaves
 * first. Nobody waits on the request timer for something that happens later.
 */
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { chips } from '../../shared/money';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

describe('top-ups during a hand', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function seatTwo(): Promise<{ tableId: string; players: Array<TestClient & { token: string }> }> {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000,
    });
    const players: Array<TestClient & { token: string }> = [];
    for (let i = 0; i < 2; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '500');
      const c = Object.assign(await open(felt.url, p.token, p.playerId), { token: p.token });
      expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: `sit-${i}` })).ok).toBe(true);
      players.push(c);
    }
    await players[0]!.until(() => !!players[0]!.latest?.turn, 5000, 'a hand to start');
    return { tableId, players };
  }

  const notices = (c: TestClient) => c.frames.filter((f) => f.event === 'seat:topup').map((f) => f.payload);

  it('is acknowledged at once as pending, then applied after the hand and announced', async () => {
    const { tableId, players } = await seatTwo();
    const [a, b] = players as [TestClient & { token: string }, TestClient & { token: string }];
    const ack = await a.call('table:topup', { tableId, amount: '50', requestId: 'top-pending' });
    expect(ack).toMatchObject({ ok: true, stack: '100', pending: true });
    await playHands([a, b], 1, passive);
    await a.until(() => notices(a).length > 0, 5000, 'the top-up notice');
    const stackAfterHand = a.results[0]!.stacks.find((s) => s.playerId === a.playerId)!.stack;
    expect(notices(a)).toEqual([
      { tableId, requestId: 'top-pending', status: 'applied', amount: '50', stack: chips(stackAfterHand).plus(50).toString() },
    ]);
    expect(notices(b)).toEqual([]);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of players) c.close();
  });

  it('is cancelled and announced when the player leaves before it runs; no chips move for it', async () => {
    const { tableId, players } = await seatTwo();
    const [a, b] = players as [TestClient & { token: string }, TestClient & { token: string }];
    expect(await a.call('table:topup', { tableId, amount: '50', requestId: 'top-cancel' })).toMatchObject({ ok: true, pending: true });
    expect(await a.call('table:leave', { tableId, requestId: 'leave-cancel' })).toMatchObject({ ok: true, pending: true });
    await a.until(() => notices(a).length > 0, 5000, 'the cancellation notice');
    expect(notices(a)).toEqual([{ tableId, requestId: 'top-cancel', status: 'cancelled', amount: '50' }]);
    await playHands([b], 0, passive);
    await a.until(() => a.results.length >= 1, 10_000, 'the hand to end');
    await a.until(() => !(a.latest?.seats ?? []).some((s) => s.playerId === a.playerId), 10_000, 'the leaver to be cashed out');
    const finalStack = a.results[0]!.stacks.find((s) => s.playerId === a.playerId)!.stack;
    const walletNow = (await get(`${felt.url}/api/me`, a.token)).body.balance as string;
    // 500 credited - 100 bought in + the stack cashed out: the cancelled 50 never left the wallet.
    expect(chips(walletNow).toString()).toBe(chips(400).plus(finalStack).toString());
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of players) c.close();
  });
});
