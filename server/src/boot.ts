/**
 * The composition root: configuration → database (embedded or DATABASE_URL) → migrations → HTTP and
 * Socket.IO on one port. `npm start`, the test suite and the in-process simulator all boot through here.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createDataSource } from './persistence/data-source';
import { startEmbeddedPostgres, type EmbeddedPg } from './persistence/embedded-postgres';
import { Router, HttpError } from './transport/router';
import { registerHealthRoutes } from './transport/health.routes';
import { registerAuthRoutes } from './transport/auth.routes';
import type { RouteDeps, TableControl } from './transport/route-kit';
import { chatSender } from './transport/io-server';
import { registerAdminRoutes } from './admin/admin.routes';
import { registerLobbyRoutes } from './transport/lobby.routes';
import { registerHistoryRoutes } from './admin/history.routes';
import { registerPlayerRoutes } from './admin/players.routes';
import { ChatRoom } from './chat/chat-room';
import { registerMyHistoryRoutes } from './history/my-history.routes';
import { registerWebRoutes } from './web/web.routes';
import { createAuthService, type AuthService } from './auth/auth.service';
import * as metrics from './metrics';
import { createIoServer, type FeltIo } from './transport/io-server';
import { frameBroadcaster } from './transport/frame-broadcaster';
import { installFrameProtocol } from './transport/frame-rooms';
import { endPlayerSessions, playerRoom, tableRoom } from './transport/socket-guards';
import { localSessionBus, redisSessionBus } from './transport/session-bus';
import { registerTableHandlers } from './transport/table.handlers';
import { TableRegistry } from './table/table-registry';
import { memoryLimiter, redisLimiter, type PlayerLimiter } from './transport/player-rate-limit';
import { attachStickyWorker } from './cluster/worker-inbox';
import { attachAdapter } from './cluster/io-adapter';
import { TableRouter } from './cluster/table-router';
import { ownerOf } from './cluster/lease-store';
import { redisRequestMemo, type RequestMemo } from './cluster/request-memo';
import { LeaseKeeper } from './cluster/lease-keeper';

/** A running Felt instance. */
export interface Felt {
  config: Config;
  url: string;
  port: number;
  dataSource: DataSource;
  httpServer: HttpServer;
  logger: Logger;
  /** Accounts and tokens; `auth.verifyToken` is what the Socket.IO handshake uses. */
  auth: AuthService;
  io: FeltIo;
  tables: TableRegistry;
  /** Stops accepting work, closes sockets, the database pool and (if we started it) PostgreSQL. */
  close(): Promise<void>;
}

/** Optional wiring for embedders and tests. */
export interface FeltOptions {
  /** Deck seed source (default: 32 bytes from crypto.randomBytes per hand). */
  randomSeed?: () => Uint8Array;
  /**
   * This process is a FELT_WORKERS worker: it does not listen itself; the primary hands it connections
   * (@socket.io/sticky), so one socket's requests always reach the same worker.
   */
  clusterWorker?: boolean;
}

/** Boots Felt with `config`. */
export async function startFelt(config: Config, logger: Logger, options: FeltOptions = {}): Promise<Felt> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { url, embedded } = await resolveDatabase(config, logger);
    if (embedded) cleanups.push(() => embedded.stop());
    const dataSource = createDataSource({
      url,
      poolSize: config.DB_POOL_SIZE,
      // A node paused (SIGSTOP, a long GC, a VM freeze) inside a fenced transaction holds its lease row
      // FOR KEY SHARE, which would block the takeover for as long as the pause lasts. PostgreSQL ends such a
      // session after one lease TTL, so another node takes the table over within about TTL of the pause;
      // the paused node's transaction is rolled back (nothing moved) and its next one meets the fence.
      idleInTransactionMs: config.LEASE_TTL_MS,
    });
    await dataSource.initialize();
    cleanups.push(() => dataSource.destroy());
    if (config.RUN_MIGRATIONS) {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    }
    let shuttingDown = false;
    const router = new Router(logger);
    registerHealthRoutes(router, dataSource, () => shuttingDown);
    metrics.registerMetricsRoute(router);
    const auth = await createAuthService({ dataSource, config, logger });
    cleanups.push(() => auth.close());
    if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) await auth.ensureAdmin(config.ADMIN_USERNAME, config.ADMIN_PASSWORD);
    const routeDeps: RouteDeps = { dataSource, config, logger, auth };
    registerAuthRoutes(router, routeDeps);
    registerAdminRoutes(router, routeDeps);
    registerLobbyRoutes(router, routeDeps);
    registerHistoryRoutes(router, routeDeps);
    registerPlayerRoutes(router, routeDeps);
    registerMyHistoryRoutes(router, routeDeps);
    registerWebRoutes(router);
    const httpServer = createServer((req, res) => {
      if (!req.url?.startsWith('/socket.io/')) {
        res.on('finish', () => metrics.recordHttpRequest(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, res.statusCode));
      }
      router.handle(req, res).then((handled) => {
        if (!handled && !res.headersSent && !req.url?.startsWith('/socket.io/')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'not_found', message: 'No such route.' } }));
        }
      }, (error: unknown) => logger.error({ err: error }, 'router crashed'));
    });
    const io = createIoServer(httpServer, { auth, logger, corsOrigins: config.CORS_ORIGINS });
    const adapter = await attachAdapter(io, config.REDIS_URL, logger);
    cleanups.push(() => adapter.close());
    const tableRouter = new TableRouter(io, config.NODE_ID, logger, adapter.kind !== 'none', (tableId) => ownerOf(dataSource, tableId));
    let requestMemo: RequestMemo | undefined;
    if (config.REDIS_URL) {
      const memo = await redisRequestMemo(config.REDIS_URL, logger);
      cleanups.push(() => memo.close());
      requestMemo = memo;
    }
    const endSessions = (playerId: string) => endPlayerSessions(io, playerId, 'logged_out');
    const sessionBus = config.REDIS_URL ? await redisSessionBus(config.REDIS_URL, logger, endSessions) : localSessionBus(endSessions);
    cleanups.push(() => sessionBus.close());
    routeDeps.onLogout = (playerId) => sessionBus.publishLogout(playerId);
    const playerLimiter = config.REDIS_URL
      ? await redisLimiter(config.REDIS_URL, config.PLAYER_EVENTS_PER_SECOND, logger)
      : memoryLimiter(config.PLAYER_EVENTS_PER_SECOND);
    cleanups.push(() => playerLimiter.close());
    const { tables, keeper } = await startTables(io, dataSource, logger, config, playerLimiter, { ...options, router: tableRouter, requestMemo });
    // Until the lease loop has let go of its leases, a failed start must not leave it renewing them.
    cleanups.push(() => keeper.stop());
    routeDeps.onTableCreated = async (row) => {
      // The least-loaded live node runs it: this one when alone (as always in standalone mode).
      await keeper.placeNewTable(row.id);
    };
    routeDeps.decorateTable = (tableId) => ({ seated: tables.get(tableId)?.summary().seated ?? 0 });
    routeDeps.tableControl = clusterTableControl(tableControl(tables), tables, tableRouter);
    routeDeps.seatsOf = (playerId) => tables.tablesOf(playerId).map((t) => ({ tableId: t.config.tableId, seat: t.seatNumberOf(playerId)! }));
    if (options.clusterWorker) {
      attachStickyWorker(io);
    } else {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.PORT, config.HOST, () => resolve());
      });
    }
    const port = options.clusterWorker ? config.PORT : (httpServer.address() as AddressInfo).port;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const felt: Felt = {
      config,
      url: `http://${host}:${port}`,
      port,
      dataSource,
      httpServer,
      logger,
      auth,
      io,
      tables,
      async close() {
        shuttingDown = true;
        // No table may be adopted once the tables are being stopped; the leases are still renewed while draining.
        await keeper.stopTaking();
        // Drain: players are told, no table deals again, hands in play finish (or are voided) and their
        // settlements commit, all before the tables stop and the pool closes. With SHUTDOWN_DRAIN_MS=0 the
        // tables stop at once; a hand cut off then stays in_progress and the next start voids it.
        if (config.SHUTDOWN_DRAIN_MS > 0) {
          io.emit('server:shutdown', { drainMs: config.SHUTDOWN_DRAIN_MS });
          const voided = await tables.drain(config.SHUTDOWN_DRAIN_MS);
          logger.info({ voidedHands: voided }, 'tables drained');
        }
        tables.stopAll();
        // Released leases let another node take the tables over at once instead of after the TTL.
        await keeper.stop();
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        for (const cleanup of cleanups.reverse()) await cleanup();
        cleanups.length = 0;
      },
    };
    return felt;
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

/** The admin routes' handle on live tables: close and reconfigure through each table's actor. */
function tableControl(tables: TableRegistry): TableControl {
  return {
    async close(tableId, waitMs) {
      const table = tables.get(tableId);
      if (!table) return tables.wasClosed(tableId) ? 'closed' : 'not_found';
      const ack = await table.ask({ type: 'table.close' });
      if (!ack.ok) return ack.error.code === 'table_closed' ? 'closed' : 'closing';
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'closing'>((resolve) => (timer = setTimeout(() => resolve('closing'), waitMs)));
      const outcome = await Promise.race([table.closed.then(() => 'closed' as const), waited]);
      clearTimeout(timer);
      return outcome;
    },
    async reconfigure(tableId) {
      const table = tables.get(tableId);
      if (!table) return false;
      const ack = await table.ask({ type: 'table.reconfigure', config: await tables.freshConfig(tableId) });
      return ack.ok && ack.applied === true;
    },
  };
}

/**
 * The admin routes' table control in a cluster: a table this process does not run is closed or
 * reconfigured by the node that runs it (an admin's HTTP request may reach any node or worker).
 */
function clusterTableControl(local: TableControl, tables: TableRegistry, router: TableRouter): TableControl {
  router.serveControl(async (op) => (op.op === 'close' ? local.close(op.tableId, op.waitMs) : local.reconfigure(op.tableId)));
  return {
    async close(tableId, waitMs) {
      if (tables.get(tableId) || tables.wasClosed(tableId) || !router.clustered) return local.close(tableId, waitMs);
      const remote = await router.control({ op: 'close', tableId, waitMs });
      return typeof remote === 'string' ? remote : 'not_found';
    },
    async reconfigure(tableId) {
      if (tables.get(tableId) || !router.clustered) return local.reconfigure(tableId);
      return (await router.control({ op: 'reconfigure', tableId })) === true;
    },
  };
}

/**
 * Takes this node's share of the table leases (recovering and starting each table under its lease),
 * then accepts socket events for the tables.
 */
async function startTables(
  io: FeltIo,
  dataSource: DataSource,
  logger: Logger,
  config: Config,
  player: PlayerLimiter,
  options: FeltOptions & { router: TableRouter; requestMemo?: RequestMemo },
): Promise<{ tables: TableRegistry; keeper: LeaseKeeper }> {
  // After the io server (and its adapter) exist and before the port opens: every handshake picks a protocol.
  installFrameProtocol(io);
  const tables = new TableRegistry({
    randomSeed: options.randomSeed,
    requestMemo: options.requestMemo,
    dataSource,
    logger,
    broadcaster: frameBroadcaster(io),
    handPauseMs: config.HAND_PAUSE_MS,
    seatTimers: { disconnectSitOutMs: config.SEAT_DISCONNECT_SITOUT_MS, sitOutStandUpMs: config.SEAT_SITOUT_STANDUP_MS },
    metrics: {
      handSettled: (variant, ms) => {
        metrics.handsTotal.inc({ variant });
        metrics.settlementLatency.observe(ms / 1000);
      },
      handVoided: (variant) => metrics.handsVoided.inc({ variant }),
    },
    onSeatsRestored: (table, playerIds) => {
      // Through rooms, so the players' sockets on every node join the table and get their seat back.
      const tableId = table.config.tableId;
      for (const playerId of playerIds) {
        io.in(playerRoom(playerId)).socketsJoin(tableRoom(tableId));
        // A fresh view (new seq) and the hole cards, not a copy of the last view: a reconnecting socket's
        // resume may send that one too.
        table.notify({ type: 'player.refresh', playerId });
      }
    },
  });
  const keeper = new LeaseKeeper(
    { dataSource, nodeId: config.NODE_ID, leaseTtlMs: config.LEASE_TTL_MS, leaseRenewMs: config.LEASE_RENEW_MS, logger },
    tables,
  );
  try {
    await keeper.start();
  } catch (error) {
    await keeper.stop();
    throw error;
  }
  metrics.setLiveSource(() => ({ ...tables.liveCounts(), connectedSockets: io.engine.clientsCount }));
  registerTableHandlers(io, tables, logger, {
    rejected: (code) => metrics.countRejectedAction(code),
    ackLatency: (ms) => metrics.actionLatency.observe(ms / 1000),
  }, { eventsPerSecond: config.SOCKET_EVENTS_PER_SECOND, burst: config.SOCKET_EVENT_BURST, player }, new ChatRoom(dataSource, chatSender(io), logger), options.router);
  return { tables, keeper };
}

/** The database to use: DATABASE_URL, or an embedded PostgreSQL started here. */
export async function resolveDatabase(config: Config, logger: Logger): Promise<{ url: string; embedded?: EmbeddedPg }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const dataDir = path.join(config.FELT_DATA_DIR, 'pg');
  logger.info({ dataDir, port: config.EMBEDDED_PG_PORT }, 'DATABASE_URL unset: starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, database: 'felt', logger });
  return { url: embedded.url, embedded };
}

export { HttpError };
