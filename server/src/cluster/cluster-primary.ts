/**
 * `FELT_WORKERS=N npm start`: this process is the node:cluster primary. It owns the embedded
 * PostgreSQL when DATABASE_URL is unset (started once, its URL handed to every worker), listens on the
 * one port and passes each connection to a worker with @socket.io/sticky (so a polling session always
 * reaches the worker that holds it), and relays the workers' cluster-adapter messages. Workers start
 * one after the other, so migrations and the first-start files are done by the first one alone.
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { setupMaster } from '@socket.io/sticky';
import { setupPrimary } from '@socket.io/cluster-adapter';
import type { Config } from '../config';
import { resolveDatabase } from '../boot';
import { releaseEmbeddedPostgresExitHooks } from '../persistence/embedded-postgres';

/** The message a worker sends once it serves. */
export const WORKER_READY = 'felt:worker-ready';
/** Most worker replacements within RESTART_WINDOW_MS; past it the primary gives up and stops. */
export const MAX_RESTARTS = 5;
/** The window MAX_RESTARTS counts over. */
export const RESTART_WINDOW_MS = 60_000;
/** How long a worker may take to start (migrations included). */
export const WORKER_START_TIMEOUT_MS = 120_000;
/**
 * The connection count a booting worker shows @socket.io/sticky's least-connection balancing (which
 * reads `worker.clientsCount`), so that new clients go to workers that already serve while any exists.
 */
const BOOTING_CLIENTS = 1_000_000;
/** Extra time a worker gets beyond the drain to stop before it is killed. */
export const WORKER_STOP_GRACE_MS = 15_000;

/** Runs the primary until SIGINT/SIGTERM; resolves once workers and the database stopped. */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const { url, embedded } = await resolveDatabase(config, logger);
  const baseNodeId = process.env.NODE_ID ?? hostname();
  // Workers get their slot's stable node id, so a replaced worker is recognised as the one it replaces.
  const slots = new Map<Worker, number>();
  let stopping = false;
  const restarts: number[] = [];
  cluster.setupPrimary({ serialization: 'advanced' });
  setupPrimary();
  const httpServer = createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });

  const fork = (slot: number): Promise<Worker> => {
    const worker = cluster.fork({ DATABASE_URL: url, NODE_ID: `${baseNodeId}-w${slot}`, FELT_CLUSTER_WORKER: '1' });
    slots.set(worker, slot);
    const counted = worker as Worker & { clientsCount?: number };
    counted.clientsCount = BOOTING_CLIENTS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${slot} did not start within ${WORKER_START_TIMEOUT_MS} ms`)), WORKER_START_TIMEOUT_MS);
      worker.on('message', (message: unknown) => {
        if ((message as { type?: unknown } | null)?.type !== WORKER_READY) return;
        clearTimeout(timer);
        counted.clientsCount = (counted.clientsCount ?? BOOTING_CLIENTS) - BOOTING_CLIENTS;
        logger.info({ slot, workerPid: worker.process.pid }, 'worker ready');
        resolve(worker);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker ${slot} exited with code ${code} while starting`));
      });
    });
  };

  const stopDatabase = async () => {
    if (embedded) await embedded.stop().catch((error: unknown) => logger.error({ err: error }, 'embedded PostgreSQL did not stop'));
  };
  try {
    for (let slot = 0; slot < config.FELT_WORKERS; slot++) await fork(slot);
  } catch (error) {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    await stopDatabase();
    throw error;
  }

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker);
    slots.delete(worker);
    if (stopping || slot === undefined) return;
    const now = Date.now();
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      logger.fatal({ slot, code, signal }, `workers died ${MAX_RESTARTS} times within ${RESTART_WINDOW_MS} ms; stopping`);
      process.kill(process.pid, 'SIGTERM');
      return;
    }
    restarts.push(now);
    logger.error({ slot, code, signal }, 'worker died; starting a replacement');
    fork(slot).catch((error: unknown) => logger.error({ err: error, slot }, 'replacement worker failed to start'));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  logger.info({ port: config.PORT, workers: config.FELT_WORKERS, databaseEmbedded: !!embedded }, `Felt primary listening on ${config.HOST}:${config.PORT} with ${config.FELT_WORKERS} workers`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping workers');
      httpServer.close();
      stopWorkers(config.SHUTDOWN_DRAIN_MS + WORKER_STOP_GRACE_MS).then(resolve, resolve);
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    // The workers drain against the database this primary stops last (see releaseEmbeddedPostgresExitHooks).
    releaseEmbeddedPostgresExitHooks();
  });
  await stopDatabase();
}

/** SIGTERMs every worker (each drains its tables) and waits; stragglers are killed after `graceMs`. */
async function stopWorkers(graceMs: number): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    ),
  );
}
