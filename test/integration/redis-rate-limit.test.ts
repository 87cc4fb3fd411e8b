/** The per-player rate limit, kept in a real redis-server, holds across all of a player's sockets. */
import { createClient } from 'redis';
import type { Felt } from '../../server/src/boot';
import { memoryLimiter } from '../../server/src/transport/player-rate-limit';
import { startRedis, type TestRedis } from '../setup/redis';
import { startTestServer } from '../helpers/server';
import { open, register, type TestClient } from '../helpers/clients';

describe('per-player rate limit', () => {
  let redis: TestRedis;
  let felt: Felt;
  beforeAll(async () => {
    redis = await startRedis();
    felt = await startTestServer({ REDIS_URL: redis.url, PLAYER_EVENTS_PER_SECOND: '10', SOCKET_EVENTS_PER_SECOND: '1000', SOCKET_EVENT_BURST: '1000' });
  });
  afterAll(async () => {
    await felt.close();
    await redis.stop();
  });

  it('counts events from every socket of a player in Redis and answers rate_limited past the limit', async () => {
    const p = await register(felt.url);
    const sockets: TestClient[] = [];
    for (let i = 0; i < 3; i++) sockets.push(await open(felt.url, p.token, p.playerId));
    const acks = await Promise.all(Array.from({ length: 30 }, (_, i) => sockets[i % 3]!.call('lobby:list', {})));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate_limited').length;
    // At most 10 per second pass; 30 events sent at once can straddle one window boundary at most.
    expect(limited).toBeGreaterThanOrEqual(10);
    expect(acks.filter((a) => a.ok).length).toBeLessThanOrEqual(20);
    const client = createClient({ url: redis.url });
    await client.connect();
    const keys = await client.keys(`felt:rl:${p.playerId}:*`);
    await client.quit();
    expect(keys.length).toBeGreaterThan(0);
    for (const s of sockets) s.close();
  });

  it('the in-memory limiter (no REDIS_URL) applies the same one-second windows', async () => {
    let nowMs = 1_000_000;
    const limiter = memoryLimiter(3, () => nowMs);
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => limiter.allow('p1')));
    expect(first).toEqual([true, true, true, false, false]);
    expect(await limiter.allow('p2')).toBe(true);
    nowMs += 1000;
    expect(await limiter.allow('p1')).toBe(true);
  });
});
