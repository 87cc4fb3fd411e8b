/**
 * The lease loop of one node: every LEASE_RENEW_MS it heartbeats, renews the leases of the tables it
 * runs (a lease found lost stops that table at once), and takes free, released or expired leases up to
 * its fair share of the open tables, a bounded number per round. New tables are placed on the
 * least-loaded live node. On shutdown it releases its leases so another node takes over at once.
 */
import type { DataSource } from 'typeorm';
import { fencedRefusals } from '../metrics';
import type { Logger } from 'pino';
import {
  assignLease,
  clusterLoad,
  forgetNode,
  heartbeat,
  leaseCandidates,
  leastLoadedNode,
  releaseLeases,
  renewLeases,
  takeLease,
  type Lease,
  type TakenLease,
} from './lease-store';

/** Most leases taken in one periodic round, so a node joining a busy cluster ramps up instead of stalling. */
export const MAX_TAKES_PER_ROUND = 50;
/** Most leases taken at startup (the registry's table limit bounds it too). */
export const MAX_TAKES_AT_STARTUP = 2_000;

/** What the keeper needs from the tables of this node (the registry). */
export interface LeaseHost {
  /** The leases of the tables running here. */
  held(): Lease[];
  /** Recovers the table whose lease was just taken and starts its actor under that lease, held until `heldUntilMs` (performance.now() ms). */
  adopt(taken: TakenLease, heldUntilMs: number): Promise<void>;
  /** The leases of `tableIds` were renewed: by this node's clock they hold until `heldUntilMs`. */
  renewed(tableIds: Iterable<string>, heldUntilMs: number): void;
  /** Stops the tables whose leases are gone, at once: no chip may move here for them any more. */
  lose(tableIds: readonly string[], why: string): void;
}

/** Settings of the lease loop. */
export interface LeaseKeeperOptions {
  dataSource: DataSource;
  nodeId: string;
  leaseTtlMs: number;
  leaseRenewMs: number;
  logger: Logger;
}

/** Renews, takes and releases the table leases of one node. */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Shutting down: leases are still renewed (the drain may take longer than the TTL) but none are taken. */
  private taking = true;
  private stopping: Promise<void> | null = null;
  /**
   * Takes (and adoptions) in flight, by table: the periodic round and the placement of a new table may
   * reach for the same table at once, and the second must wait for the first instead of taking the
   * lease again (a second epoch would restart the table under the first caller's feet).
   */
  private readonly inFlight = new Map<string, Promise<TakenLease | null>>();

  constructor(
    private readonly options: LeaseKeeperOptions,
    private readonly host: LeaseHost,
  ) {}

  /** Announces the node and takes its share of the tables (recovering each); then renews periodically. */
  async start(): Promise<void> {
    await this.round(MAX_TAKES_AT_STARTUP);
    this.timer = setInterval(() => void this.tick(), this.options.leaseRenewMs);
    // The lease loop must not keep a stopped server's process alive.
    this.timer.unref();
  }

  /** One periodic round; a round still running (a slow database) is not overlapped. */
  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.round(MAX_TAKES_PER_ROUND)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'lease round failed; the fence keeps the ledger safe meanwhile'))
      .finally(() => (this.running = null));
    await this.running;
  }

  /** Heartbeat, renew (dropping lost tables), then take up to `maxTakes` tables within the fair share. */
  async round(maxTakes: number): Promise<void> {
    const { dataSource: ds, nodeId, leaseTtlMs, logger } = this.options;
    const held = this.host.held();
    await heartbeat(ds, nodeId, held.length);
    if (held.length > 0) {
      // Measured before the statement: the database sets expires_at later than this, so the local
      // deadline never outlives the lease.
      const renewStartedAt = performance.now();
      const still = await renewLeases(ds, nodeId, held, leaseTtlMs);
      this.host.renewed(still, renewStartedAt + leaseTtlMs);
      const lost = held.filter((l) => !still.has(l.tableId)).map((l) => l.tableId);
      if (lost.length > 0) {
        fencedRefusals.inc({ op: 'renewal' }, lost.length);
        this.host.lose(lost, 'lease renewal found the lease taken over');
      }
    }
    if (this.stopped || !this.taking) return;
    const { liveNodes, openTables } = await clusterLoad(ds, leaseTtlMs);
    const share = Math.ceil(openTables / Math.max(1, liveNodes));
    const mine = this.host.held();
    const room = Math.min(maxTakes, Math.max(0, share - mine.length));
    // Leases assigned to this node (or left by it before a crash) come first and are taken even beyond
    // the fair share: nobody else will take them before they expire.
    const candidates = await leaseCandidates(ds, nodeId, mine.map((l) => l.tableId), maxTakes + room);
    let shareTries = 0;
    for (const { tableId, own } of candidates) {
      if (this.stopped || !this.taking) return;
      if (!own && shareTries++ >= room) break;
      if (this.inFlight.has(tableId)) continue;
      const lease = await this.claim(tableId);
      if (!lease) continue;
      logger.info({ tableId, epoch: lease.epoch, origin: lease.origin, from: lease.previousNodeId || undefined }, 'table lease taken');
    }
  }

  /**
   * Places a table created through this node: here when this node is the least loaded live node (or
   * alone), else on that node, whose keeper adopts it at its next round. Returns where it went.
   */
  async placeNewTable(tableId: string): Promise<'here' | 'elsewhere'> {
    const { dataSource: ds, nodeId, leaseTtlMs } = this.options;
    const target = await leastLoadedNode(ds, nodeId, leaseTtlMs);
    if (target !== nodeId && (await assignLease(ds, tableId, target, leaseTtlMs))) return 'elsewhere';
    await this.claim(tableId);
    return this.host.held().some((l) => l.tableId === tableId) ? 'here' : 'elsewhere';
  }

  /** Takes the table's lease and adopts the table, once: a claim already in flight is joined, a table already run is left as is. */
  private claim(tableId: string): Promise<TakenLease | null> {
    const pending = this.inFlight.get(tableId);
    if (pending) return pending;
    if (!this.taking) return Promise.resolve(null);
    const held = this.host.held().find((l) => l.tableId === tableId);
    if (held) return Promise.resolve(null);
    const { dataSource: ds, nodeId, leaseTtlMs } = this.options;
    const run = (async () => {
      const takeStartedAt = performance.now();
      const lease = await takeLease(ds, tableId, nodeId, leaseTtlMs);
      if (lease) await this.host.adopt(lease, takeStartedAt + leaseTtlMs);
      return lease;
    })().finally(() => this.inFlight.delete(tableId));
    this.inFlight.set(tableId, run);
    return run;
  }

  /** Takes no more tables (shutdown begins); resolves once takes in flight finished. Leases are still renewed. */
  async stopTaking(): Promise<void> {
    this.taking = false;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Stops the loop and releases every lease still held (call after the tables stopped); idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.release();
    return this.stopping;
  }

  private async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    const { dataSource: ds, nodeId, logger } = this.options;
    try {
      const held = this.host.held();
      if (held.length > 0) await releaseLeases(ds, nodeId, held);
      await forgetNode(ds, nodeId);
    } catch (error) {
      // The leases then expire after their TTL: slower failover, never a wrong one.
      logger.warn({ err: error }, 'releasing table leases failed');
    }
  }
}
