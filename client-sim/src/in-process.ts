/**
 * Boots a Felt server inside this process for a simulation run: an embedded PostgreSQL in a fresh temp
 * directory on a free port (or a given DATABASE_URL), no pause between hands, and admin bootstrap
 * credentials generated at random so nothing guessable is ever left behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import type { DataSource } from 'typeorm';
import { startFelt } from '../../server/src/boot';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';

/** A running in-process server and the admin credentials it was booted with. */
export interface InProcessFelt {
  url: string;
  admin: { username: string; password: string };
  /** The server's database connection, for benchmarks that read PostgreSQL's own statistics. */
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Options for the in-process boot. */
export interface InProcessOptions {
  /** Use this database instead of starting an embedded one (the jest run's cluster, for example). */
  databaseUrl?: string;
  logLevel?: string;
  /** Extra environment for loadConfig (e.g. DB_POOL_SIZE). */
  env?: Record<string, string>;
}

/** Starts Felt in-process; `close()` stops it and deletes the temp directory. */
export async function startInProcessFelt(options: InProcessOptions = {}): Promise<InProcessFelt> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'felt-sim-'));
  const admin = { username: `sim-admin-${randomBytes(3).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  const config = loadConfig({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    FELT_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    HAND_PAUSE_MS: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  });
  let felt;
  try {
    felt = await startFelt(config, createLogger(config.LOG_LEVEL));
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = felt;
  return {
    url: running.url,
    admin,
    dataSource: running.dataSource,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
