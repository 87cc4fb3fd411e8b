/**
 * A 3-node Felt cluster for a describe block: real Felt processes (client-sim's LocalCluster) on a fresh
 * database of the run's PostgreSQL and their own redis-server; plus the ledger audit every cluster test
 * ends with (reconcile, no hand in progress, each hand settled at most once, idempotency keys unique).
 */
import { Client } from 'pg';
import { LocalCluster, pidAlive, type LocalClusterOptions } from '../../client-sim/src/local-cluster';
import { createDataSource } from '../../server/src/persistence/data-source';
import { reconcile, type ReconcileReport } from '../../server/src/ledger/reconcile';
import { createEmptyDatabase } from './db';
import type { SimReport } from '../../client-sim/src/report';

/** Lease TTL of the cluster tests: short, so that failover fits in a bounded test. */
export const TEST_LEASE_TTL_MS = 2_000;

/** The cluster of a describe block, filled in before its tests run. */
export interface ClusterHandle {
  cluster: LocalCluster;
}

/** Starts a cluster before the block's tests and tears it down after them, failing if a process survives. */
export function useLocalCluster(options: Partial<LocalClusterOptions> = {}): ClusterHandle {
  const handle = {} as ClusterHandle;
  beforeAll(async () => {
    handle.cluster = await LocalCluster.start({
      nodes: 3,
      leaseTtlMs: TEST_LEASE_TTL_MS,
      databaseUrl: await createEmptyDatabase('felt_cluster'),
      logLevel: process.env.FELT_TEST_LOG_LEVEL ?? 'warn',
      log: testLog,
      ...options,
    });
    // Booting a node compiles the server with tsx; on a busy 2-core machine that alone can take half a minute.
  }, 150_000);
  afterAll(async () => {
    if (!handle.cluster) return;
    const pids = handle.cluster.pids;
    const { orphans } = await handle.cluster.close();
    const alive = pids.filter(pidAlive);
    if (orphans.length > 0 || alive.length > 0) {
      throw new Error(`cluster teardown left processes: orphans ${orphans.join(', ') || 'none'}, still alive ${alive.join(', ') || 'none'}`);
    }
  }, 60_000);
  return handle;
}

/** The simulator run every cluster test plays: 3 tables × 3 bots, 1 s action timer, the test lease TTL. */
export function clusterSimBase(cluster: LocalCluster, p: { hands: number; durationMs: number; chaos: boolean; seed: number }) {
  return {
    cluster,
    tables: 3,
    seats: 3,
    ...p,
    variant: 'NT' as const,
    strategy: 'mixed' as const,
    actionTimeoutMs: 1_000,
    leaseTtlMs: TEST_LEASE_TTL_MS,
    log: testLog,
  };
}

const started = Date.now();
/** Timestamped status lines of the cluster tests on stderr (jest buffers console output until a test ends). */
export function testLog(line: string): void {
  process.stderr.write(`[cluster ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
}

/** Polls `check` every 200 ms until it returns a value other than undefined/false; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Lease rows: table id → owner and epoch. */
export async function leaseOwners(cluster: LocalCluster, tableIds: readonly string[]): Promise<Map<string, { nodeId: string; epoch: bigint }>> {
  const rows = await cluster.query<{ table_id: string; node_id: string; epoch: string }>(
    'SELECT table_id::text, node_id, epoch::text FROM table_lease WHERE table_id = ANY($1::uuid[])',
    [tableIds],
  );
  return new Map(rows.map((r) => [r.table_id, { nodeId: r.node_id, epoch: BigInt(r.epoch) }]));
}

/** Hands settled on `tableIds` (status settled). */
export async function settledHandCount(cluster: LocalCluster, tableIds: readonly string[]): Promise<number> {
  const [row] = await cluster.query<{ n: string }>(`SELECT count(*)::text AS n FROM hand WHERE status = 'settled' AND table_id = ANY($1::uuid[])`, [tableIds]);
  return Number(row?.n ?? 0);
}

/** What the ledger audit found; every list must be empty and reconcile ok. */
export interface LedgerAudit {
  reconcile: Pick<ReconcileReport, 'ok' | 'drift' | 'unbalancedTransfers' | 'settledHandsWithoutOneSettlement' | 'totalSum'>;
  handsInProgress: string[];
  handsSettledTwice: string[];
  duplicateIdempotencyKeys: string[];
  /** Σ wallets + seats + house rake − Σ credits + Σ debits: zero when every credited chip is somewhere. */
  conservationGap: string;
}

/** Audits the cluster's ledger after play. */
export async function auditLedger(databaseUrl: string): Promise<LedgerAudit> {
  const ds = createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'felt-cluster-audit' });
  await ds.initialize();
  let report: ReconcileReport;
  try {
    report = await reconcile(ds);
  } finally {
    await ds.destroy();
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const inProgress = await client.query<{ id: string }>(`SELECT id::text FROM hand WHERE status = 'in_progress' LIMIT 50`);
    const twice = await client.query<{ hand_id: string }>(
      `SELECT hand_id::text FROM transfer WHERE kind = 'hand_settlement' AND hand_id IS NOT NULL GROUP BY hand_id HAVING count(*) > 1 LIMIT 50`,
    );
    const keys = await client.query<{ k: string }>(`SELECT idempotency_key AS k FROM transfer GROUP BY idempotency_key HAVING count(*) > 1 LIMIT 50`);
    // Money enters through credits from the house cash account and leaves through debits to it, so the
    // house cash balance is minus everything credited and not paid out; the rest must sit in wallets,
    // seats and the house rake, to the unit.
    const [gap] = (
      await client.query<{ gap: string }>(
        `SELECT (coalesce(sum(balance) FILTER (WHERE kind IN ('wallet', 'seat', 'house_rake')), 0)
                + coalesce(sum(balance) FILTER (WHERE kind = 'house_cash'), 0))::text AS gap FROM account`,
      )
    ).rows;
    return {
      reconcile: { ok: report.ok, drift: report.drift, unbalancedTransfers: report.unbalancedTransfers, settledHandsWithoutOneSettlement: report.settledHandsWithoutOneSettlement, totalSum: report.totalSum },
      handsInProgress: inProgress.rows.map((r) => r.id),
      handsSettledTwice: twice.rows.map((r) => r.hand_id),
      duplicateIdempotencyKeys: keys.rows.map((r) => r.k),
      conservationGap: gap?.gap ?? 'unknown',
    };
  } finally {
    await client.end();
  }
}

/** Asserts the audit is clean, printing the whole audit when it is not. */
export function expectCleanLedger(audit: LedgerAudit): void {
  const problems = [
    ...(audit.reconcile.ok ? [] : ['reconcile found drift']),
    ...(audit.handsInProgress.length ? [`${audit.handsInProgress.length} hands still in progress`] : []),
    ...(audit.handsSettledTwice.length ? [`${audit.handsSettledTwice.length} hands with two settlements`] : []),
    ...(audit.duplicateIdempotencyKeys.length ? [`${audit.duplicateIdempotencyKeys.length} duplicate idempotency keys`] : []),
    ...(Number(audit.conservationGap) === 0 ? [] : [`conservation gap ${audit.conservationGap}`]),
  ];
  if (problems.length > 0) throw new Error(`ledger audit failed: ${problems.join('; ')}\n${JSON.stringify(audit, null, 2)}`);
}

/**
 * 'ok' when the simulator run passed; otherwise everything that decides the verdict, with `measured` (what
 * the test saw): the unexpected errors, the rejections counted as unexpected, and the conservation.
 */
export function simVerdict(report: SimReport, measured: unknown): string {
  if (report.ok) return 'ok';
  const unexpectedRejections = Object.fromEntries(Object.entries(report.rejections).filter(([, n]) => n.unexpected > 0));
  return JSON.stringify({ measured, unexpected: report.unexpectedErrors, unexpectedRejections, conservation: report.conservation, failovers: report.failovers }, null, 2);
}
