/**
 * Where request ids are remembered so that a repeated (player, requestId) at a table gets the first
 * answer. Each table handle keeps its own in-process memory of in-flight answers; with REDIS_URL this
 * shared memo is consulted as well, so a retry that reaches another node (after a reconnect, or after
 * the table failed over) still gets the original answer instead of running twice.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';
import type { Ack } from '../../../shared/protocol';

type AnyAck = Ack<Record<string, unknown>>;

/** Which request: one player's request id at one table. */
export interface MemoKey {
  tableId: string;
  playerId: string;
  requestId: string;
}

/** What the memo knew when a request was claimed. */
export type MemoClaim =
  | { kind: 'new' }
  | { kind: 'conflict' }
  | { kind: 'pending' }
  | { kind: 'answered'; ack: AnyAck };

/**
 * A request memo every node of the cluster shares. Claims carry the lease epoch of the table actor that
 * makes them: a claim an earlier epoch left unanswered (its owner died or was fenced mid-request) is
 * taken over by the current owner instead of staying "pending" until it expires, and only the epoch that
 * holds a claim may store its answer, so a fenced owner that wakes up cannot overwrite it.
 */
export interface RequestMemo {
  /** Records the request as in flight under `epoch` when it is new or orphaned; otherwise says what is known about it. */
  claim(key: MemoKey, fingerprint: string, epoch: string): Promise<MemoClaim>;
  /** Stores the answer of a request this caller claimed under `epoch` (nothing if the claim moved on). */
  settle(key: MemoKey, fingerprint: string, epoch: string, ack: AnyAck): Promise<void>;
  /** Drops this caller's unanswered claim (the request changed nothing), so a retry may claim it again. */
  release(key: MemoKey, fingerprint: string, epoch: string): Promise<void>;
  close(): Promise<void>;
}

/** Request ids remembered per player and table, oldest forgotten first (as in table-handle.ts). */
export const MEMO_MAX_PER_PLAYER = 256;
/** How long a remembered request id lives: far beyond any client retry, and bounded. */
export const MEMO_TTL_MS = 15 * 60_000;
/** Keys one in-memory memo holds at most. */
export const MEMO_MAX_KEYS = 100_000;

interface Stored {
  fingerprint: string;
  ack: AnyAck | null;
  /** The lease epoch of the claim (decimal; entries stored before epochs were recorded count as 0). */
  epoch?: string;
}

/** What a stored entry means to a claim under `epoch`; undefined when the caller may (re)claim it. */
function decide(stored: Stored | undefined, fingerprint: string, epoch: string): MemoClaim | undefined {
  if (!stored) return undefined;
  if (stored.fingerprint !== fingerprint) return { kind: 'conflict' };
  if (stored.ack) return { kind: 'answered', ack: stored.ack };
  return BigInt(stored.epoch ?? '0') < BigInt(epoch) ? undefined : { kind: 'pending' };
}

/** An in-process memo with the same contract, for a single process and for tests. */
export function memoryRequestMemo(maxPerPlayer = MEMO_MAX_PER_PLAYER): RequestMemo {
  const groups = new Map<string, Map<string, Stored>>();
  const groupOf = (key: MemoKey) => {
    const id = `${key.tableId}:${key.playerId}`;
    const group = groups.get(id) ?? new Map<string, Stored>();
    groups.delete(id);
    groups.set(id, group);
    if (groups.size > MEMO_MAX_KEYS) groups.delete(groups.keys().next().value!);
    return group;
  };
  return {
    async claim(key, fingerprint, epoch) {
      const group = groupOf(key);
      const known = decide(group.get(key.requestId), fingerprint, epoch);
      if (known) return known;
      group.set(key.requestId, { fingerprint, ack: null, epoch });
      if (group.size > maxPerPlayer) group.delete(group.keys().next().value!);
      return { kind: 'new' };
    },
    async settle(key, fingerprint, epoch, ack) {
      const group = groupOf(key);
      const stored = group.get(key.requestId);
      if (stored?.fingerprint === fingerprint && stored.ack === null && stored.epoch === epoch) group.set(key.requestId, { fingerprint, ack, epoch });
    },
    async release(key, fingerprint, epoch) {
      const group = groupOf(key);
      const stored = group.get(key.requestId);
      if (stored?.fingerprint === fingerprint && stored.ack === null && stored.epoch === epoch) group.delete(key.requestId);
    },
    close: () => Promise.resolve(),
  };
}

// Claim atomically: return what is stored, or store the pending marker, append the id to the player's
// order list and forget the oldest ids beyond the bound. Both keys expire together. An unanswered claim
// of an earlier epoch (ARGV[5] is the caller's) with the same fingerprint (ARGV[6]) is taken over in place.
// Epochs are compared as numbers: exact up to 2^53, far beyond any real count of takeovers.
const CLAIM_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local stored = cjson.decode(existing)
  local orphaned = stored.ack == cjson.null and stored.fingerprint == ARGV[6] and tonumber(stored.epoch or '0') < tonumber(ARGV[5])
  if not orphaned then return existing end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return false
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
while redis.call('LLEN', KEYS[2]) > tonumber(ARGV[3]) do
  local old = redis.call('LPOP', KEYS[2])
  redis.call('HDEL', KEYS[1], old)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return false`;

// Store the answer only while the claim is still there (it may have been forgotten meanwhile), still
// unanswered and still held by the settling epoch (ARGV[3]): a fenced owner must not overwrite its successor's.
const SETTLE_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if not existing then return 0 end
local stored = cjson.decode(existing)
if stored.ack ~= cjson.null or stored.epoch ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

// Drop the claim only while it is still this epoch's and unanswered (ARGV[2] fingerprint, ARGV[3] epoch).
// The id stays in the order list until it ages out; HDEL of a missing field there is harmless.
const RELEASE_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if not existing then return 0 end
local stored = cjson.decode(existing)
if stored.ack ~= cjson.null or stored.fingerprint ~= ARGV[2] or stored.epoch ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

/** A memo in Redis: one hash of request id → {fingerprint, answer} per table and player, with a TTL. */
export async function redisRequestMemo(url: string, logger: Logger, ttlMs = MEMO_TTL_MS, maxPerPlayer = MEMO_MAX_PER_PLAYER): Promise<RequestMemo> {
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 100, 2_000) } });
  client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis error (request memo)'));
  await client.connect();
  const keys = (key: MemoKey) => [`felt:req:${key.tableId}:${key.playerId}`, `felt:req-order:${key.tableId}:${key.playerId}`];
  return {
    async claim(key, fingerprint, epoch) {
      const pending = JSON.stringify({ fingerprint, ack: null, epoch } satisfies Stored);
      const raw = await client.eval(CLAIM_SCRIPT, { keys: keys(key), arguments: [key.requestId, pending, String(maxPerPlayer), String(ttlMs), epoch, fingerprint] });
      if (typeof raw !== 'string') return { kind: 'new' };
      return decide(JSON.parse(raw) as Stored, fingerprint, epoch) ?? { kind: 'new' };
    },
    async settle(key, fingerprint, epoch, ack) {
      const answered = JSON.stringify({ fingerprint, ack, epoch } satisfies Stored);
      await client.eval(SETTLE_SCRIPT, { keys: keys(key).slice(0, 1), arguments: [key.requestId, answered, epoch] });
    },
    async release(key, fingerprint, epoch) {
      await client.eval(RELEASE_SCRIPT, { keys: keys(key).slice(0, 1), arguments: [key.requestId, fingerprint, epoch] });
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
