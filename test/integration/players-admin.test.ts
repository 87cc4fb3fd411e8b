/**
 * Operating a room, players side, over the real HTTP API: find a player by username prefix with
 * paging, see one player with seats and transfers, pay a player out (debit) with every refusal and a
 * replay, and a player's own hands (only their cards) and statement.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, get, post, register, seatPlayers } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

describe('admin players and a player\'s own history', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer(ENV, (room) => ({ felt, admin } = room));

  async function registerNamed(username: string): Promise<{ token: string; playerId: string }> {
    const res = await post(`${felt.url}/api/auth/register`, { username, password: 'correct-horse-1' });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('searches players by case-insensitive username prefix, in pages', async () => {
    const tag = randomUUID().slice(0, 6);
    for (const name of ['Alpha', 'alpine', 'ALPS', 'beta']) await registerNamed(`${name}${tag}`.slice(0, 32));
    // A prefix of every "alp…" name but not "beta…".
    const first = await get(`${felt.url}/api/admin/players?query=aLp&limit=2`, admin);
    expect(first.status).toBe(200);
    expect(first.body.players.map((p: { username: string }) => p.username.toLowerCase())).toEqual([`alpha${tag}`, `alpine${tag}`]);
    expect(first.body.players[0]).toMatchObject({ role: 'player', balance: '0.00' });
    expect(typeof first.body.players[0].createdAt).toBe('string');
    const second = await get(`${felt.url}/api/admin/players?query=aLp&limit=2&cursor=${first.body.nextCursor}`, admin);
    expect(second.body.players.map((p: { username: string }) => p.username.toLowerCase())).toEqual([`alps${tag}`]);
    expect(second.body.nextCursor).toBeNull();
    for (const bad of ['query=a%25', 'limit=0', 'limit=201', 'cursor=%27%3B', 'other=1']) {
      const res = await get(`${felt.url}/api/admin/players?${bad}`, admin);
      expect({ bad, status: res.status, code: res.body.error?.code }).toEqual({ bad, status: 400, code: 'invalid_payload' });
    }
    const p = await register(felt.url);
    expect((await get(`${felt.url}/api/admin/players`, p.token)).status).toBe(403);
  });

  it('pays a player out: over-balance refused, replay-safe, shown in the statement, books balanced', async () => {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, '100');
    const url = `${felt.url}/api/admin/players/${p.playerId}/debit`;
    const key = randomUUID();
    const over = await post(url, { amount: '100.01', idempotencyKey: randomUUID(), reason: 'withdrawal' }, admin);
    expect(over).toMatchObject({ status: 409, body: { error: { code: 'insufficient_funds' } } });
    const fine = await post(url, { amount: '100.001', idempotencyKey: randomUUID(), reason: 'withdrawal' }, admin);
    expect(fine).toMatchObject({ status: 400, body: { error: { code: 'invalid_amount' } } });
    const noReason = await post(url, { amount: '1', idempotencyKey: randomUUID() }, admin);
    expect(noReason).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
    const first = await post(url, { amount: '40.50', idempotencyKey: key, reason: 'withdrawal #1' }, admin);
    expect(first).toMatchObject({ status: 200, body: { balance: '59.50' } });
    const replay = await post(url, { amount: '40.50', idempotencyKey: key, reason: 'withdrawal #1' }, admin);
    expect(replay.body).toEqual(first.body);
    const conflict = await post(url, { amount: '1.00', idempotencyKey: key, reason: 'withdrawal #1' }, admin);
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    expect((await get(`${felt.url}/api/me`, p.token)).body.balance).toBe('59.50');
    const detail = await get(`${felt.url}/api/admin/players/${p.playerId}`, admin);
    expect(detail.body).toMatchObject({ playerId: p.playerId, balance: '59.50', seats: [] });
    expect(detail.body.recentTransfers[0]).toMatchObject({ kind: 'debit', reason: 'withdrawal #1' });
    const mine = await get(`${felt.url}/api/me/ledger`, p.token);
    expect(mine.body.lines[0]).toMatchObject({ kind: 'debit', amount: '-40.50' });
    expect((await post(`${felt.url}/api/admin/players/${randomUUID()}/debit`, { amount: '1', idempotencyKey: randomUUID(), reason: 'x' }, admin)).status).toBe(404);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
  });

  it('a player lists their own hands and sees only their own cards and cards shown at showdown', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' });
    const people = (await seatPlayers(felt.url, admin, tableId, 3, { wallet: '500', buyIn: '100' })).map((client) => ({ token: client.token, playerId: client.playerId, client }));
    await playHands(people.map((p) => p.client), 3, passive);
    const seatedDetail = await get(`${felt.url}/api/admin/players/${people[0]!.playerId}`, admin);
    expect(seatedDetail.body.seats).toEqual([expect.objectContaining({ tableId, seat: expect.any(Number) })]);
    const [me, other] = people as [(typeof people)[0], (typeof people)[0]];
    const list = await get(`${felt.url}/api/me/hands?limit=10`, me.token);
    expect(list.status).toBe(200);
    expect(list.body.hands.length).toBeGreaterThanOrEqual(3);
    const settled = list.body.hands.find((h: { status: string }) => h.status === 'settled');
    const view = await get(`${felt.url}/api/me/hands/${settled.handId}`, me.token);
    expect(view.status).toBe(200);
    const holeEvents = view.body.events.filter((e: { type: string }) => e.type === 'deal_hole');
    expect(holeEvents.map((e: { payload: { seat: number } }) => e.payload.seat)).toEqual([view.body.yourSeat]);
    for (const e of view.body.events.filter((x: { type: string }) => x.type === 'showdown')) {
      if (e.payload.seat !== view.body.yourSeat && e.payload.shown !== true) expect(e.payload.cards).toBeUndefined();
    }
    const text = await fetch(`${felt.url}/api/me/hands/${settled.handId}?format=pokerstars`, { headers: { authorization: `Bearer ${me.token}` } });
    expect(text.status).toBe(200);
    const body = await text.text();
    expect(body.match(/Dealt to /g)).toHaveLength(1);
    // A stranger to the hand cannot read it, and nobody can read another player's statement via /api/me.
    const stranger = await register(felt.url);
    expect((await get(`${felt.url}/api/me/hands/${settled.handId}`, stranger.token)).status).toBe(404);
    expect((await get(`${felt.url}/api/me/hands`, stranger.token)).body.hands).toEqual([]);
    expect((await get(`${felt.url}/api/me/hands/${settled.handId}?format=xml`, other.token)).status).toBe(400);
    for (const p of people) p.client.close();
  });
  it('sums a player up: net equals balances minus money in plus money out, hands played, rake paid adds up to the house rake', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '40.00', maxBuyIn: '200.00', rakePercent: '10', rakeCap: '5.00',
    });
    const people = (await seatPlayers(felt.url, admin, tableId, 2, { wallet: '300', buyIn: '100.00' })).map((client) => ({ token: client.token, playerId: client.playerId, client }));
    await playHands(people.map((p) => p.client), 3, passive);
    for (const p of people) p.client.close();
    const debit = await post(`${felt.url}/api/admin/players/${people[0]!.playerId}/debit`, { amount: '12.34', idempotencyKey: randomUUID(), reason: 'cash out' }, admin);
    expect(debit.status).toBe(200);
    const hands = (await get(`${felt.url}/api/admin/hands?tableId=${tableId}&status=settled&limit=200`, admin)).body.hands as Array<{ rake: string }>;
    expect(hands.length).toBeGreaterThanOrEqual(3);
    let rakeSum = 0;
    for (const p of people) {
      const summary = await get(`${felt.url}/api/admin/players/${p.playerId}/summary`, admin);
      expect(summary.status).toBe(200);
      const statement = (await get(`${felt.url}/api/admin/players/${p.playerId}/ledger?limit=200`, admin)).body;
      // Cents as integers, so the check does not depend on floating-point sums.
      const cents = (x: string) => Math.round(Number(x) * 100);
      const held = statement.accounts.reduce((sum: number, a: { balance: string }) => sum + cents(a.balance), 0);
      expect(summary.body).toMatchObject({ playerId: p.playerId, handsPlayed: hands.length, credited: '300.00' });
      expect(cents(summary.body.net)).toBe(held - cents(summary.body.credited) + cents(summary.body.paidOut));
      rakeSum += cents(summary.body.rakePaid);
      // Seat lines and seat accounts name their table, so the console never shows a bare table id.
      const tableName = (await get(`${felt.url}/api/tables`)).body.tables.find((t: { tableId: string }) => t.tableId === tableId).name;
      expect(statement.lines.find((l: { account: string }) => l.account === 'seat')).toMatchObject({ tableId, tableName });
      expect(statement.accounts.find((a: { kind: string }) => a.kind === 'seat')).toMatchObject({ tableId, tableName });
    }
    expect((await get(`${felt.url}/api/admin/players/${people[0]!.playerId}/summary`, admin)).body.paidOut).toBe('12.34');
    expect(rakeSum).toBe(hands.reduce((sum, h) => sum + Math.round(Number(h.rake) * 100), 0));
    expect(rakeSum).toBeGreaterThan(0);
    expect((await get(`${felt.url}/api/admin/players/${randomUUID()}/summary`, admin)).status).toBe(404);
    expect((await get(`${felt.url}/api/admin/players/${people[0]!.playerId}/summary`, people[0]!.token)).status).toBe(403);
  });
});
