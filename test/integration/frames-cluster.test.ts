/**
 * Frames across nodes: two Socket.IO servers joined by the Redis streams adapter over a real
 * redis-server. A table's broadcaster on node A reaches protocol 2 and protocol 1 sockets connected to
 * node B through rooms alone: each socket gets what it would have got on A, in its own protocol.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import type { FeltIo } from '../../server/src/transport/io-server';
import { frameBroadcaster } from '../../server/src/transport/frame-broadcaster';
import { installFrameProtocol } from '../../server/src/transport/frame-rooms';
import { playerRoom, tableRoom } from '../../server/src/transport/socket-guards';
import type { TableView } from '../../shared/protocol';
import { startRedis, type TestRedis } from '../setup/redis';

const T = '00000000-0000-4000-8000-0000000000c1';

interface Node {
  io: FeltIo;
  http: HttpServer;
  url: string;
  redis: { quit(): Promise<unknown> };
}

/** A node: the adapter, a stand-in token check (the token is the player id) and the table room on connect. */
async function startNode(redisUrl: string): Promise<Node> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const http = createServer();
  const io: FeltIo = new Server(http, { adapter: createAdapter(redis) });
  io.use((socket, next) => {
    const playerId = String((socket.handshake.auth as { token?: unknown }).token);
    socket.data = { playerId, username: playerId, role: 'player', expiresAtMs: Date.now() + 60_000 };
    void socket.join(playerRoom(playerId));
    next();
  });
  installFrameProtocol(io);
  io.on('connection', (socket) => void socket.join(tableRoom(T)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, redis, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

/** A client recording every packet. */
async function client(url: string, playerId: string, protocol: 1 | 2): Promise<{ socket: Socket; got: Array<[string, any]> }> {
  const socket = connect(url, { auth: { token: playerId, protocol }, transports: ['websocket'], reconnection: false, forceNew: true });
  const got: Array<[string, any]> = [];
  socket.onAny((event: string, payload: unknown) => got.push([event, payload]));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, got };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('frames over the Redis streams adapter', () => {
  let redis: TestRedis;
  const nodes: Node[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    nodes.push(await startNode(redis.url), await startNode(redis.url));
  });
  afterAll(async () => {
    for (const n of nodes) {
      await new Promise<void>((resolve) => n.io.close(() => resolve()));
      await n.redis.quit().catch(() => undefined);
    }
    await redis?.stop();
  });

  it('a broadcaster on node A reaches node B sockets in their own protocol, private views only to their owner', async () => {
    const [a, b] = nodes as [Node, Node];
    const seated = await client(b.url, 'p1', 2);
    const other = await client(b.url, 'p2', 2);
    const watcherV2 = await client(b.url, 'w2', 2);
    const watcherV1 = await client(b.url, 'w1', 1);
    const broadcaster = frameBroadcaster(a.io);
    const viewFor = (you: string | null) => ({ tableId: T, seq: 7, turn: { seat: 0, deadline: 1, number: 3, timeBank: false }, you }) as unknown as TableView;
    // Joins are local to node B; node A reaches them only through the rooms the adapter carries.
    const step = () => {
      broadcaster.event(T, ['p1', 'p2'], { tableId: T, handId: 'h', seq: 5, type: 'action', seat: 1 });
      broadcaster.state(T, ['p1', 'p2'], viewFor, ['p1']);
    };
    step();
    await until(() => [seated, other, watcherV2, watcherV1].every((c) => c.got.length > 0), 'node B to receive the step');
    const frames = (c: { got: Array<[string, any]> }) => c.got.filter(([e]) => e === 'table:frame').map(([, f]) => f.items.map((i: any) => i.type === 'table:state' ? `state:${i.payload.you}` : i.type));
    expect(frames(seated)).toEqual([['hand:event', 'state:p1']]);
    expect(frames(other)).toEqual([['hand:event', 'table:turn']]);
    expect(frames(watcherV2)).toEqual([['hand:event', 'table:turn']]);
    await until(() => watcherV1.got.length >= 2, 'both protocol 1 events');
    expect(watcherV1.got.map(([e, p]) => (e === 'table:state' ? `state:${p.you}` : e))).toEqual(['hand:event', 'state:null']);
    for (const c of [seated, other, watcherV2, watcherV1]) c.socket.close();
  }, 30_000);
});
