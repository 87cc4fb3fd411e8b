/**
 * What a simulation observes about the nodes of a cluster: who owns which table (the table_lease rows
 * in PostgreSQL), how many tables moved between nodes during the run, how many ledger transactions the
 * fence refused (felt_fenced_refusals_total on every node's /metrics), and the kill -9 of a node.
 */
import { Client } from 'pg';
import type { ClusterNode, LocalCluster } from './local-cluster';
import { sumCounter } from './local-cluster';

/** The Prometheus counter of ledger transactions refused because the caller's lease epoch was stale. */
export const FENCED_REFUSALS_METRIC = 'felt_fenced_refusals_total';

/** One table's lease as PostgreSQL has it. */
export interface LeaseRow {
  tableId: string;
  nodeId: string;
  epoch: string;
}

/** The cluster part of a simulation report. */
export interface ClusterSummary {
  nodes: number;
  urls: string[];
  /** Nodes the run killed with -9, by NODE_ID. */
  killed: string[];
  /** Tables of this run whose lease epoch grew or whose owner changed during play; null without database access. */
  failovers: number | null;
  /** Σ felt_fenced_refusals_total over the nodes (a killed node counts with its last reading). */
  fencedRefusals: number | null;
  /** Lease owners of this run's tables at the end: node id → number of tables. */
  tablesByNode: Record<string, number> | null;
}

/** Observes a cluster for one simulation run. */
export class ClusterProbe {
  private before: Map<string, LeaseRow> | null = null;
  private readonly lastFenced = new Map<string, number>();
  private readonly killed: string[] = [];

  constructor(
    readonly urls: readonly string[],
    readonly cluster: LocalCluster | null,
    private readonly databaseUrl: string | null,
  ) {}

  /** The lease rows of `tableIds`, or null when there is no database access or no table_lease table (a server without leases). */
  async leases(tableIds: readonly string[]): Promise<Map<string, LeaseRow> | null> {
    if (!this.databaseUrl) return null;
    const client = new Client({ connectionString: this.databaseUrl });
    try {
      await client.connect();
      const { rows } = await client.query<{ table_id: string; node_id: string; epoch: string }>(
        'SELECT table_id::text, node_id, epoch::text FROM table_lease WHERE table_id = ANY($1::uuid[])',
        [tableIds],
      );
      return new Map(rows.map((r) => [r.table_id, { tableId: r.table_id, nodeId: r.node_id, epoch: r.epoch }]));
    } catch {
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Remembers the owners when play starts, so the end can tell which tables moved. */
  async playStarted(tableIds: readonly string[]): Promise<void> {
    this.before = await this.leases(tableIds);
    await this.sampleFenced();
  }

  /** Reads every answering node's fenced-refusal counter and remembers it per node. */
  async sampleFenced(): Promise<void> {
    await Promise.all(
      this.urls.map(async (url) => {
        try {
          const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3_000) });
          if (res.ok) this.lastFenced.set(url, sumCounter(await res.text(), FENCED_REFUSALS_METRIC));
        } catch {
          // A dead or paused node keeps its last reading.
        }
      }),
    );
  }

  /**
   * kill -9 of the live node that owns most of `tableIds` (ties: the highest index), so the kill moves
   * tables; returns its NODE_ID. Needs a local cluster (the PIDs are ours).
   */
  async killBusiest(tableIds: readonly string[]): Promise<string> {
    const victim = await this.busiest(tableIds);
    await this.sampleFenced();
    await this.cluster!.kill9(victim.index);
    this.killed.push(victim.nodeId);
    return victim.nodeId;
  }

  /** The live node of the local cluster that owns most of `tableIds` (ties: the highest index). */
  async busiest(tableIds: readonly string[]): Promise<ClusterNode> {
    if (!this.cluster) throw new Error('choosing a node to fail needs a local cluster (--nodes)');
    const live = this.cluster.nodes.filter((n) => n.state === 'up');
    if (live.length < 2) throw new Error('failing a node needs at least two live nodes');
    const owners = await this.leases(tableIds);
    const count = (nodeId: string) => [...(owners?.values() ?? [])].filter((l) => l.nodeId === nodeId).length;
    return live.reduce((best, n) => (count(n.nodeId) >= count(best.nodeId) ? n : best));
  }

  /** The cluster figures at the end of the run. */
  async summary(tableIds: readonly string[]): Promise<ClusterSummary> {
    await this.sampleFenced();
    const after = await this.leases(tableIds);
    let failovers: number | null = null;
    if (this.before && after) {
      failovers = 0;
      for (const [tableId, now] of after) {
        const then = this.before.get(tableId);
        if (!then || BigInt(now.epoch) > BigInt(then.epoch) || now.nodeId !== then.nodeId) failovers++;
      }
    }
    const tablesByNode: Record<string, number> | null = after ? {} : null;
    for (const l of after?.values() ?? []) tablesByNode![l.nodeId] = (tablesByNode![l.nodeId] ?? 0) + 1;
    const fenced = [...this.lastFenced.values()];
    return {
      nodes: this.urls.length,
      urls: [...this.urls],
      killed: [...this.killed],
      failovers,
      fencedRefusals: fenced.length === 0 ? null : fenced.reduce((a, b) => a + b, 0),
      tablesByNode,
    };
  }

  /** The house rake account's balance (the ledger's own figure), or null without database access. */
  async houseRake(): Promise<string | null> {
    if (!this.databaseUrl) return null;
    const client = new Client({ connectionString: this.databaseUrl });
    try {
      await client.connect();
      const { rows } = await client.query<{ total: string | null }>(`SELECT sum(balance)::text AS total FROM account WHERE kind = 'house_rake'`);
      return rows[0]?.total ?? '0';
    } catch {
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
