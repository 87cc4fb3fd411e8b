/**
 * Table chat over the real protocol: seated players and watchers talk, others cannot; length, control
 * characters and the per-player rate are refused with codes; an admin mute silences a player; what is
 * said during a hand is stored with that hand and shown in its history.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, open, post, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

describe('table chat', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function person(): Promise<TestClient & { token: string }> {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, '300');
    return Object.assign(await open(felt.url, p.token, p.playerId), { token: p.token });
  }

  const chats = (c: TestClient) => c.frames.filter((f) => f.event === 'table:chat').map((f) => f.payload.text as string);

  it('reaches players and watchers, is stored with the hand in play, and refuses what breaks the rules', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000 });
    const a = await person();
    const b = await person();
    for (const c of [a, b]) expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    const watcher = await person();
    const stranger = await person();
    expect((await watcher.call('table:watch', { tableId })).ok).toBe(true);
    await a.until(() => !!a.latest?.handId, 5000, 'a hand');
    const handId = a.latest!.handId!;
    expect(await a.call('table:chat', { tableId, text: '  good luck  ' })).toMatchObject({ ok: true, messageId: expect.any(String) });
    expect(await watcher.call('table:chat', { tableId, text: 'nice table' })).toMatchObject({ ok: true });
    for (const c of [a, b, watcher]) await c.until(() => chats(c).length === 2, 5000, 'both messages');
    expect(chats(b)).toEqual(['good luck', 'nice table']);
    expect(await stranger.call('table:chat', { tableId, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(chats(stranger)).toEqual([]);
    for (const text of ['', '   ', 'x'.repeat(201), 'line\nbreak']) {
      expect({ text, ack: await a.call('table:chat', { tableId, text }) }).toMatchObject({ text, ack: { ok: false, error: { code: 'invalid_payload' } } });
    }
    // The burst is 5 messages; "good luck" used one.
    const acks = [];
    for (let i = 0; i < 6; i++) acks.push(await a.call('table:chat', { tableId, text: `m${i}` }));
    expect(acks.map((x) => (x.ok ? 'ok' : x.error.code))).toEqual(['ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    await playHands([a, b], 1, passive);
    const detail = await get(`${felt.url}/api/admin/hands/${handId}`, admin);
    expect(detail.body.chat.map((m: { text: string }) => m.text)).toEqual(['good luck', 'nice table', 'm0', 'm1', 'm2', 'm3']);
    for (const c of [a, b, watcher, stranger]) c.close();
  });

  it('an admin mute silences a player until lifted', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' });
    const p = await person();
    expect((await p.call('table:watch', { tableId })).ok).toBe(true);
    const url = `${felt.url}/api/admin/players/${p.playerId}/mute`;
    expect(await post(url, { muted: true }, admin)).toMatchObject({ status: 200, body: { chatMuted: true } });
    expect(await p.call('table:chat', { tableId, text: 'hello?' })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/muted/) } });
    expect((await get(`${felt.url}/api/admin/players/${p.playerId}`, admin)).body.chatMuted).toBe(true);
    expect((await post(url, { muted: 'yes' }, admin)).status).toBe(400);
    expect((await post(url, { muted: true }, p.token)).status).toBe(403);
    expect(await post(url, { muted: false }, admin)).toMatchObject({ status: 200, body: { chatMuted: false } });
    expect(await p.call('table:chat', { tableId, text: 'hello!' })).toMatchObject({ ok: true });
    p.close();
  });
});
