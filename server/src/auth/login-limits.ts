/**
 * Login throttling per client address and per account, with exponential backoff, kept in Redis when
 * REDIS_URL is set (so it holds across processes) and in memory otherwise.
 *
 * Three counters decide whether a login attempt may even reach password hashing:
 * - attempts per client address per minute, whatever the username: one client's flood of bogus logins
 *   is refused before it costs a hash, and other addresses are not affected at all;
 * - failures of one account from one address: past a few, each further guess waits twice as long;
 * - failures of one account from all addresses: past a larger number, each further guess waits twice
 *   as long, which slows down guessing spread over many addresses. This one is the dangerous lever: if
 *   it applied to everyone, an attacker could keep any account locked just by failing on purpose. So
 *   it does not apply to addresses the account logged in from successfully in the last 30 days: the
 *   real user keeps logging in from their usual places while the account is under attack, and from a
 *   new address is slowed down (told when to retry), never refused for good.
 * A successful login clears the account's failures. Nothing here is global: no counter is shared by
 * all clients or all accounts, so there is no lever that locks everyone out.
 */
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from 'pino';

/** The limits; see the module comment. */
export const LOGIN_POLICY = {
  attemptsPerAddressPerMinute: 20,
  freeFailuresPerAddressAndAccount: 5,
  freeFailuresPerAccount: 20,
  baseBackoffMs: 1_000,
  maxBackoffMs: 15 * 60_000,
  /** Failures are forgotten this long after the last one. */
  failureMemoryMs: 60 * 60_000,
  /** How long an address counts as the account's usual one after a successful login from it. */
  knownAddressMs: 30 * 24 * 3600_000,
} as const;

/** Thrown when an attempt must wait; `retryAfterMs` says how long. */
export class LoginThrottledError extends Error {
  override name = 'LoginThrottledError';
  constructor(readonly retryAfterMs: number) {
    super(`too many login attempts; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** A failure counter: how many, and when the last one happened. */
export interface FailureRecord {
  count: number;
  lastMs: number;
}

/** Where the counters live. */
export interface LoginStore {
  /** Adds one to a counter that expires `ttlMs` after its first hit; answers the new count. */
  hit(key: string, ttlMs: number): Promise<number>;
  /** Reads failure records (undefined where there is none). */
  failures(keys: string[]): Promise<Array<FailureRecord | undefined>>;
  /** Records one more failure at `nowMs` under each key, forgotten `ttlMs` after the last. */
  fail(keys: string[], nowMs: number, ttlMs: number): Promise<void>;
  /** Forgets the failure records. */
  clear(keys: string[]): Promise<void>;
  /** Marks a key for `ttlMs`. */
  mark(key: string, ttlMs: number): Promise<void>;
  /** True while a key is marked. */
  marked(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Most keys the in-memory store holds; the oldest are dropped first, so memory stays bounded. */
export const MAX_MEMORY_KEYS = 200_000;

/** An in-process store, for one Felt process without Redis. */
export function memoryLoginStore(now: () => number = Date.now): LoginStore {
  const entries = new Map<string, { count: number; lastMs: number; expiresAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expiresAt <= now()) entries.delete(key);
    return e && e.expiresAt > now() ? e : undefined;
  };
  const put = (key: string, value: { count: number; lastMs: number; expiresAt: number }) => {
    entries.delete(key);
    entries.set(key, value);
    if (entries.size > MAX_MEMORY_KEYS) entries.delete(entries.keys().next().value!);
  };
  return {
    hit: async (key, ttlMs) => {
      const e = live(key);
      if (e) return ++e.count;
      put(key, { count: 1, lastMs: now(), expiresAt: now() + ttlMs });
      return 1;
    },
    failures: async (keys) => keys.map((k) => {
      const e = live(k);
      return e ? { count: e.count, lastMs: e.lastMs } : undefined;
    }),
    fail: async (keys, nowMs, ttlMs) => {
      for (const k of keys) put(k, { count: (live(k)?.count ?? 0) + 1, lastMs: nowMs, expiresAt: nowMs + ttlMs });
    },
    clear: async (keys) => void keys.forEach((k) => entries.delete(k)),
    mark: async (key, ttlMs) => put(key, { count: 1, lastMs: now(), expiresAt: now() + ttlMs }),
    marked: async (key) => live(key) !== undefined,
    close: async () => undefined,
  };
}

/**
 * A Redis store. If Redis cannot be reached, each call falls back to an in-memory store, so logins stay
 * throttled per process instead of not at all.
 */
export async function redisLoginStore(url: string, logger: Logger): Promise<LoginStore> {
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 100, 2_000) } });
  client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis error (login limits)'));
  await client.connect();
  const local = memoryLoginStore();
  const fallback = async <T>(work: () => Promise<T>, instead: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      logger.warn({ err: error }, 'redis login limits unavailable; using this process only');
      return instead();
    }
  };
  return {
    hit: (key, ttlMs) =>
      fallback(async () => {
        // Keys are per time window, so renewing the expiry on every hit only keeps them a little longer.
        const [count] = (await client.multi().incr(key).pExpire(key, ttlMs).exec()) as unknown as [number, unknown];
        return Number(count);
      }, () => local.hit(key, ttlMs)),
    failures: (keys) =>
      fallback(async () => {
        const rows = await Promise.all(keys.map((k) => client.hGetAll(k)));
        return rows.map((r) => (r.count ? { count: Number(r.count), lastMs: Number(r.last) } : undefined));
      }, () => local.failures(keys)),
    fail: (keys, nowMs, ttlMs) =>
      fallback(async () => {
        const tx = client.multi();
        for (const k of keys) tx.hIncrBy(k, 'count', 1).hSet(k, 'last', String(nowMs)).pExpire(k, ttlMs);
        await tx.exec();
      }, () => local.fail(keys, nowMs, ttlMs)),
    clear: (keys) => fallback(async () => void (await client.del(keys)), () => local.clear(keys)),
    mark: (key, ttlMs) => fallback(async () => void (await client.set(key, '1', { PX: ttlMs })), () => local.mark(key, ttlMs)),
    marked: (key) => fallback(async () => (await client.exists(key)) === 1, () => local.marked(key)),
    close: async () => {
      await client.quit().catch(() => undefined);
    },
  };
}

/** How long a record with `count` failures still blocks at `nowMs`, given `free` failures without delay. */
export function blockedForMs(record: FailureRecord | undefined, free: number, nowMs: number): number {
  if (!record || record.count < free) return 0;
  const backoffMs = Math.min(LOGIN_POLICY.baseBackoffMs * 2 ** Math.min(record.count - free, 30), LOGIN_POLICY.maxBackoffMs);
  return Math.max(0, record.lastMs + backoffMs - nowMs);
}

// Usernames are case-insensitive; hashing keeps arbitrary user input out of key names.
const account = (username: string) => createHash('sha256').update(username.toLowerCase()).digest('base64url').slice(0, 22);

/** Decides, with a store, whether a login attempt may proceed, and learns from its outcome. */
export class LoginLimiter {
  constructor(
    private readonly store: LoginStore,
    private readonly now: () => number = Date.now,
  ) {}

  private keys(username: string, address: string) {
    const user = account(username);
    return {
      pair: `felt:login:fail:${user}:${address}`,
      account: `felt:login:fail:${user}`,
      known: `felt:login:known:${user}:${address}`,
    };
  }

  /** Throws LoginThrottledError when this attempt must wait; otherwise counts it against the address. */
  async admit(username: string, address: string): Promise<void> {
    const nowMs = this.now();
    const minute = Math.floor(nowMs / 60_000);
    const attempts = await this.store.hit(`felt:login:addr:${address}:${minute}`, 61_000);
    if (attempts > LOGIN_POLICY.attemptsPerAddressPerMinute) throw new LoginThrottledError((minute + 1) * 60_000 - nowMs);
    const k = this.keys(username, address);
    const [pair, all] = await this.store.failures([k.pair, k.account]);
    let waitMs = blockedForMs(pair, LOGIN_POLICY.freeFailuresPerAddressAndAccount, nowMs);
    if (waitMs === 0 && all && all.count >= LOGIN_POLICY.freeFailuresPerAccount && !(await this.store.marked(k.known))) {
      waitMs = blockedForMs(all, LOGIN_POLICY.freeFailuresPerAccount, nowMs);
    }
    if (waitMs > 0) throw new LoginThrottledError(waitMs);
  }

  /** Records a wrong password (or unknown username) for the account, from this address and overall. */
  async failed(username: string, address: string): Promise<void> {
    const k = this.keys(username, address);
    await this.store.fail([k.pair, k.account], this.now(), LOGIN_POLICY.failureMemoryMs);
  }

  /** Clears the account's failures and remembers this address as one of its usual ones. */
  async succeeded(username: string, address: string): Promise<void> {
    const k = this.keys(username, address);
    await this.store.clear([k.pair, k.account]);
    await this.store.mark(k.known, LOGIN_POLICY.knownAddressMs);
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}
