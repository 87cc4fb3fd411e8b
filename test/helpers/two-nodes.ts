/** Two Felt processes-worth of servers sharing one database and one real redis-server, for a describe block. */
import type { Felt } from '../../server/src/boot';
import { startRedis, type TestRedis } from '../setup/redis';
import { startTestServer } from './server';

/** The two servers and their Redis, filled in before the block's tests run. */
export interface TwoNodes {
  redis: TestRedis;
  a: Felt;
  b: Felt;
}

/** Starts redis-server and two Felt servers on one database before the tests; stops all three after them. */
export function useTwoNodesOnRedis(): TwoNodes {
  const nodes = {} as TwoNodes;
  beforeAll(async () => {
    nodes.redis = await startRedis();
    nodes.a = await startTestServer({ REDIS_URL: nodes.redis.url });
    nodes.b = await startTestServer({ REDIS_URL: nodes.redis.url, DATABASE_URL: nodes.a.config.DATABASE_URL! });
  });
  afterAll(async () => {
    await nodes.b?.close();
    await nodes.a?.close();
    await nodes.redis?.stop();
  });
  return nodes;
}
