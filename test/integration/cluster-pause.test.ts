/**
 * SIGSTOP of a node past its lease: another node takes its tables and settles a hand there; after
 * SIGCONT the paused node's pending work must be refused by the epoch check (felt_fenced_refusals_total > 0
 * on it), every hand is settled exactly once, and every chip is accounted for, to the unit. Which epoch
 * check refuses first after SIGCONT is a race: the paused node's lease renewal (op="renewal", it then stops
 * the table's actor) or one of its ledger transactions (op="ledger"); table-lease-fence.test.ts pins the
 * ledger refusal of every stale operation, settlement included, deterministically.
 */
import { runSim } from '../../client-sim/src/sim';
import { FENCED_REFUSALS_METRIC } from '../../client-sim/src/cluster-probe';
import { sumCounter } from '../../client-sim/src/local-cluster';
import type { SimReport } from '../../client-sim/src/report';
import { auditLedger, clusterSimBase, expectCleanLedger, leaseOwners, settledHandCount, simVerdict, TEST_LEASE_TTL_MS, useLocalCluster, waitFor } from '../helpers/cluster';

describe('cluster: a paused node loses its tables and is fenced', () => {
  const handle = useLocalCluster();
  const seen: { victim?: string; moved?: number; handOnTakenTable?: boolean; fencedOnVictim?: number } = {};
  let report: SimReport;

  it('refuses the paused node stale work after SIGCONT and settles each hand once', async () => {
    const { cluster } = handle;
    report = await runSim({
      ...clusterSimBase(cluster, { hands: 1_000, durationMs: 60_000, chaos: false, seed: 7 }),
      stopAfterDuringPlay: true,
      duringPlay: async ({ probe, stats, tableIds }) => {
        await waitFor('5 hands before the pause', 40_000, async () => stats.settledHands.size >= 5);
        const victim = await probe.busiest(tableIds);
        const before = await leaseOwners(cluster, tableIds);
        const held = [...before].filter(([, l]) => l.nodeId === victim.nodeId).map(([id]) => id);
        seen.victim = victim.nodeId;
        seen.moved = held.length;
        stats.markFailover(40_000);
        const settledBefore = await settledHandCount(cluster, held);
        cluster.stop(victim.index);
        try {
          await waitFor(`another node to take the ${held.length} tables of paused ${victim.nodeId}`, TEST_LEASE_TTL_MS + 10_000, async () => {
            const now = await leaseOwners(cluster, held);
            return held.every((id) => now.get(id)?.nodeId !== victim.nodeId && now.get(id)!.epoch > before.get(id)!.epoch);
          });
          // Recorded rather than thrown, so the fence is still checked after SIGCONT when this fails.
          seen.handOnTakenTable = await waitFor('a hand to settle on a taken-over table', 20_000, async () => (await settledHandCount(cluster, held)) > settledBefore).then(
            () => true,
            () => false,
          );
        } finally {
          cluster.cont(victim.index);
        }
        seen.fencedOnVictim = await waitFor(`${FENCED_REFUSALS_METRIC} > 0 on ${victim.nodeId} after SIGCONT`, 15_000, async () => {
          const text = await cluster.metricsText(victim.index);
          const n = text === null ? 0 : sumCounter(text, FENCED_REFUSALS_METRIC);
          return n > 0 ? n : undefined;
        });
      },
    });
    // On failure the received value is the whole story: what was measured, the errors, the conservation.
    expect(simVerdict(report, seen)).toBe('ok');
    expect(seen.moved).toBeGreaterThanOrEqual(1);
    expect(seen.handOnTakenTable).toBe(true);
    expect(seen.fencedOnVictim).toBeGreaterThan(0);
    expect(report.fencedRefusals).toBeGreaterThan(0);
    expectCleanLedger(await auditLedger(cluster.databaseUrl));
  }, 90_000);
});
