/**
 * Amounts are always written in the table unit's scale: at a 0.01 table "53.00", never "53", "494.5"
 * or "0.0". Every frame a player and a watcher receive and every admin answer about the hands is
 * walked, and every amount field is checked against the scale.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands, shove } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };
const AMOUNT_KEYS = new Set([
  'stack', 'bet', 'amount', 'callAmount', 'minTo', 'maxTo', 'to', 'rake', 'cashedOut', 'pot', 'smallBlind', 'bigBlind', 'ante',
  'minBuyIn', 'maxBuyIn', 'rakeCap', 'net', 'won', 'committed', 'balanceBefore', 'balanceAfter',
]);
const TWO_DECIMALS = /^-?\d+\.\d{2}$/;

/** Every amount field anywhere in `value` whose text is not in the two-decimal scale, with its path. */
function offScale(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => offScale(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (AMOUNT_KEYS.has(k) && typeof v === 'string' && !TWO_DECIMALS.test(v)) out.push(`${path}.${k} = ${JSON.stringify(v)}`);
      else offScale(v, `${path}.${k}`, out);
    }
  }
  return out;
}

describe('amounts in the table unit scale', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  it('every frame and every hand-history answer writes amounts with exactly two decimals at a 0.01 table', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '20.00', maxBuyIn: '100.00',
      rakePercent: '5', rakeCap: '3.00',
    });
    const clients: TestClient[] = [];
    for (const buyIn of ['53.00', '60', '75.5']) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '500');
      const c = await open(felt.url, p.token, p.playerId);
      const ack = await c.call('table:sit', { tableId, buyIn, requestId: randomUUID() });
      expect(offScale(ack, 'sit', [])).toEqual([]);
      clients.push(c);
    }
    const watcher = await open(felt.url, (await register(felt.url)).token, 'watcher');
    await watcher.call('table:watch', { tableId });
    await playHands(clients, 2, passive);
    await playHands(clients, 1, shove);
    const leave = await clients[0]!.call('table:leave', { tableId, requestId: randomUUID() });
    expect(offScale(leave, 'leave', [])).toEqual([]);
    const lobby = await clients[1]!.call('lobby:list', {});
    expect(offScale(lobby, 'lobby', [])).toEqual([]);
    const bad: string[] = [];
    for (const c of [...clients, watcher]) c.frames.forEach((f, i) => offScale(f.payload, `${f.event}#${i}`, bad));
    const list = await get(`${felt.url}/api/admin/hands?tableId=${tableId}`, admin);
    offScale(list.body, 'hands', bad);
    for (const h of list.body.hands as Array<{ handId: string }>) offScale((await get(`${felt.url}/api/admin/hands/${h.handId}`, admin)).body, `hand ${h.handId}`, bad);
    expect(bad).toEqual([]);
    for (const c of [...clients, watcher]) c.close();
  });
});
