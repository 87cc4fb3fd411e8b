/**
 * One actor per table: creates them, finds them, and recovers after a restart. Recovery runs before
 * any table accepts actions: every in_progress hand is voided with a recorded reason (its chips never
 * moved), and chips left in seat accounts go back to their owners' wallets, because the seats
 * themselves lived only in the previous process's memory.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { listSeatBalances } from '../ledger/balances';
import { cashOut, voidInProgressHands } from '../ledger/transactions';
import { getTable, type PokerTable } from '../persistence/poker-tables';
import type { TableSummary } from '../../../shared/protocol';
import { ledgerPort } from './ledger-port';
import { TableHandle } from './table-handle';
import type { RequestMemo } from '../cluster/request-memo';
import type { SeatTimers, TableBroadcaster, TableConfig, TableMetrics } from './table-types';

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
}

/** Converts a stored table into the actor's configuration. */
export function tableConfigOf(row: PokerTable): TableConfig {
  const { id, status: _status, nextHandNumber: _next, createdAt: _created, ...config } = row;
  return { tableId: id, ...config };
}

/** The live tables of this process. */
export class TableRegistry {
  private readonly tables = new Map<string, TableHandle>();
  /** Tables closed since this process started, so requests for them are answered table_closed. */
  private readonly closedIds = new Set<string>();

  constructor(private readonly deps: RegistryDeps) {}

  /** Recovers and starts every open table; call once at startup before accepting connections. */
  async loadAll(bootId: string): Promise<void> {
    const ds = this.deps.dataSource;
    const voided = await voidInProgressHands(ds, { reason: `server restart (boot ${bootId})` });
    const rows = (await ds.query(`SELECT id FROM poker_table WHERE status = 'open' ORDER BY created_at, id`)) as Array<{ id: string }>;
    let returned = 0;
    for (const { id } of rows) {
      for (const seat of await listSeatBalances(ds, id)) {
        if (seat.balance.lte(0)) continue;
        await cashOut(ds, { playerId: seat.playerId, tableId: id, idempotencyKey: `restart-cash-out:${bootId}:${seat.accountId}` });
        returned++;
      }
      await this.add(await getTable(ds, id));
    }
    this.deps.logger.info({ tables: rows.length, voidedHands: voided, seatsReturned: returned }, 'tables recovered');
  }

  /** Starts the actor for a table row (idempotent). */
  async add(row: PokerTable): Promise<TableHandle> {
    const existing = this.tables.get(row.id);
    if (existing) return existing;
    if (this.tables.size >= MAX_TABLES) throw new Error(`more than ${MAX_TABLES} tables in one process`);
    const { deps } = this;
    const handle = new TableHandle(
      tableConfigOf(row),
      {
        ledger: ledgerPort(deps.dataSource),
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
      deps.requestMemo,
    );
    this.tables.set(row.id, handle);
    void handle.closed.then(() => {
      this.tables.delete(row.id);
      this.closedIds.add(row.id);
    });
    return handle;
  }

  /** The table's configuration as stored now (after an admin changed it). */
  async freshConfig(tableId: string): Promise<TableConfig> {
    return tableConfigOf(await getTable(this.deps.dataSource, tableId));
  }

  /** Loads and starts a table created after startup. */
  async addById(tableId: string): Promise<TableHandle> {
    return this.add(await getTable(this.deps.dataSource, tableId));
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
