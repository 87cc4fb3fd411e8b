/**
 * Socket authorisation ends with the token (expiry or logout), one account cannot hold unbounded
 * sockets or watches, and frames outside the protocol get an error ack instead of silence.
 */
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import type { Felt } from '../../server/src/boot';
import { createTokenService } from '../../server/src/auth/tokens';
import { PROTOCOL_LIMITS } from '../../shared/protocol';
import { startTestServer } from '../helpers/server';
import { useTwoNodesOnRedis } from '../helpers/two-nodes';
import { login, registerPlayer, request } from '../helpers/auth-http';
import { createTable, open, type ClientSocket, type TestClient } from '../helpers/clients';

const ADMIN = { ADMIN_USERNAME: 'root_admin', ADMIN_PASSWORD: 'admin-password-1' };
const SECRET = 'test-secret-test-secret-test-secret-0123';
const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '0.50', bigBlind: '1', minBuyIn: '20', maxBuyIn: '100' };

/** Resolves with the reason of the next `session:ended` and the disconnect that follows it. */
function sessionEnd(client: TestClient, timeoutMs = 15_000): Promise<{ reason: string; disconnect: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not end the session')), timeoutMs);
    let reason = '';
    client.socket.on('session:ended', (msg) => (reason = msg.reason));
    client.socket.once('disconnect', (disconnect) => {
      clearTimeout(timer);
      resolve({ reason, disconnect });
    });
  });
}

/** Connects and resolves with the connect_error message, or 'connected'. */
function tryOpen(url: string, token: string): Promise<{ outcome: string; socket: ClientSocket }> {
  const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ outcome: 'connected', socket }));
    socket.once('connect_error', (error) => resolve({ outcome: error.message, socket }));
  });
}

describe('socket sessions and per-account caps', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer(ADMIN);
    admin = await login(felt.url, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await felt.close();
  });

  it('logout revokes every token of the player, over HTTP and Socket.IO, and closes their sockets', async () => {
    const first = await registerPlayer(felt.url, 'leaver');
    const second = await login(felt.url, 'leaver', 'password-123');
    const socket = await open(felt.url, first.token, first.playerId);
    const ended = sessionEnd(socket);
    const out = await request('POST', `${felt.url}/api/auth/logout`, { token: second });
    expect(out).toMatchObject({ status: 200, body: { loggedOut: true } });
    expect(await ended).toEqual({ reason: 'logged_out', disconnect: 'io server disconnect' });
    for (const token of [first.token, second]) {
      expect((await request('GET', `${felt.url}/api/me`, { token })).status).toBe(401);
      expect((await request('POST', `${felt.url}/api/auth/logout`, { token })).status).toBe(401);
      const retry = await tryOpen(felt.url, token);
      retry.socket.close();
      expect(retry.outcome).toBe('unauthorized');
    }
    const fresh = await login(felt.url, 'leaver', 'password-123');
    expect((await request('GET', `${felt.url}/api/me`, { token: fresh })).status).toBe(200);
  });

  it('a revoked admin token loses admin rights', async () => {
    const token = await login(felt.url, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
    expect((await request('GET', `${felt.url}/api/admin/reconcile`, { token })).status).toBe(200);
    expect((await request('POST', `${felt.url}/api/auth/logout`, { token })).status).toBe(200);
    expect((await request('GET', `${felt.url}/api/admin/reconcile`, { token })).status).toBe(401);
    admin = await login(felt.url, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
  });

  it('closes a socket when its token expires, saying so', async () => {
    const { playerId } = await registerPlayer(felt.url, 'expiring');
    // A token signed by the server's secret 58 s into its 60 s life: it expires about 2 s from now.
    const realNow = Math.floor(Date.now() / 1000);
    const token = createTokenService({ secret: SECRET, ttlSeconds: 60, nowSeconds: () => realNow - 58 }).sign(playerId, 'player');
    const socket = await open(felt.url, token, playerId);
    expect((await socket.call('lobby:list', {})).ok).toBe(true);
    expect(await sessionEnd(socket)).toEqual({ reason: 'expired', disconnect: 'io server disconnect' });
  });

  it('answers an unknown event with unknown_event and an oversized payload with payload_too_large', async () => {
    const p = await registerPlayer(felt.url, 'framer');
    const socket = await open(felt.url, p.token, p.playerId);
    try {
      const unknown = await new Promise<any>((resolve) => (socket.socket as any).emit('table:explode', { tableId: randomUUID() }, resolve));
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
      const big = await socket.call('table:watch', { tableId: randomUUID(), pad: 'x'.repeat(PROTOCOL_LIMITS.maxPayloadBytes + 10) });
      expect(big).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
      // The socket still works after both refusals.
      expect((await socket.call('lobby:list', {})).ok).toBe(true);
      // Beyond the transport's frame limit the connection is closed; there is no ack to answer.
      const closed = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
      (socket.socket as any).emit('lobby:list', { pad: 'x'.repeat(PROTOCOL_LIMITS.maxFrameBytes + 10) }, () => undefined);
      expect(await closed).toBe('transport close');
    } finally {
      socket.close();
    }
  });

  it('caps open sockets per account, also when handshakes race', async () => {
    const p = await registerPlayer(felt.url, 'hoarder');
    const attempts = await Promise.all(Array.from({ length: PROTOCOL_LIMITS.maxConnectionsPerPlayer + 4 }, () => tryOpen(felt.url, p.token)));
    const outcomes = attempts.map((a) => a.outcome);
    expect(outcomes.filter((o) => o === 'connected')).toHaveLength(PROTOCOL_LIMITS.maxConnectionsPerPlayer);
    expect(outcomes.filter((o) => o === 'too_many_connections')).toHaveLength(4);
    // Another account is not affected, and a closed socket frees its slot.
    const other = await registerPlayer(felt.url, 'bystander');
    const theirs = await tryOpen(felt.url, other.token);
    expect(theirs.outcome).toBe('connected');
    theirs.socket.close();
    const gone = attempts.find((a) => a.outcome === 'connected')!.socket;
    await new Promise<void>((resolve) => {
      gone.once('disconnect', () => resolve());
      gone.close();
    });
    let again = await tryOpen(felt.url, p.token);
    // The server notices the close a moment after the client; retry until the slot is free.
    for (let i = 0; i < 50 && again.outcome === 'too_many_connections'; i++) {
      again.socket.close();
      await new Promise((r) => setTimeout(r, 20));
      again = await tryOpen(felt.url, p.token);
    }
    expect(again.outcome).toBe('connected');
    for (const a of [...attempts, again]) a.socket.close();
  });

  it('caps the watchers one account puts on a table and the tables it watches', async () => {
    const p = await registerPlayer(felt.url, 'watcher');
    const sockets: TestClient[] = [];
    for (let i = 0; i < PROTOCOL_LIMITS.maxConnectionsPerPlayer; i++) sockets.push(await open(felt.url, p.token, p.playerId));
    try {
      const tableId = await createTable(felt.url, admin, TABLE);
      const acks = [];
      for (const s of sockets) acks.push(await s.call('table:watch', { tableId }));
      const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
      expect(codes.filter((c) => c === 'ok')).toHaveLength(PROTOCOL_LIMITS.maxWatchersPerPlayerPerTable);
      expect(codes.filter((c) => c === 'too_many_connections')).toHaveLength(sockets.length - PROTOCOL_LIMITS.maxWatchersPerPlayerPerTable);
      // Watching again from a socket that already watches is not a new watcher.
      expect((await sockets[0]!.call('table:watch', { tableId })).ok).toBe(true);
      const more: string[] = [];
      const total = PROTOCOL_LIMITS.maxWatchesPerPlayer - PROTOCOL_LIMITS.maxWatchersPerPlayerPerTable;
      for (let i = 0; i <= total; i++) {
        const other = await createTable(felt.url, admin, TABLE);
        const ack = await sockets[i % sockets.length]!.call('table:watch', { tableId: other });
        more.push(ack.ok ? 'ok' : ack.error.code);
      }
      expect(more.slice(0, total).every((c) => c === 'ok')).toBe(true);
      expect(more[total]).toBe('too_many_connections');
      // Unwatching frees a slot.
      expect((await sockets[0]!.call('table:unwatch', { tableId })).ok).toBe(true);
      expect((await sockets[2]!.call('table:watch', { tableId })).ok).toBe(true);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});

describe('logout across processes (REDIS_URL)', () => {
  const nodes = useTwoNodesOnRedis();

  it('a logout served by one process closes the player\'s sockets on another', async () => {
    const p = await registerPlayer(nodes.a.url, 'roamer');
    const onB = await open(nodes.b.url, p.token, p.playerId);
    const ended = sessionEnd(onB);
    expect((await request('POST', `${nodes.a.url}/api/auth/logout`, { token: p.token })).status).toBe(200);
    expect(await ended).toEqual({ reason: 'logged_out', disconnect: 'io server disconnect' });
    expect((await request('GET', `${nodes.b.url}/api/me`, { token: p.token })).status).toBe(401);
  });
});
