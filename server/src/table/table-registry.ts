/**
 * One actor per table in the whole cluster: this registry runs the tables whose lease this node holds
 * (see cluster/lease-keeper.ts), each actor's ledger calls fenced with that lease. A table is adopted
 * only after its lease was taken, and recovered first under the new epoch (cluster/lease-recovery.ts):
 * its in-progress hand voided, its seats restored or returned. A table whose lease is lost is stopped
 * at once and forgotten here; its new owner carries on.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { isLeaseLost, type Fence, type LeaseLostError } from '../ledger/fence';
import { getTable, type PokerTable } from '../persistence/poker-tables';
import { recoverTable } from '../cluster/lease-recovery';
import type { LeaseHost } from '../cluster/lease-keeper';
import type { Lease, TakenLease } from '../cluster/lease-store';
import { VIEW_SEQS_PER_EPOCH, type TableSummary } from '../../../shared/protocol';
import { historyPort, ledgerPort } from './ledger-port';
import { TableHandle } from './table-handle';
import type { RequestMemo } from '../cluster/request-memo';
import type { SeatTimers, TableBroadcaster, TableConfig, TableMetrics, TableSeat } from './table-types';

/** How long a shutdown waits for the voids of hands that did not finish in time. */
export const VOID_ON_SHUTDOWN_MS = 5_000;

/** Resolves once `done()` holds (checked every 20 ms) or `ms` passed. */
async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Most live tables one process runs. */
export const MAX_TABLES = 2_000;

/** What the registry needs. */
export interface RegistryDeps {
  dataSource: DataSource;
  logger: Logger;
  broadcaster: TableBroadcaster;
  metrics?: TableMetrics;
  handPauseMs: number;
  /** When absent players' seats end; defaults to one minute disconnected and ten minutes sat out. */
  seatTimers?: SeatTimers;
  /** Source of each hand's deck seed; production uses the CSPRNG. Tests may pin seeds to force a deal. */
  randomSeed?: () => Uint8Array;
  onHalt?: (tableId: string, error: Error) => void;
  /** Request ids shared by every node (Redis) when clustered. */
  requestMemo?: RequestMemo;
  /**
   * Told when a taken-over table starts with seats restored from the seat accounts: those players may
   * already have reconnected to some node, before the table ran anywhere, so they are shown it now.
   */
  onSeatsRestored?: (table: TableHandle, playerIds: string[]) => void;
  /** Told when a table stopped because its lease was lost (metrics, logs). */
  onLeaseLost?: (tableId: string, why: string) => void;
}

/**
 * The first view seq of an actor under lease `epoch`: above anything an earlier owner sent, so views stay
 * increasing for clients across a failover (epochs up to about nine million stay exact in a double).
 */
export function firstSeqOf(epoch: string): number {
  return Math.max(0, Number(epoch) - 1) * VIEW_SEQS_PER_EPOCH;
}

/** Converts a stored table into the actor's configuration. */
export function tableConfigOf(row: PokerTable): TableConfig {
  const { id, status: _status, nextHandNumber: _next, createdAt: _created, ...config } = row;
  return { tableId: id, ...config };
}

/** The live tables of this process. */
export class TableRegistry implements LeaseHost {
  private readonly tables = new Map<string, TableHandle>();
  /** The lease of every table adopted here; kept after the actors stop so that shutdown can release them. */
  private readonly leases = new Map<string, Fence>();
  /**
   * Until when (performance.now() ms) each lease holds by this node's clock: the start of the last
   * successful take or renewal plus the TTL, never later than the database's own expiry.
   */
  private readonly heldUntil = new Map<string, number>();
  /** Tables closed since this process started, so requests for them are answered table_closed. */
  private readonly closedIds = new Set<string>();

  constructor(private readonly deps: RegistryDeps) {}

  /** The leases of the tables adopted here. */
  held(): Lease[] {
    return [...this.leases.values()];
  }

  /**
   * Recovers the table whose lease was just taken and starts its actor under that lease. A table that
   * is closed meanwhile is not started; a lease lost again during recovery (a faster node) is let go.
   */
  async adopt(taken: TakenLease, heldUntilMs: number): Promise<void> {
    const { dataSource: ds, logger } = this.deps;
    const fence: Fence = { tableId: taken.tableId, nodeId: taken.nodeId, epoch: taken.epoch };
    this.tables.get(taken.tableId)?.stop();
    this.tables.delete(taken.tableId);
    this.leases.set(taken.tableId, fence);
    this.heldUntil.set(taken.tableId, heldUntilMs);
    try {
      const row = await getTable(ds, taken.tableId);
      if (row.status !== 'open') {
        this.leases.delete(taken.tableId);
        return;
      }
      const recovery = await recoverTable(ds, taken, tableConfigOf(row), Date.now());
      const restored = recovery.seats?.filter(Boolean).length ?? 0;
      logger.info({ tableId: taken.tableId, epoch: taken.epoch, origin: taken.origin, voidedHands: recovery.voidedHands, seatsReturned: recovery.seatsReturned, seatsRestored: restored }, 'table recovered');
      const handle = this.add(row, recovery.seats ?? undefined);
      const players = (recovery.seats ?? []).filter((s): s is TableSeat => s !== null).map((s) => s.playerId);
      if (players.length > 0) this.deps.onSeatsRestored?.(handle, players);
    } catch (error) {
      if (!isLeaseLost(error)) throw error;
      this.lose([taken.tableId], 'the lease was taken over during recovery');
    }
  }

  /** Records that the leases of `tableIds` were renewed: by this node's clock they hold until `heldUntilMs`. */
  renewed(tableIds: Iterable<string>, heldUntilMs: number): void {
    for (const tableId of tableIds) {
      if (!this.leases.has(tableId)) continue;
      this.heldUntil.set(tableId, heldUntilMs);
      this.tables.get(tableId)?.deliverHeld();
    }
  }

  /** Stops the tables whose leases are gone and forgets them; their new owners carry on. */
  lose(tableIds: readonly string[], why: string): void {
    for (const tableId of tableIds) {
      const handle = this.tables.get(tableId);
      this.tables.delete(tableId);
      this.leases.delete(tableId);
      this.heldUntil.delete(tableId);
      handle?.stop();
      this.deps.logger.warn({ tableId, why }, 'table lease lost: actor stopped');
      this.deps.onLeaseLost?.(tableId, why);
    }
  }

  /** Starts the actor for a table row under its adopted lease (idempotent). */
  private add(row: PokerTable, restoredSeats?: Array<TableSeat | null>): TableHandle {
    const existing = this.tables.get(row.id);
    if (existing) return existing;
    if (this.tables.size >= MAX_TABLES) throw new Error(`more than ${MAX_TABLES} tables in one process`);
    const { deps } = this;
    const fence = this.leases.get(row.id);
    if (!fence) throw new Error(`table ${row.id} started without its lease`);
    // The actor keeps the fence it was started under for its whole life, even after the registry let the
    // table go: a call still in flight from a stopped actor must be refused, never run unfenced.
    const lease = {
      fence: () => fence,
      onLost: (error: LeaseLostError) => {
        if (this.tables.get(row.id) === handle) this.lose([row.id], error.message);
      },
    };
    const handle = new TableHandle(
      tableConfigOf(row),
      {
        ledger: ledgerPort(deps.dataSource, lease),
        history: historyPort(deps.dataSource),
        broadcaster: deps.broadcaster,
        randomSeed: deps.randomSeed ?? (() => randomBytes(32)),
        now: () => Date.now(),
        logger: deps.logger.child({ tableId: row.id }),
        metrics: deps.metrics,
        handPauseMs: deps.handPauseMs,
        onHalt: deps.onHalt,
        seatTimers: deps.seatTimers ?? { disconnectSitOutMs: 60_000, sitOutStandUpMs: 600_000 },
      },
      Number(row.nextHandNumber) - 1,
      deps.logger,
      {
        sharedMemo: deps.requestMemo,
        lease: { epoch: fence.epoch, current: () => performance.now() < (this.heldUntil.get(row.id) ?? 0) },
        seats: restoredSeats,
        firstSeq: firstSeqOf(fence.epoch),
      },
    );
    this.tables.set(row.id, handle);
    void handle.closed.then(() => {
      // Only this handle's own close counts: a stopped handle replaced by a newer one must not remove it.
      if (this.tables.get(row.id) !== handle) return;
      this.tables.delete(row.id);
      this.leases.delete(row.id);
      this.heldUntil.delete(row.id);
      this.closedIds.add(row.id);
    });
    return handle;
  }

  /** The table's configuration as stored now (after an admin changed it). */
  async freshConfig(tableId: string): Promise<TableConfig> {
    return tableConfigOf(await getTable(this.deps.dataSource, tableId));
  }

  /** The live table, if any. */
  get(tableId: string): TableHandle | undefined {
    return this.tables.get(tableId);
  }

  /** True when the table was closed while this process ran. */
  wasClosed(tableId: string): boolean {
    return this.closedIds.has(tableId);
  }

  /** Lobby entries for every table that is not closing. */
  list(): TableSummary[] {
    return [...this.tables.values()].filter((t) => !t.closing && !t.halted).map((t) => t.summary());
  }

  /** Tables where the player holds a seat. */
  tablesOf(playerId: string): TableHandle[] {
    return [...this.tables.values()].filter((t) => t.isSeated(playerId));
  }

  /**
   * Tables other nodes run at which `playerId` holds chips (a seat account with a balance), so that the
   * per-player table limit counts the whole cluster. A seat that busted to zero is not counted.
   */
  async seatedElsewhere(playerId: string): Promise<number> {
    const rows = (await this.deps.dataSource.query(
      `SELECT count(*)::int AS n FROM account WHERE kind = 'seat' AND player_id = $1 AND balance > 0 AND NOT (table_id = ANY($2::uuid[]))`,
      [playerId, [...this.tables.keys()]],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** What the live gauges show: running tables, seats held at them, hands in play. */
  liveCounts(): { activeTables: number; seatedPlayers: number; handsInProgress: number } {
    let activeTables = 0;
    let seatedPlayers = 0;
    let handsInProgress = 0;
    for (const t of this.tables.values()) {
      if (t.halted) continue;
      const live = t.liveCounts();
      activeTables++;
      seatedPlayers += live.seated;
      if (live.handInProgress) handsInProgress++;
    }
    return { activeTables, seatedPlayers, handsInProgress };
  }

  /** Number of live tables. */
  get size(): number {
    return this.tables.size;
  }

  /**
   * Shutdown without losing a hand: no table deals again; hands in play may finish within `drainMs`;
   * those still open then are voided (bounded too). Resolves with how many were voided.
   */
  async drain(drainMs: number): Promise<number> {
    const all = [...this.tables.values()];
    for (const t of all) t.notify({ type: 'table.drain' });
    const idle = () => all.every((t) => t.idle);
    await waitFor(idle, drainMs);
    const open = all.filter((t) => !t.idle);
    for (const t of open) t.notify({ type: 'table.abortHand', reason: 'server shutdown' });
    if (open.length > 0) await waitFor(idle, VOID_ON_SHUTDOWN_MS);
    return open.length;
  }

  /** Stops every actor. */
  stopAll(): void {
    for (const t of this.tables.values()) t.stop();
    this.tables.clear();
  }
}
