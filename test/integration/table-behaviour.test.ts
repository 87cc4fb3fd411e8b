/**
 * Table behaviour over the real protocol: timeouts, disconnect/reconnect, duplicate request ids, acting
 * out of turn, sitting twice, buy-ins above the balance, leaving mid-hand, and 2..9-player tables.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, get, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

describe('table behaviour', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer(ENV);
    admin = await adminToken(felt.url, ENV.ADMIN_USERNAME, ENV.ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await felt.close();
  });

  async function player(walletAmount = '1000'): Promise<TestClient & { token: string }> {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, walletAmount);
    const c = await open(felt.url, p.token, p.playerId);
    return Object.assign(c, { token: p.token });
  }

  async function table(spec: Record<string, unknown> = {}): Promise<string> {
    return createTable(felt.url, admin, { variant: 'NT', maxSeats: 9, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', ...spec });
  }

  async function wallet(c: { token: string }): Promise<string> {
    return (await get(`${felt.url}/api/me`, c.token)).body.balance as string;
  }

  it('rejects a bad handshake token with "unauthorized"', async () => {
    await expect(open(felt.url, 'not-a-token', 'x')).rejects.toThrow('unauthorized');
  });

  it('sitting twice, a taken seat, out-of-range and unaffordable buy-ins change nothing', async () => {
    const tableId = await table();
    const a = await player('100');
    const b = await player('100');
    expect(await a.call('table:sit', { tableId, seat: 3, buyIn: '50', requestId: randomUUID() })).toMatchObject({ ok: true, seat: 3 });
    expect(await a.call('table:sit', { tableId, buyIn: '50', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'already_seated' } });
    expect(await b.call('table:sit', { tableId, seat: 3, buyIn: '50', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'seat_taken' } });
    expect(await b.call('table:sit', { tableId, buyIn: '500', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'buy_in_out_of_range' } });
    expect(await b.call('table:sit', { tableId, buyIn: '10', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'buy_in_out_of_range' } });
    expect(await b.call('table:sit', { tableId, buyIn: '2.5', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'invalid_amount' } });
    const poor = await player('30');
    expect(await poor.call('table:sit', { tableId, buyIn: '40', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'insufficient_funds' } });
    expect(await wallet(poor)).toBe('30.00');
    expect(await wallet(b)).toBe('100.00');
    expect(await wallet(a)).toBe('50.00');
    for (const c of [a, b, poor]) c.close();
  });

  it('a duplicate requestId gets the original answer and moves chips once; other parameters under it conflict', async () => {
    const tableId = await table();
    const a = await player('100');
    const requestId = randomUUID();
    const [first, second] = await Promise.all([
      a.call('table:sit', { tableId, buyIn: '60', requestId }),
      a.call('table:sit', { tableId, buyIn: '60', requestId }),
    ]);
    expect(first).toMatchObject({ ok: true, stack: '60' });
    expect(second).toEqual(first);
    expect(await wallet(a)).toBe('40.00');
    expect(await a.call('table:sit', { tableId, buyIn: '70', requestId })).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    a.close();
  });

  it('acting out of turn or on a stale hand is refused; timeouts check or fold and then sit the player out', async () => {
    const tableId = await table({ actionTimeoutMs: 1000, timeBankMs: 0 });
    const a = await player();
    const b = await player();
    for (const c of [a, b]) expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    await a.until(() => !!a.latest?.turn, 5000, 'a hand to start');
    const [toAct, waiting] = a.myTurn() ? [a, b] : [b, a];
    const handId = a.latest!.handId!;
    expect(await waiting.call('table:act', { tableId, handId, action: 'call', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_your_turn' } });
    expect(await toAct.call('table:act', { tableId, handId: randomUUID(), action: 'call', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'stale_hand' } });
    expect(await toAct.call('table:act', { tableId, handId, action: 'check', requestId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'illegal_action' } });
    expect(await toAct.call('table:act', { tableId, handId, action: 'raise', amount: '1000', requestId: randomUUID() })).toMatchObject({ ok: false });
    // Nobody acts: the timer folds (or checks) for whoever is to act, twice in a row sits them out.
    await a.until(() => a.results.length >= 1, 5000, 'a timed-out hand to settle');
    await a.until(() => (a.latest?.seats ?? []).some((s) => s.status === 'sitting_out'), 15_000, 'a player sat out after timeouts');
    const timeouts = a.frames.filter((f) => f.event === 'hand:event' && f.payload.type === 'timeout');
    expect(timeouts.length).toBeGreaterThanOrEqual(2);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of [a, b]) c.close();
  });

  it('a player who disconnects keeps the seat and gets the full view and hole cards back on reconnect', async () => {
    const tableId = await table({ actionTimeoutMs: 10_000 });
    const a = await player();
    const b = await player();
    for (const c of [a, b]) expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    await a.until(() => !!a.latest?.handId && a.frames.some((f) => f.event === 'hand:cards'), 5000, 'cards');
    const cards = a.frames.filter((f) => f.event === 'hand:cards').at(-1)!.payload;
    a.close();
    await b.until(() => b.latest?.seats.find((s) => s.playerId === a.playerId)?.connected === false, 5000, 'a shown disconnected');
    const again = await open(felt.url, a.token, a.playerId);
    await again.until(() => again.frames.some((f) => f.event === 'hand:cards'), 5000, 'cards again');
    expect(again.frames.find((f) => f.event === 'hand:cards')!.payload).toEqual(cards);
    expect(again.latest?.you?.holeCards).toEqual(cards.cards);
    expect(again.latest?.you?.seat).not.toBeNull();
    await b.until(() => b.latest?.seats.find((s) => s.playerId === a.playerId)?.connected === true, 5000, 'a shown connected');
    for (const c of [again, b]) c.close();
  });

  it('leaving mid-hand folds at the player\'s turn and cashes out right after the hand', async () => {
    const tableId = await table({ actionTimeoutMs: 10_000 });
    const a = await player('300');
    const b = await player('300');
    const c = await player('300');
    for (const x of [a, b, c]) expect((await x.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    await a.until(() => !!a.latest?.turn, 5000, 'a hand');
    const leaver = [a, b, c].find((x) => x.latest?.seats.some((s) => s.playerId === x.playerId && s.status === 'active'))!;
    const ack = await leaver.call('table:leave', { tableId, requestId: randomUUID() });
    expect(ack).toMatchObject({ ok: true, pending: true });
    await playHands([a, b, c].filter((x) => x !== leaver), 1, passive);
    await leaver.until(() => !(leaver.latest?.seats ?? []).some((s) => s.playerId === leaver.playerId), 10_000, 'the leaver to be cashed out');
    const rows = (await felt.dataSource.query(`SELECT balance::text FROM account WHERE kind = 'seat' AND player_id = $1 AND table_id = $2`, [leaver.playerId, tableId])) as Array<{ balance: string }>;
    expect(rows[0]?.balance).toBe('0');
    expect(Number(await wallet(leaver))).toBeGreaterThanOrEqual(200);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const x of [a, b, c]) x.close();
  });

  it('never sends one socket the same table:state twice (heads-up: last to act on a street is first on the next)', async () => {
    const tableId = await table();
    const a = await player();
    const b = await player();
    for (const c of [a, b]) expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    await playHands([a, b], 4, passive);
    for (const c of [a, b]) {
      const seqs = c.frames.filter((f) => f.event === 'table:state').map((f) => f.payload.seq as number);
      const repeated = seqs.filter((s, i) => seqs.indexOf(s) !== i);
      expect({ player: c.playerId, repeated }).toEqual({ player: c.playerId, repeated: [] });
    }
    for (const c of [a, b]) c.close();
  });

  it.each([2, 5, 9])('plays full hands with %i players and the books balance', async (count) => {
    const tableId = await table();
    const clients: TestClient[] = [];
    for (let i = 0; i < count; i++) {
      const c = await player();
      expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
      clients.push(c);
    }
    await playHands(clients, 3, passive, 60_000);
    const last = clients[0]!.results.at(-1)!;
    expect(last.stacks.reduce((s, x) => s + Number(x.stack), 0) + Number(last.rake)).toBeLessThanOrEqual(100 * count);
    const seatRows = (await felt.dataSource.query(`SELECT coalesce(sum(balance), 0)::text AS total FROM account WHERE kind = 'seat' AND table_id = $1`, [tableId])) as Array<{ total: string }>;
    expect(seatRows[0]!.total).toBe(String(100 * count));
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of clients) c.close();
  });
});
