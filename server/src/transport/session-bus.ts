/**
 * Carries "this player logged out" to every Felt process, so that each closes the player's sockets
 * it holds. Without REDIS_URL there is one process and the message stays local; with it, the message
 * is published on a Redis channel that every process subscribes to.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';
import { isUuid } from '../auth/auth.service';

/** The Redis channel logouts are published on. */
export const LOGOUT_CHANNEL = 'felt:logout';

/** Announces logouts to every process, this one included. */
export interface SessionBus {
  /** Runs `onLogout` here at once, and in every other process through Redis when configured. */
  publishLogout(playerId: string): Promise<void>;
  close(): Promise<void>;
}

/** A bus for a single process. */
export function localSessionBus(onLogout: (playerId: string) => void): SessionBus {
  return {
    publishLogout: async (playerId) => onLogout(playerId),
    close: async () => undefined,
  };
}

/**
 * A bus over Redis pub/sub. This process handles its own logouts directly (so they work while Redis is
 * down) and again when its own message comes back, which finds no socket left and does nothing.
 */
export async function redisSessionBus(url: string, logger: Logger, onLogout: (playerId: string) => void): Promise<SessionBus> {
  const publisher = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 100, 2_000) } });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis error (session bus)'));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(LOGOUT_CHANNEL, (message: string) => {
    if (isUuid(message)) onLogout(message.toLowerCase());
  });
  return {
    async publishLogout(playerId) {
      onLogout(playerId);
      try {
        await publisher.publish(LOGOUT_CHANNEL, playerId);
      } catch (error) {
        // The tokens are revoked in the database either way; other processes then close these sockets
        // at token expiry instead of now, and refuse the tokens at any new handshake.
        logger.warn({ err: error, playerId }, 'could not publish a logout to other processes');
      }
    },
    async close() {
      await Promise.all([subscriber.quit().catch(() => undefined), publisher.quit().catch(() => undefined)]);
    },
  };
}
