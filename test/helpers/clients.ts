/**
 * Test clients that talk to a real Felt server only through its public HTTP API and Socket.IO
 * protocol, recording every frame each socket receives.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { randomUUID } from 'node:crypto';
import type { Ack, ClientToServerEvents, HandResultMessage, ServerToClientEvents, TableView } from '../../shared/protocol';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** POSTs JSON and returns status and body. */
export async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** GETs JSON. */
export async function get(url: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

/** Registers a player with a unique name. */
export async function register(baseUrl: string, prefix = 'p'): Promise<{ token: string; playerId: string; username: string }> {
  const username = `${prefix}${randomUUID().slice(0, 8)}`;
  const res = await post(`${baseUrl}/api/auth/register`, { username, password: 'correct-horse-1' });
  if (res.status !== 201) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return { ...res.body, username };
}

/** Logs the bootstrap admin in. */
export async function adminToken(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await post(`${baseUrl}/api/auth/login`, { username, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Credits a player's wallet through the admin API. */
export async function credit(baseUrl: string, admin: string, playerId: string, amount: string): Promise<void> {
  const res = await post(`${baseUrl}/api/admin/players/${playerId}/credit`, { amount, idempotencyKey: randomUUID() }, admin);
  if (res.status !== 200) throw new Error(`credit failed: ${JSON.stringify(res.body)}`);
}

/** Creates a table through the admin API and returns its id. */
export async function createTable(baseUrl: string, admin: string, spec: Record<string, unknown>): Promise<string> {
  const res = await post(`${baseUrl}/api/admin/tables`, { name: `t-${randomUUID().slice(0, 6)}`, ...spec }, admin);
  if (res.status !== 201) throw new Error(`create table failed: ${JSON.stringify(res.body)}`);
  return res.body.tableId as string;
}

/** Everything one socket received. */
export interface Frame {
  event: string;
  payload: any;
}

/**
 * A connected, recording client. `frames` holds every table message in arrival order: a protocol 2
 * `table:frame` is unpacked into its items (each recorded as the event it stands for), so tests read
 * both protocols alike; `packets` counts what actually arrived (events, or whole frames).
 */
export class TestClient {
  readonly frames: Frame[] = [];
  /** Every server → client packet as it arrived (for protocol 2, the frames themselves). */
  readonly packets: Frame[] = [];
  latest: TableView | null = null;
  readonly results: HandResultMessage[] = [];
  private waiters: Array<() => void> = [];

  constructor(
    readonly socket: ClientSocket,
    readonly playerId: string,
  ) {
    socket.onAny((event: string, payload: any) => {
      this.packets.push({ event, payload });
      this.record(event === 'table:frame' ? payload : { items: [{ type: event, payload }] });
    });
  }

  /** Records table messages in order (a frame's items, or one event) and wakes whoever waits. */
  private record(frame: { items: Array<{ type: string; payload: any }> }): void {
    for (const { type, payload } of frame.items) {
      this.frames.push({ event: type, payload });
      if (type === 'table:state') this.latest = payload as TableView;
      if (type === 'hand:result') this.results.push(payload as HandResultMessage);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Emits an event and resolves with its ack; a protocol 2 ack's `frame` is recorded like a frame. */
  call<E extends keyof ClientToServerEvents>(event: E, payload: unknown): Promise<Ack<any>> {
    return new Promise((resolve) =>
      (this.socket.emit as any)(event, payload, (ack: Ack<any>) => {
        if (ack && ack.ok && ack.frame) this.record(ack.frame);
        resolve(ack);
      }),
    );
  }

  /** Resolves once `predicate` holds for this client, checking after every frame. */
  async until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** True when the latest view says it is this player's turn. */
  myTurn(): boolean {
    return !!this.latest?.you?.legal && this.latest.turn?.seat === this.latest.you.seat;
  }

  close(): void {
    this.socket.close();
  }
}

/** Connects with `token` (and the wire protocol version, default the server's); rejects with the handshake error message. */
export function open(baseUrl: string, token: string, playerId: string, protocol?: 1 | 2): Promise<TestClient> {
  const auth = protocol === undefined ? { token } : { token, protocol };
  const socket: ClientSocket = connect(baseUrl, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const client = new TestClient(socket, playerId);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => reject(error));
  });
}

/** A seated test player: the connected client plus the account's token. */
export type SeatedPlayer = TestClient & { token: string };

/**
 * Registers `count` players, credits each `wallet`, connects them and sits each at `tableId` with
 * `buyIn`; every sit must succeed.
 */
export async function seatPlayers(
  baseUrl: string,
  admin: string,
  tableId: string,
  count: number,
  amounts: { wallet: string; buyIn: string },
  protocol?: 1 | 2,
): Promise<SeatedPlayer[]> {
  const seated: SeatedPlayer[] = [];
  for (let i = 0; i < count; i++) {
    const p = await register(baseUrl);
    await credit(baseUrl, admin, p.playerId, amounts.wallet);
    const c = Object.assign(await open(baseUrl, p.token, p.playerId, protocol), { token: p.token });
    const ack = await c.call('table:sit', { tableId, buyIn: amounts.buyIn, requestId: randomUUID() });
    if (!ack.ok) throw new Error(`sit failed: ${JSON.stringify(ack)}`);
    seated.push(c);
  }
  return seated;
}
