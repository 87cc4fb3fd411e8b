/**
 * The shared request memo on a real redis-server: a request id is claimed once, its answer is returned
 * to every later claim with the same parameters (from any node: a second client stands for another
 * node), other parameters are a conflict, an unanswered claim is pending (until a later lease epoch takes
 * it over), and each player's memory per table is bounded with the oldest ids forgotten first.
 */
import pino from 'pino';
import { startRedis, type TestRedis } from '../setup/redis';
import { redisRequestMemo, type RequestMemo } from '../../server/src/cluster/request-memo';
import { expectClaimOnce, expectEpochTakeover } from '../helpers/memo-contract';

describe('redis request memo', () => {
  let redis: TestRedis;
  let nodeA: RequestMemo;
  let nodeB: RequestMemo;
  beforeAll(async () => {
    redis = await startRedis();
    nodeA = await redisRequestMemo(redis.url, pino({ level: 'silent' }), 60_000, 3);
    nodeB = await redisRequestMemo(redis.url, pino({ level: 'silent' }), 60_000, 3);
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await redis?.stop();
  });

  it('claims once, answers every repeat on every node, and refuses other parameters', async () => {
    await expectClaimOnce(nodeA, nodeB);
  });

  it('forgets the oldest request ids beyond the per-player bound', async () => {
    const key = (requestId: string) => ({ tableId: 't2', playerId: 'p1', requestId });
    for (const id of ['a', 'b', 'c', 'd']) expect(await nodeA.claim(key(id), 'fp', '1')).toEqual({ kind: 'new' });
    expect(await nodeB.claim(key('a'), 'fp', '1')).toEqual({ kind: 'new' });
    expect(await nodeB.claim(key('d'), 'fp', '1')).toEqual({ kind: 'pending' });
  });

  it('lets the table\'s next owner take over a claim its fenced owner never answered (epochs)', async () => {
    await expectEpochTakeover(() => nodeA, () => nodeB);
  });
});
