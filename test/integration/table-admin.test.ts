/**
 * Tables that end and tables that change, over the real API: closing a table with players mid-hand
 * (the hand finishes, every seat is cashed out, the table leaves the lobby and refuses players) and
 * changing its settings between hands.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { chips } from '../../shared/money';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, open, post, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };
const SPEC = { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 30_000 };

async function patch(url: string, body: unknown, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('closing and changing tables', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function seated(tableId: string, count: number): Promise<Array<TestClient & { token: string }>> {
    const out: Array<TestClient & { token: string }> = [];
    for (let i = 0; i < count; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '300');
      const c = Object.assign(await open(felt.url, p.token, p.playerId), { token: p.token });
      expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
      out.push(c);
    }
    return out;
  }

  it('closing mid-hand lets the hand finish, cashes every seat out, and then refuses players', async () => {
    const tableId = await createTable(felt.url, admin, SPEC);
    const players = await seated(tableId, 3);
    await players[0]!.until(() => !!players[0]!.latest?.turn, 5000, 'a hand in play');
    const closing = await post(`${felt.url}/api/admin/tables/${tableId}/close`, {}, admin);
    expect(closing).toMatchObject({ status: 202, body: { tableId, status: 'closing' } });
    const late = await register(felt.url);
    await credit(felt.url, admin, late.playerId, '300');
    const lateClient = await open(felt.url, late.token, late.playerId);
    expect(await lateClient.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'table_closed' } });
    const lobby = await lateClient.call('lobby:list', {});
    expect(lobby.ok && lobby.tables.some((t: { tableId: string }) => t.tableId === tableId)).toBe(false);
    await playHands(players, 1, passive);
    await felt.tables.get(tableId)?.closed;
    let total = chips(0);
    for (const p of players) total = total.plus((await get(`${felt.url}/api/me`, p.token)).body.balance as string);
    expect(total.toString()).toBe('900');
    const [row] = (await felt.dataSource.query(`SELECT status FROM poker_table WHERE id = $1`, [tableId])) as Array<{ status: string }>;
    expect(row!.status).toBe('closed');
    const seats = (await felt.dataSource.query(`SELECT coalesce(sum(balance), 0)::text AS total FROM account WHERE kind = 'seat' AND table_id = $1`, [tableId])) as Array<{ total: string }>;
    expect(seats[0]!.total).toBe('0');
    expect((await get(`${felt.url}/api/tables`)).body.tables.some((t: { tableId: string }) => t.tableId === tableId)).toBe(false);
    expect(await lateClient.call('table:watch', { tableId })).toMatchObject({ ok: false, error: { code: 'table_closed' } });
    expect(await post(`${felt.url}/api/admin/tables/${tableId}/close`, {}, admin)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect((await patch(`${felt.url}/api/admin/tables/${tableId}`, { name: 'again' }, admin)).body.error.code).toBe('table_closed');
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of [...players, lateClient]) c.close();
  });

  it('closes an empty table at once; unknown tables are table_not_found', async () => {
    const tableId = await createTable(felt.url, admin, SPEC);
    expect(await post(`${felt.url}/api/admin/tables/${tableId}/close`, {}, admin)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect((await post(`${felt.url}/api/admin/tables/${randomUUID()}/close`, {}, admin)).status).toBe(404);
    const p = await register(felt.url);
    expect((await post(`${felt.url}/api/admin/tables/${tableId}/close`, {}, p.token)).status).toBe(403);
  });

  it('changes name and stakes: applied after the hand in play, validated like a new table', async () => {
    const tableId = await createTable(felt.url, admin, SPEC);
    const players = await seated(tableId, 2);
    await players[0]!.until(() => !!players[0]!.latest?.turn, 5000, 'a hand in play');
    const url = `${felt.url}/api/admin/tables/${tableId}`;
    expect((await patch(url, { variant: 'PO' }, admin)).status).toBe(400);
    expect(await patch(url, { smallBlind: '5' }, admin)).toMatchObject({ status: 400, body: { error: { code: 'invalid_amount' } } });
    expect(await patch(url, { bigBlind: '4.5' }, admin)).toMatchObject({ status: 400, body: { error: { code: 'invalid_amount' } } });
    expect((await patch(url, {}, admin)).status).toBe(400);
    const changed = await patch(url, { name: 'Higher', smallBlind: '2', bigBlind: '4', actionTimeoutMs: 20_000 }, admin);
    expect(changed).toMatchObject({ status: 200, body: { name: 'Higher', smallBlind: '2', bigBlind: '4', appliesAt: 'after the hand in play' } });
    // The hand in play keeps its stakes; the next deal uses the new ones.
    expect(players[0]!.latest?.config.bigBlind).toBe('2');
    await playHands(players, 1, passive);
    await players[0]!.until(() => players[0]!.latest?.config.bigBlind === '4' && !!players[0]!.latest?.turn, 5000, 'a hand at the new stakes');
    const posts = players[0]!.frames.filter((f) => f.event === 'hand:event' && f.payload.type === 'post' && f.payload.handId === players[0]!.latest!.handId);
    expect(posts.map((f) => f.payload.amount).sort()).toEqual(['2', '4']);
    expect(players[0]!.latest?.name).toBe('Higher');
    for (const c of players) c.close();
  });
});
