/**
 * `npm start`: boots Felt and shuts it down cleanly (including embedded PostgreSQL) on SIGINT/SIGTERM.
 * With FELT_WORKERS=N (N > 1) this process becomes the node:cluster primary and N workers serve.
 */
import cluster from 'node:cluster';
// First: a worker starts holding the primary's connection messages before anything else loads.
import './cluster/worker-inbox';
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger } from './logger';
import { startFelt } from './boot';
import { releaseEmbeddedPostgresExitHooks } from './persistence/embedded-postgres';
import { runPrimary, WORKER_READY } from './cluster/cluster-primary';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`felt: ${error.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.FELT_WORKERS > 1 && cluster.isPrimary) {
    await runPrimary(config, logger);
    process.exit(0);
  }
  await serve(config, logger, cluster.isWorker);
}

/** Runs one Felt server in this process (standalone, or one worker of a FELT_WORKERS primary). */
async function serve(config: Config, logger: ReturnType<typeof createLogger>, clusterWorker: boolean): Promise<void> {
  // Every worker takes its share of the table leases; the lease decides which one runs a table.
  const felt = await startFelt(config, logger, { clusterWorker });
  if (clusterWorker) {
    logger.info({ pid: process.pid }, 'Felt worker serving');
    process.send?.({ type: WORKER_READY });
  } else {
    const bound = felt.httpServer.address();
    const address = typeof bound === 'object' && bound ? `${bound.address}:${bound.port}` : String(bound);
    logger.info({ url: felt.url, address }, `Felt listening on ${address} (open ${felt.url}, health: ${felt.url}/readyz)`);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    felt.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // From here this process's signals are ours: the database must outlive the drain.
  releaseEmbeddedPostgresExitHooks();
}

main().catch((error: unknown) => {
  process.stderr.write(`felt: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
