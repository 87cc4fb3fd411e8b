/**
 * Attaches the Socket.IO adapter that makes rooms cluster-wide, so that io.to(room).emit reaches every
 * node and server-side emits with acks work: the Redis streams adapter when REDIS_URL is set (several
 * machines; it survives Redis restarts and supports connection-state recovery), the node:cluster
 * adapter in a FELT_WORKERS worker without Redis, and none for a standalone process.
 */
import cluster from 'node:cluster';
import type { Server } from 'socket.io';
import { createClient } from 'redis';
import type { Logger } from 'pino';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';

/** Most entries the Redis stream keeps; a node that falls further behind than this misses broadcasts. */
export const ADAPTER_STREAM_MAX_LEN = 10_000;
/** How long one read of the stream blocks; also how long a closing node waits for its reader to stop. */
export const ADAPTER_BLOCK_MS = 1_000;

/** Which adapter is attached. */
export type AdapterKind = 'redis-streams' | 'node-cluster' | 'none';

/** Attaches the adapter for this run mode; `close` releases its Redis connection. */
export async function attachAdapter(io: Server, redisUrl: string | undefined, logger: Logger): Promise<{ kind: AdapterKind; close(): Promise<void> }> {
  if (redisUrl) {
    const client = createClient({ url: redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 100, 2_000) } });
    client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis error (socket.io adapter)'));
    await client.connect();
    handleFireAndForget(client, logger);
    io.adapter(createStreamsAdapter(client, { maxLen: ADAPTER_STREAM_MAX_LEN, blockTimeInMs: ADAPTER_BLOCK_MS }));
    return {
      kind: 'redis-streams',
      async close() {
        // The adapter's own subscriber is a duplicate of this client; quitting both ends its reads.
        io.of('/').adapter.close?.();
        await client.quit().catch(() => undefined);
      },
    };
  }
  if (cluster.isWorker) {
    io.adapter(createClusterAdapter());
    return { kind: 'node-cluster', close: async () => undefined };
  }
  return { kind: 'none', close: async () => undefined };
}

/** The adapter's commands it sends without awaiting (see handleFireAndForget). */
const FIRE_AND_FORGET_COMMANDS = ['publish', 'sPublish', 'set'] as const;

/**
 * Gives the adapter's fire-and-forget commands a rejection handler. The streams adapter (0.3.1) sends
 * ephemeral messages (server-side emits, which carry every forwarded table action, and broadcasts with
 * acks) with a PUBLISH it never awaits, and persists sessions with a SET it never awaits. When
 * redis-server dies, the commands in flight reject with ECONNRESET, and an unhandled rejection ends a
 * Node 20 process: a Redis restart killed Felt nodes. The message is lost either way (Socket.IO
 * documents that packets are lost while Redis is down, and the next table state repairs it), so the
 * rejection is only logged; the returned promise is the original, so a caller that awaits still sees it.
 */
export function handleFireAndForget(client: object, logger: Logger): void {
  const commands = client as unknown as Record<(typeof FIRE_AND_FORGET_COMMANDS)[number], (...args: unknown[]) => Promise<unknown>>;
  for (const name of FIRE_AND_FORGET_COMMANDS) {
    const original = commands[name].bind(client);
    commands[name] = (...args: unknown[]) => {
      const reply = original(...args);
      reply.catch((error: unknown) => logger.debug({ err: error, command: name }, 'redis command lost while Redis was unreachable (socket.io adapter)'));
      return reply;
    };
  }
}
