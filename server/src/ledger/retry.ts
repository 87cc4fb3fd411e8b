/**
 * Bounded retry of whole transactions on serialization failures and deadlocks. Our lock order makes
 * deadlocks unexpected, but a retry turns a rare one into latency instead of a player-visible error.
 */
import { randomInt } from 'node:crypto';
import { isRetryable } from './errors';

/** How often and how long to retry. */
export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
}

/** Five attempts, starting around 5 ms and doubling, with full jitter. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 5 };

/** Runs `fn`, re-running it after a jittered exponential backoff when it fails with 40001 or 40P01. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.attempts) throw error;
      // Full jitter spreads the retries of transactions that collided so they do not collide again.
      const ceiling = options.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, randomInt(1, ceiling + 1)));
    }
  }
}
