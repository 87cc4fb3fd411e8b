/**
 * Three Felt processes, one PostgreSQL, one redis-server: client-sim bots with chaos spread over all
 * nodes, and kill -9 of the node owning most tables mid-play. Its tables must resume on the survivors
 * within LEASE_TTL_MS + 2 s, the bots of the dead node carry on through other nodes, and at the end
 * every chip is accounted for, to the unit.
 */
import { runSim } from '../../client-sim/src/sim';
import type { SimReport } from '../../client-sim/src/report';
import { auditLedger, clusterSimBase, expectCleanLedger, leaseOwners, settledHandCount, simVerdict, TEST_LEASE_TTL_MS, useLocalCluster, waitFor } from '../helpers/cluster';

/** Hands played before the kill, so the node dies with tables in play. */
const HANDS_BEFORE_KILL = 8;

describe('cluster: kill -9 of a node mid-play', () => {
  const handle = useLocalCluster();
  let report: SimReport;
  const measured: { takeoverMs?: number; moved?: number; victim?: string } = {};

  it('plays across all nodes with chaos, survives the kill and conserves every chip', async () => {
    const { cluster } = handle;
    report = await runSim({
      ...clusterSimBase(cluster, { hands: 60, durationMs: 55_000, chaos: true, seed: 13 }),
      duringPlay: async ({ probe, stats, tableIds }) => {
        await waitFor(`${HANDS_BEFORE_KILL} hands before the kill`, 30_000, async () => stats.settledHands.size >= HANDS_BEFORE_KILL);
        const before = await leaseOwners(cluster, tableIds);
        stats.markFailover(TEST_LEASE_TTL_MS + 15_000);
        const killedAt = Date.now();
        const victim = await probe.killBusiest(tableIds);
        const orphaned = [...before].filter(([, l]) => l.nodeId === victim).map(([id]) => id);
        measured.victim = victim;
        measured.moved = orphaned.length;
        // Resumed: every table the dead node held is leased by a survivor under a newer epoch.
        await waitFor(`survivors to take over ${orphaned.length} tables of ${victim}`, TEST_LEASE_TTL_MS + 10_000, async () => {
          const now = await leaseOwners(cluster, orphaned);
          return orphaned.every((id) => {
            const l = now.get(id);
            return l !== undefined && l.nodeId !== victim && l.epoch > before.get(id)!.epoch;
          });
        });
        measured.takeoverMs = Date.now() - killedAt;
        const settled = await settledHandCount(cluster, orphaned);
        await waitFor('a hand to settle on a table that moved', 20_000, async () => (await settledHandCount(cluster, orphaned)) > settled);
        // Play goes on for a few more hands, with the dead node's bots back through other nodes.
        const target = stats.settledHands.size + 5;
        await waitFor('5 more hands after the failover', 20_000, async () => stats.settledHands.size >= target);
      },
      stopAfterDuringPlay: true,
    });
    // On failure the received value is the whole story: what was measured, the errors, the conservation.
    expect(simVerdict(report, measured)).toBe('ok');
    expect(report.nodes).toBe(3);
    expect(measured.moved).toBeGreaterThanOrEqual(1);
    expect(report.failovers).toBeGreaterThanOrEqual(1);
    expect(measured.takeoverMs).toBeLessThanOrEqual(TEST_LEASE_TTL_MS + 2_000);
    expect(report.conservation.ok).toBe(true);
    expect(report.unexpectedErrors.count).toBe(0);
    expectCleanLedger(await auditLedger(cluster.databaseUrl));
  }, 90_000);
});
