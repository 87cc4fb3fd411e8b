/**
 * One player's Socket.IO connection with a request helper that survives disconnects: a request whose
 * ack was lost to a disconnect is sent again, with the same requestId, once the socket is back, so the
 * server's idempotency answers it with the original result instead of acting twice. Given several node
 * URLs of one cluster, a connection that loses its node reconnects to the next one (any node accepts
 * any client), so a bot whose node died carries on elsewhere.
 */
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ProtocolVersion, ServerToClientEvents } from '../../shared/protocol';

/** A typed Socket.IO client socket. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An ack plus how long it took from the (last) emit, in milliseconds. */
export interface Timed<T extends object = Record<string, unknown>> {
  ack: Ack<T>;
  ms: number;
}

/** Thrown when a request got no answer in time (not an error code from the server). */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

/** Client-side pacing so a well-behaved client never trips the server's per-socket rate limit. */
export interface Pacing {
  perSecond: number;
  burst: number;
}

/** A little under the protocol's default limit (20/s, burst 40), leaving room for timer jitter. */
export const DEFAULT_PACING: Pacing = { perSecond: 18, burst: 30 };

/** A token bucket that waits instead of refusing. */
export class Pacer {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly pacing: Pacing) {
    this.tokens = pacing.burst;
  }

  /** Resolves when one more request may be sent. */
  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.pacing.burst, this.tokens + ((now - this.last) * this.pacing.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) * 1000) / this.pacing.perSecond)));
    }
  }
}

/** A connected player. */
export class Connection {
  readonly socket: ClientSocket;
  private readonly pacer: Pacer;

  /** Number of disconnects so far, so a caller can tell whether its request lived through one. */
  drops = 0;
  /** Times this connection moved to another node after its own stopped answering. */
  nodeSwitches = 0;
  private readonly urls: readonly string[];
  private urlIndex = 0;
  /** The connect under way, if any (see open). */
  private opening: Promise<void> | null = null;

  /**
   * Called with every ack as it arrives, before anything received after it: a protocol 2 `table:act`
   * ack carries a frame, which must be handled in order with the frames around it.
   */
  onAck: ((ack: Ack<Record<string, unknown>>) => void) | null = null;

  /**
   * `baseUrl` is one node, or several nodes of one cluster (the first is tried first). Protocol 2 (one
   * `table:frame` per table step) unless a caller asks for the per-event protocol 1.
   */
  constructor(baseUrl: string | readonly string[], token: string, pacing: Pacing = DEFAULT_PACING, private readonly protocol: ProtocolVersion = 2) {
    this.pacer = new Pacer(pacing);
    this.urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
    if (this.urls.length === 0) throw new Error('Connection needs at least one URL');
    this.socket = connect(this.urls[0]!, {
      auth: { token, protocol },
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on('disconnect', () => {
      this.drops++;
    });
    if (this.urls.length > 1) {
      // The first retry goes to the same node (a blip); from the second on, each retry tries the next
      // node. The manager builds every new transport from its `uri`, so changing it redirects the retry.
      this.socket.io.on('reconnect_attempt', (attempt) => {
        if (attempt < 2) return;
        this.urlIndex = (this.urlIndex + 1) % this.urls.length;
        this.nodeSwitches++;
        (this.socket.io as unknown as { uri: string }).uri = this.urls[this.urlIndex]!;
      });
    }
  }

  /** The node URL this connection uses now. */
  get url(): string {
    return this.urls[this.urlIndex]!;
  }

  /**
   * Connects (or reconnects after a deliberate disconnect) and resolves once the handshake is done.
   * Idempotent: while a connect is under way (another caller's, or the manager's own reconnection) it
   * waits for that one. Calling socket.io-client's `connect()` a second time while the transport is open
   * but the namespace handshake is not done sends a second CONNECT packet: the server then holds two
   * sockets for this one client, and every broadcast arrives twice (seen when a bot stopped during a
   * chaos reconnect).
   */
  open(timeoutMs = 15_000): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    this.opening ??= this.connectOnce(timeoutMs).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private connectOnce(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new NoAnswerError('connect timed out')), timeoutMs);
      const onConnect = () => done();
      const onError = (error: Error) => {
        // A rejected handshake (bad token) will not get better by retrying.
        if (error.message === 'unauthorized') done(error);
      };
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        if (error) reject(error);
        else resolve();
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      // An active socket is connecting or reconnecting by itself already: wait for it.
      if (!this.socket.active) this.socket.connect();
    });
  }

  /** True while connected. */
  get connected(): boolean {
    return this.socket.connected;
  }

  /** Emits `event` with `payload` and resolves with the ack; re-sends after a disconnect. */
  async call<T extends object = Record<string, unknown>>(event: string, payload: unknown, timeoutMs = 30_000): Promise<Timed<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.socket.connected) await this.waitConnected(deadline);
      await this.pacer.take();
      if (!this.socket.connected) continue;
      const answer = await this.emitOnce<T>(event, payload, deadline);
      if (answer) return answer;
      if (Date.now() >= deadline) throw new NoAnswerError(`${event}: no answer within ${timeoutMs} ms`);
    }
  }

  /** One emit; resolves null when the socket disconnected before the ack came. */
  private emitOnce<T extends object>(event: string, payload: unknown, deadline: number): Promise<Timed<T> | null> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let settled = false;
      const finish = (value: Timed<T> | null, error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.socket.off('disconnect', onDisconnect);
        if (error) reject(error);
        else resolve(value);
      };
      const onDisconnect = () => finish(null);
      const timer = setTimeout(() => finish(null, new NoAnswerError(`${event}: no answer in time`)), Math.max(1, deadline - Date.now()));
      this.socket.on('disconnect', onDisconnect);
      // Payloads are typed at the call sites; chaos deliberately sends malformed ones, so emit untyped here.
      (this.socket.emit as (e: string, p: unknown, cb: (a: Ack<T>) => void) => void)(event, payload, (ack) => {
        this.onAck?.(ack as Ack<Record<string, unknown>>);
        finish({ ack, ms: performance.now() - started });
      });
    });
  }

  private waitConnected(deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      const timer = setTimeout(() => {
        this.socket.off('connect', onConnect);
        reject(new NoAnswerError('not reconnected in time'));
      }, Math.max(1, deadline - Date.now()));
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.socket.once('connect', onConnect);
      // A deliberate disconnect turns automatic reconnection off; whoever did it reconnects.
    });
  }

  /** Drops the connection (reconnect with `open`). */
  drop(): void {
    this.socket.disconnect();
  }

  /** Closes for good. */
  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
