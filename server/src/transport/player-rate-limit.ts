/**
 * Per-player rate limits across all of a player's sockets. With REDIS_URL the counters live in Redis, so
 * the limit also holds across several Felt processes; without it, an in-memory limiter gives the same
 * behaviour for one process. Both use one-second fixed windows, which is simple and bounded.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';

/** Decides whether one more event from a player is allowed now. */
export interface PlayerLimiter {
  allow(playerId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Most players tracked in memory at once; older windows are dropped first. */
export const MAX_TRACKED_PLAYERS = 100_000;

/** An in-process limiter: at most `perSecond` events per player per second. */
export function memoryLimiter(perSecond: number, now: () => number = Date.now): PlayerLimiter {
  const windows = new Map<string, { second: number; count: number }>();
  return {
    allow(playerId) {
      const second = Math.floor(now() / 1000);
      const w = windows.get(playerId);
      if (!w || w.second !== second) {
        windows.delete(playerId);
        windows.set(playerId, { second, count: 1 });
        if (windows.size > MAX_TRACKED_PLAYERS) windows.delete(windows.keys().next().value!);
        return Promise.resolve(true);
      }
      w.count++;
      return Promise.resolve(w.count <= perSecond);
    },
    close: () => Promise.resolve(),
  };
}

/** A Redis-backed limiter (INCR + PEXPIRE per player and second); fails open if Redis is unreachable. */
export async function redisLimiter(url: string, perSecond: number, logger: Logger): Promise<PlayerLimiter> {
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 100, 2_000) } });
  client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis error'));
  await client.connect();
  return {
    async allow(playerId) {
      const key = `felt:rl:${playerId}:${Math.floor(Date.now() / 1000)}`;
      try {
        const [count] = (await client.multi().incr(key).pExpire(key, 2_000).exec()) as unknown as [number, unknown];
        return Number(count) <= perSecond;
      } catch (error) {
        // Rate limiting protects capacity, not money: if Redis is down, serve players rather than refuse them.
        logger.warn({ err: error }, 'redis rate limit unavailable; allowing');
        return true;
      }
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
