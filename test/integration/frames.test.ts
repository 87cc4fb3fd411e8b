/**
 * Frames on the wire, counted by real sockets against a real server: protocol 2 clients get at most one
 * `table:frame` per table step (frames per accepted action ≤ seats + 1), protocol 1 clients keep their
 * per-event messages, no socket gets the same table:state seq twice, and watchers on protocol 2 follow
 * turns from events and turn notices instead of a full view per turn.
 */
import { randomUUID } from 'node:crypto';
import { useAdminServer } from '../helpers/server';
import { createTable, credit, open, register, seatPlayers, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';
import type { Felt } from '../../server/src/boot';

const TABLE = { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '100', maxBuyIn: '400' };
const AMOUNTS = { wallet: '10000', buyIn: '400' };
const TABLE_EVENTS = new Set(['table:state', 'hand:event', 'hand:cards', 'hand:result', 'hand:openings', 'seat:topup']);

/** A watcher of `tableId` speaking `protocol`. */
async function watcher(felt: Felt, admin: string, tableId: string, protocol: 1 | 2): Promise<TestClient> {
  const account = await register(felt.url, 'w');
  await credit(felt.url, admin, account.playerId, '1');
  const client = await open(felt.url, account.token, account.playerId, protocol);
  const ack = await client.call('table:watch', { tableId });
  if (!ack.ok) throw new Error(`watch failed: ${JSON.stringify(ack)}`);
  return client;
}

/** Every table:state seq a socket received more than once, as `seq` strings (empty when none). */
function repeatedSeqs(client: TestClient, tableId: string): string[] {
  const seen = new Set<number>();
  const repeated: string[] = [];
  for (const f of client.frames) {
    if (f.event !== 'table:state' || f.payload.tableId !== tableId) continue;
    if (seen.has(f.payload.seq)) repeated.push(String(f.payload.seq));
    seen.add(f.payload.seq);
  }
  return repeated;
}

/** Accepted actions of the hands `client` saw, from the hand:event items (timeouts and posts excluded). */
function actionsSeen(client: TestClient, tableId: string): number {
  return client.frames.filter((f) => f.event === 'hand:event' && f.payload.tableId === tableId && f.payload.type === 'action').length;
}

describe('one frame per socket per table step', () => {
  let felt: Felt;
  let admin: string;
  useAdminServer({ HAND_PAUSE_MS: '0' }, (room) => ({ felt, admin } = room));

  it('protocol 2: frames per accepted action stay within seats + 1 at a 6-seat table, and nothing arrives twice', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const players = await seatPlayers(felt.url, admin, tableId, 6, AMOUNTS, 2);
    const watchers = [await watcher(felt, admin, tableId, 2), await watcher(felt, admin, tableId, 1)];
    const before = players.map((p) => p.packets.length);
    const actions = await playHands(players, 4, passive, 60_000);
    const packets = players.reduce((sum, p, i) => sum + p.packets.length - before[i]!, 0);
    const perAction = packets / actions;

    // The bench's figure: frames received by the seated sockets per accepted action (acks not counted).
    // The acting socket's share rides in its ack, so about one frame per other seat, plus each hand's deal and result.
    if (perAction > TABLE.maxSeats + 1) throw new Error(`protocol 2 frames per action ${perAction.toFixed(2)} > ${TABLE.maxSeats + 1} (${packets} frames, ${actions} actions)`);
    expect(actions).toBeGreaterThan(10);
    for (const p of [...players, watchers[0]!]) {
      const other = p.packets.filter((f) => f.event !== 'table:frame').map((f) => f.event);
      expect(other).toEqual([]);
    }
    for (const c of [...players, ...watchers]) expect(repeatedSeqs(c, tableId)).toEqual([]);
    for (const c of [...players, ...watchers]) c.close();
  }, 90_000);

  it('protocol 2: the ack of an action carries what it sent the acting socket, which gets no frame for it', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const players = await seatPlayers(felt.url, admin, tableId, 3, AMOUNTS, 2);
    await players[0]!.until(() => players.some((p) => p.myTurn()), 10_000, 'a turn');
    const actor = players.find((p) => p.myTurn())!;
    const v = actor.latest!;
    const ack = await actor.call('table:act', { tableId, handId: v.handId, requestId: randomUUID(), action: 'call' });
    expect(ack.ok).toBe(true);
    const items = (ack.frame?.items ?? []) as Array<{ type: string; payload: { seq: number; type?: string; you?: { legal: unknown } } }>;
    const action = items.find((i) => i.type === 'hand:event' && i.payload.type === 'action');
    expect(action).toBeDefined();
    // The acting player's own new view (its offer withdrawn) rides in the ack too.
    expect(items.some((i) => i.type === 'table:state' && i.payload.you?.legal === null)).toBe(true);
    const others = players.filter((p) => p !== actor);
    for (const p of others) await p.until(() => p.frames.some((f) => f.event === 'hand:event' && f.payload.seq === action!.payload.seq), 10_000, 'the action');
    const framed = actor.packets.filter((f) => f.event === 'table:frame' && f.payload.items.some((i: { type: string; payload: { seq: number } }) => i.type === 'hand:event' && i.payload.seq === action!.payload.seq));
    expect(framed).toEqual([]);
    for (const c of players) c.close();
  }, 60_000);

  it('protocol 1 clients keep per-event messages and never see a frame; a table:state seq reaches no socket twice', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const players = await seatPlayers(felt.url, admin, tableId, 3, AMOUNTS, 1);
    const watch = await watcher(felt, admin, tableId, 1);
    await playHands(players, 3, passive, 60_000);
    // A fourth player joins between hands and one leaves, so seat changes are published too.
    const [late] = await seatPlayers(felt.url, admin, tableId, 1, AMOUNTS);
    await playHands([...players, late!], 2, passive, 60_000);
    expect((await players[0]!.call('table:leave', { tableId, requestId: randomUUID() })).ok).toBe(true);
    await playHands([players[1]!, players[2]!, late!], 2, passive, 60_000);
    for (const c of [...players, late!, watch]) {
      expect(c.packets.some((f) => f.event === 'table:frame')).toBe(false);
      expect(c.packets.every((f) => TABLE_EVENTS.has(f.event))).toBe(true);
      expect(repeatedSeqs(c, tableId)).toEqual([]);
    }
    // Protocol 1 watchers still get a full view on every turn, as before.
    expect(watch.frames.filter((f) => f.event === 'table:state').length).toBeGreaterThan(actionsSeen(watch, tableId));
    for (const c of [...players, late!, watch]) c.close();
  }, 90_000);

  it('protocol 2 watchers follow turns from events and turn notices, not a full view per turn', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const players = await seatPlayers(felt.url, admin, tableId, 3, AMOUNTS, 2);
    const watch = await watcher(felt, admin, tableId, 2);
    await playHands(players, 3, passive, 60_000);
    const views = watch.frames.filter((f) => f.event === 'table:state').length;
    const turns = watch.frames.filter((f) => f.event === 'table:turn');
    const actions = actionsSeen(watch, tableId);
    expect(actions).toBeGreaterThan(6);
    expect(views).toBeLessThan(actions);
    expect(turns.length).toBeGreaterThanOrEqual(actions - 3);
    // Every turn notice names the seat to act and orders after the views before it.
    for (const t of turns) expect(t.payload).toMatchObject({ tableId, seq: expect.any(Number) });
    for (const c of [...players, watch]) c.close();
  }, 90_000);

  it.each([1, 2] as const)('protocol %i: a player who reconnects gets their view and cards once, and no seq twice', async (protocol) => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const players = await seatPlayers(felt.url, admin, tableId, 2, AMOUNTS, protocol);
    const [stays, drops] = [players[0]!, players[1]!];
    await stays.until(() => stays.frames.some((f) => f.event === 'hand:cards'), 10_000, 'a deal');
    const connected = (c: TestClient, value: boolean) => c.latest?.seats.find((s) => s.playerId === drops.playerId)?.connected === value;
    drops.close();
    await stays.until(() => connected(stays, false), 10_000, 'the seat shown disconnected');
    const again = await open(felt.url, drops.token, drops.playerId, protocol);
    await again.until(() => connected(again, true), 10_000, 'the seat shown connected again');
    // The presence change publishes a newer view right after the resume view: never the same one twice.
    expect(repeatedSeqs(again, tableId)).toEqual([]);
    const first = again.packets[0]!;
    if (protocol === 2) {
      expect(first.event).toBe('table:frame');
      // The resume's view and cards lead the first frame (the presence change's newer view may share it).
      expect(first.payload.items.slice(0, 2).map((i: { type: string }) => i.type)).toEqual(['table:state', 'hand:cards']);
    } else {
      expect(again.packets.slice(0, 2).map((p) => p.event)).toEqual(['table:state', 'hand:cards']);
    }
    for (const c of [stays, again]) c.close();
  }, 60_000);

  it('refuses a handshake naming an unknown protocol version', async () => {
    const account = await register(felt.url);
    await expect(open(felt.url, account.token, account.playerId, 3 as 2)).rejects.toThrow('invalid_payload');
  });
});
