/**
 * The database an operator command (`npm run hands`, `npm run reconcile`) reads. With DATABASE_URL set,
 * that database. Without it, the same embedded PostgreSQL `npm start` uses (FELT_DATA_DIR/pg on
 * EMBEDDED_PG_PORT): if Felt is running, that cluster is up and the command connects to it; if not,
 * the command starts it, and stops it again when done. The operator never needs its URL or password.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { createDataSource, migrationsApplied } from './data-source';
import { embeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres';

/** The database `felt` inside the embedded cluster, as boot.ts creates it. */
const EMBEDDED_DATABASE = 'felt';
/** How long to wait for a running cluster to answer before deciding that none is there. */
const CONNECT_TIMEOUT_MS = 5_000;

/** Where a CLI's database came from, and how to let go of it. */
export interface CliDatabase {
  url: string;
  /** `DATABASE_URL`; `running`: the embedded cluster of a running Felt; `started`: started for this command. */
  how: 'DATABASE_URL' | 'running' | 'started';
  /** Stops the cluster if this command started it; otherwise does nothing. */
  close(): Promise<void>;
}

/** Finds (or starts) the database for a CLI from `env`; `note` receives one line saying which it is. */
export async function openCliDatabase(env: NodeJS.ProcessEnv, note: (line: string) => void): Promise<CliDatabase> {
  // Only the database variables: a CLI must not fail for lack of, say, TOKEN_SECRET in production.
  const config = loadConfig({ DATABASE_URL: env.DATABASE_URL, FELT_DATA_DIR: env.FELT_DATA_DIR, EMBEDDED_PG_PORT: env.EMBEDDED_PG_PORT });
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, how: 'DATABASE_URL', close: async () => undefined };
  const dataDir = path.resolve(config.FELT_DATA_DIR, 'pg');
  const port = config.EMBEDDED_PG_PORT;
  const url = embeddedPostgresUrl(port, EMBEDDED_DATABASE);
  const running = await runningDataDir(url, port);
  if (running !== null) {
    if (!sameDir(running, dataDir)) {
      throw new Error(`port ${port} serves the embedded PostgreSQL of ${running}, not ${dataDir}; set FELT_DATA_DIR or EMBEDDED_PG_PORT to match, or DATABASE_URL`);
    }
    note(`DATABASE_URL unset: using the running embedded PostgreSQL (${dataDir}, port ${port})`);
    return { url, how: 'running', close: async () => undefined };
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`DATABASE_URL is unset and there is no embedded database in ${dataDir}: start Felt once (npm start), or set FELT_DATA_DIR or DATABASE_URL`);
  }
  note(`DATABASE_URL unset: starting the embedded PostgreSQL (${dataDir}, port ${port}) for this command`);
  const pg = await startEmbeddedPostgres({ dataDir, port, database: EMBEDDED_DATABASE });
  return { url: pg.url, how: 'started', close: () => pg.stop() };
}

/** The data directory of the cluster answering at `url`, or null when nothing listens on the port. */
async function runningDataDir(url: string, port: number): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') return null;
    // Something answers on the port but is not this Felt's cluster (or is still starting up).
    throw new Error(`could not use the embedded PostgreSQL on port ${port}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const rows = await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
    return rows.rows[0]!.dir;
  } finally {
    await client.end();
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
}

/**
 * Runs `fn` with an initialised DataSource on the CLI's database, then releases everything (stopping
 * a cluster it started, also on Ctrl-C). Refuses a database with pending migrations: the tools read
 * the current schema, and only the server (or `npm run migration:run`) changes it.
 */
export async function withCliDataSource<T>(name: string, env: NodeJS.ProcessEnv, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const db = await openCliDatabase(env, (line) => process.stderr.write(`${name}: ${line}\n`));
  const onSignal = () => {
    void db.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ds = createDataSource({ url: db.url, poolSize: 2, applicationName: `felt-${name}` });
  try {
    await ds.initialize();
    if (!(await migrationsApplied(ds))) throw new Error('the database has pending migrations: start Felt once (or run npm run migration:run) to apply them');
    return await fn(ds);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
