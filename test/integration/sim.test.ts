/**
 * The simulator as the strongest end-to-end check: a few hundred hands at several tables with chaos
 * (duplicate requests, malformed payloads, out-of-turn actions, concurrent over-budget buy-ins,
 * reconnects, mid-hand leaves, slow clients) against a real in-process Felt on this run's PostgreSQL.
 * Every chip must be accounted for to the unit, and nothing unexpected may happen.
 */
import { runSim } from '../../client-sim/src/sim';
import { createEmptyDatabase } from '../helpers/db';
import { createDataSource } from '../../server/src/persistence/data-source';

// Generous on purpose: a first run on a fresh machine can share the CPU with package installs. The
// run stops at the hand target; the duration is only a cap, and every check below stays strict.
jest.setTimeout(360_000);

describe('client-sim end to end', () => {
  it('plays hundreds of hands with chaos, conserves every chip and sees no unexpected error', async () => {
    const databaseUrl = await createEmptyDatabase('felt_sim');
    const report = await runSim({
      tables: 4,
      seats: 4,
      hands: 240,
      durationMs: 300_000,
      variant: 'NT',
      strategy: 'mixed',
      chaos: true,
      seed: 20261122,
      // Chaos a little more often than the CLI default, so every behaviour shows up in a short run.
      chaosRates: { duplicate: 0.05, outOfTurn: 0.02, reconnect: 0.01, leave: 0.005, slow: 0.004 },
      inProcess: { databaseUrl, logLevel: 'silent' },
      progress: { stream: process.stderr, mode: 'off' },
    });
    if (process.env.SIM_TEST_DEBUG) console.log(JSON.stringify(report, null, 1));
    // On failure the received value is the reason itself (errors, rejections, conservation), not a
    // boolean beside an identical context that the diff would hide.
    const verdict = report.ok ? 'PASS' : JSON.stringify({ errors: report.unexpectedErrors, rejections: report.rejections, conservation: report.conservation }, null, 2);
    expect(verdict).toBe('PASS');
    expect(report.hands).toBeGreaterThanOrEqual(240);
    expect(report.unexpectedErrors.count).toBe(0);
    expect(report.conservation).toMatchObject({ ok: true, seats: '0', walletMismatches: [], notLeft: [] });
    expect(report.conservation.houseRake).toBe(report.conservation.rakeFromResults);
    expect(report.conservation.server).toMatchObject({ available: true, ok: true });
    for (const code of Object.keys(report.rejections)) expect(report.rejections[code]!.unexpected).toBe(0);
    // The hostile and unlucky clients really ran: these probes must each have happened at least once.
    for (const probe of ['concurrent-buy-in', 'concurrent-buy-in-wallet', 'duplicate-act', 'out-of-turn', 'reconnect-resync', 'malformed:empty-act', 'malformed:negative-amount']) {
      expect(report.chaosProbes[probe]?.ok ?? 0).toBeGreaterThan(0);
    }
    expect(report.ackLatencyMs.count).toBeGreaterThan(report.hands);
    // The run closes the tables it created (4 play tables and the chaos race tables), so it leaves none behind.
    expect(report.config.tablesClosed).toBeGreaterThanOrEqual(4);
    const ds = createDataSource({ url: databaseUrl, poolSize: 1 });
    await ds.initialize();
    try {
      const rows = (await ds.query(`SELECT status, count(*)::int AS n FROM poker_table GROUP BY status`)) as Array<{ status: string; n: number }>;
      expect(rows).toEqual([{ status: 'closed', n: report.config.tablesClosed }]);
    } finally {
      await ds.destroy();
    }
  });
});
