/**
 * Two Felt nodes on one PostgreSQL and one redis-server (Socket.IO Redis streams adapter): a table
 * created through node A runs only there; a player connected to node B sits, acts and gets answers in
 * the same ack, private cards reach only their owner, a new socket on B gets the seat and cards back,
 * and B's lobby lists A's table.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { startRedis, type TestRedis } from '../setup/redis';
import { startTestServer, startTestServerOn, TEST_ADMIN } from '../helpers/server';
import { adminToken, createTable, credit, get, open, post, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';
import { PROTOCOL_LIMITS } from '../../shared/protocol';

const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '0.50', bigBlind: '1', minBuyIn: '20', maxBuyIn: '100' };

/** Registers and credits a player through node `via`, then connects them to node `to`. */
async function player(via: Felt, admin: string, to: Felt): Promise<TestClient & { token: string }> {
  const p = await register(via.url);
  await credit(via.url, admin, p.playerId, '500');
  return Object.assign(await open(to.url, p.token, p.playerId), { token: p.token });
}

/** The hole cards of `handId` each `hand:cards` frame brought `client`. */
function cardsOf(client: TestClient, handId: string): string[][] {
  return client.frames.filter((f) => f.event === 'hand:cards' && f.payload.handId === handId).map((f) => f.payload.cards as string[]);
}

describe('two nodes: a table on node A played from node B', () => {
  let redis: TestRedis;
  let a: Felt;
  let b: Felt;
  let admin: string;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestServer({ ...TEST_ADMIN, REDIS_URL: redis.url, NODE_ID: 'node-a', HAND_PAUSE_MS: '0' });
    b = await startTestServerOn(a.config.DATABASE_URL!, { ...TEST_ADMIN, REDIS_URL: redis.url, NODE_ID: 'node-b', HAND_PAUSE_MS: '0' });
    admin = await adminToken(a.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it('routes sit, act and watch to the owner and answers in the same ack; cards stay private', async () => {
    const tableId = await createTable(a.url, admin, TABLE);
    expect(a.tables.get(tableId)).toBeDefined();
    expect(b.tables.get(tableId)).toBeUndefined();

    const onA = await player(a, admin, a);
    const onB = await player(a, admin, b);
    clients.push(onA, onB);
    const sitA = await onA.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() });
    const sitRequest = { tableId, buyIn: '100', requestId: randomUUID() };
    const sitB = await onB.call('table:sit', sitRequest);
    expect(sitA).toMatchObject({ ok: true });
    expect(sitB).toMatchObject({ ok: true });
    // The same request again, from node B: the first answer, not a second buy-in.
    expect(await onB.call('table:sit', sitRequest)).toEqual(sitB);
    expect(a.tables.get(tableId)!.isSeated(onB.playerId)).toBe(true);

    const lobby = await onB.call('lobby:list', {});
    expect(lobby.ok && (lobby.tables as Array<{ tableId: string; seated: number }>).find((t) => t.tableId === tableId)).toMatchObject({ seated: 2 });

    await onB.until(() => !!onB.latest?.handId && cardsOf(onB, onB.latest.handId).length > 0, 15_000, 'hole cards on node B');
    const handId = onB.latest!.handId!;
    await onA.until(() => cardsOf(onA, handId).length > 0, 15_000, 'hole cards on node A');
    const [mineB] = cardsOf(onB, handId);
    const [mineA] = cardsOf(onA, handId);
    expect(mineB).toHaveLength(2);
    expect(mineA).toHaveLength(2);
    expect(mineA!.some((card) => mineB!.includes(card))).toBe(false);
    for (const f of onB.frames.filter((x) => x.event === 'table:state' && x.payload.handId === handId)) {
      const others = (f.payload.seats as Array<{ playerId?: string; holeCards?: string[] } | null>).filter((s) => s && s.playerId === onA.playerId);
      for (const s of others) expect(s!.holeCards ?? []).not.toEqual(mineA);
    }

    // A second socket of B's player, on node B, gets the seat and its private cards back without asking.
    const p2again = await open(b.url, onB.token, onB.playerId);
    clients.push(p2again);
    await p2again.until(() => p2again.latest?.you?.seat !== undefined && cardsOf(p2again, handId).length > 0, 10_000, 'resumed view on node B');
    expect(cardsOf(p2again, handId)[0]).toEqual(mineB);

    // A watcher on node B gets the view from node A and then A's broadcasts.
    const watcher = await player(a, admin, b);
    clients.push(watcher);
    const watch = await watcher.call('table:watch', { tableId });
    expect(watch).toMatchObject({ ok: true, state: { tableId } });

    await playHands([onA, onB], 2, passive, 30_000);
    await watcher.until(() => watcher.results.length >= 1, 10_000, 'a hand result for the watcher on node B');
    expect(onB.results.length).toBeGreaterThanOrEqual(2);

    // B's player closes both sockets (both on node B): the table on node A marks the seat disconnected.
    const seatOfB = (c: TestClient) => c.latest?.seats.find((seat) => seat?.playerId === onB.playerId);
    expect(seatOfB(onA)?.connected).toBe(true);
    onB.close();
    p2again.close();
    await onA.until(() => seatOfB(onA)?.connected === false, 15_000, 'node A to see B\'s player disconnected');

    // An operator's close sent to node B reaches the actor on node A (which then closes after the hand).
    expect(a.tables.get(tableId)!.closing).toBe(false);
    const closed = await post(`${b.url}/api/admin/tables/${tableId}/close`, {}, admin);
    expect(closed.body).toMatchObject({ status: expect.stringMatching(/^(closing|closed)$/) });
    expect(a.tables.get(tableId)?.closing ?? a.tables.wasClosed(tableId)).toBe(true);
  }, 90_000);

  it('counts the tables a player sits at on every node against the per-player table limit', async () => {
    const limit = PROTOCOL_LIMITS.maxTablesPerPlayer;
    const tableIds: string[] = [];
    for (let i = 0; i <= limit; i++) tableIds.push(await createTable(a.url, admin, TABLE));
    // New tables go to the least-loaded node, so the player's tables are spread over both nodes (a node
    // adopts a table placed on it at its next lease round).
    const running = () => tableIds.every((id) => a.tables.get(id) !== undefined || b.tables.get(id) !== undefined);
    for (let waited = 0; !running() && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tableIds.filter((id) => b.tables.get(id) !== undefined).length).toBeGreaterThan(0);
    expect(tableIds.filter((id) => a.tables.get(id) !== undefined).length).toBeGreaterThan(0);
    const many = await player(a, admin, a);
    await credit(a.url, admin, many.playerId, '2000');
    clients.push(many);
    for (const tableId of tableIds.slice(0, limit)) {
      expect(await many.call('table:sit', { tableId, buyIn: '20', requestId: randomUUID() })).toMatchObject({ ok: true });
    }
    const over = await many.call('table:sit', { tableId: tableIds[limit]!, buyIn: '20', requestId: randomUUID() });
    expect(over).toMatchObject({ ok: false, error: { code: 'too_many_tables' } });
    // The admin's view of the player names every seat, also those at tables the other node runs.
    const seats = (await get(`${a.url}/api/admin/players/${many.playerId}`, admin)).body.seats as Array<{ tableId: string; seat: number | null }>;
    expect(seats).toHaveLength(limit);
    expect(seats.filter((x) => x.seat === null)).toEqual([]);
  }, 90_000);

  it('answers table_not_found from every node for a table nobody runs', async () => {
    const lost = await player(a, admin, b);
    clients.push(lost);
    const ack = await lost.call('table:sit', { tableId: randomUUID(), buyIn: '50', requestId: randomUUID() });
    expect(ack).toMatchObject({ ok: false, error: { code: 'table_not_found' } });
  });
});
