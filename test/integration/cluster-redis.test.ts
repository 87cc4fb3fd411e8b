/**
 * redis-server killed and restarted (empty) mid-play on a 3-node cluster: play resumes on every table,
 * nothing is lost (a missed broadcast is repaired by the next state), and every chip is accounted for.
 */
import { runSim } from '../../client-sim/src/sim';
import type { SimReport } from '../../client-sim/src/report';
import { auditLedger, clusterSimBase, expectCleanLedger, settledHandCount, simVerdict, useLocalCluster, waitFor } from '../helpers/cluster';

describe('cluster: redis-server restart mid-play', () => {
  const handle = useLocalCluster();
  let report: SimReport;
  const seen: { handsBefore?: number; handsAfterPerTable?: number[] } = {};

  it('resumes play on every table after Redis comes back and conserves every chip', async () => {
    const { cluster } = handle;
    report = await runSim({
      ...clusterSimBase(cluster, { hands: 1_000, durationMs: 60_000, chaos: false, seed: 21 }),
      stopAfterDuringPlay: true,
      duringPlay: async ({ stats, tableIds }) => {
        await waitFor('5 hands before the restart', 40_000, async () => stats.settledHands.size >= 5);
        seen.handsBefore = stats.settledHands.size;
        stats.markFailover(25_000);
        const counts = await Promise.all(tableIds.map((id) => settledHandCount(cluster, [id])));
        await cluster.restartRedis({ hard: true, downMs: 1_000 });
        // Every table must settle two more hands after Redis is back: play resumed everywhere.
        await waitFor('two more settled hands on every table after the Redis restart', 40_000, async () => {
          const now = await Promise.all(tableIds.map((id) => settledHandCount(cluster, [id])));
          seen.handsAfterPerTable = now.map((n, i) => n - counts[i]!);
          return seen.handsAfterPerTable.every((n) => n >= 2);
        });
      },
    });
    // On failure the received value is the whole story: what was measured, the errors, the conservation.
    expect(simVerdict(report, seen)).toBe('ok');
    for (const node of cluster.nodes) expect({ node: node.nodeId, state: node.state }).toEqual({ node: node.nodeId, state: 'up' });
    expectCleanLedger(await auditLedger(cluster.databaseUrl));
  }, 90_000);
});
