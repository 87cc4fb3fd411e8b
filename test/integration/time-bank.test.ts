/**
 * The time bank: when a player's action timer runs out, their bank is drawn on (shown to everyone as a
 * new deadline on the same turn) before the table checks or folds for them; what they do not use comes
 * back, and every hand refills a tenth of the table's bank.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { useAdminServer } from '../helpers/server';
import { createTable, seatPlayers, type TestClient } from '../helpers/clients';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

describe('time bank', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function seatTwo(timeBankMs: number): Promise<{ tableId: string; clients: TestClient[] }> {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 1000, timeBankMs,
    });
    const clients: TestClient[] = await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100' });
    await clients[0]!.until(() => !!clients[0]!.latest?.turn, 5000, 'a hand');
    return { tableId, clients };
  }

  const actor = (clients: TestClient[]) => clients.find((c) => c.myTurn())!;
  const mySeat = (c: TestClient) => c.latest!.seats.find((s) => s.playerId === c.playerId)!;

  it('is drawn on when the timer runs out, then the table acts; the bank is shown and refilled per hand', async () => {
    const { clients } = await seatTwo(1500);
    const first = actor(clients);
    const turn = first.latest!.turn!;
    expect(turn.timeBank).toBe(false);
    expect(mySeat(first).timeBankMs).toBe(1500);
    const watcher = clients.find((c) => c !== first)!;
    await watcher.until(() => watcher.latest?.turn?.timeBank === true, 5000, 'the time bank shown to the other player');
    expect(watcher.latest!.turn!.number).toBe(turn.number);
    expect(watcher.latest!.turn!.deadline).toBeGreaterThan(turn.deadline);
    // Nobody acts: after the bank, the table folds (or checks) for the player.
    await watcher.until(() => watcher.frames.some((f) => f.event === 'hand:event' && f.payload.type === 'timeout'), 6000, 'the timeout after the bank');
    await first.until(() => first.results.length >= 1 || (first.latest?.turn?.number ?? 0) > turn.number, 6000, 'the game to move on');
    await first.until(() => first.results.length >= 1, 20_000, 'the hand to end');
    // The spent bank (0) got a tenth of 1,500 back with the hand's end.
    await first.until(() => mySeat(first).timeBankMs === 150, 5000, 'the refilled bank');
    for (const c of clients) c.close();
  });

  it('gives back what the player did not use when they act on their bank', async () => {
    const { tableId, clients } = await seatTwo(3000);
    const first = actor(clients);
    const turn = first.latest!.turn!;
    await first.until(() => first.latest?.turn?.timeBank === true, 5000, 'the time bank');
    expect(first.myTurn()).toBe(true);
    const legal = first.latest!.you!.legal!;
    const action = legal.actions.includes('check') ? 'check' : 'call';
    expect((await first.call('table:act', { tableId, handId: first.latest!.handId, action, requestId: randomUUID() })).ok).toBe(true);
    await first.until(() => (first.latest?.turn?.number ?? 0) > turn.number || first.results.length > 0, 5000, 'the next turn');
    const left = mySeat(first).timeBankMs;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(3000);
    for (const c of clients) c.close();
  });
});
