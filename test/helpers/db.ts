/**
 * Per-test-file databases inside the run's PostgreSQL cluster: each file gets its own freshly
 * migrated database, so files can run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../server/src/persistence/data-source';

/** The cluster URL that global-setup started; throws when tests run without it. */
export function clusterUrl(): string {
  const url = process.env.FELT_TEST_PG_URL;
  if (!url) throw new Error('FELT_TEST_PG_URL is not set: run tests through jest (global-setup starts PostgreSQL)');
  return url;
}

/** Creates an empty database and returns its URL. */
export async function createEmptyDatabase(prefix = 'felt_t'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: clusterUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database, runs every migration, and returns an initialised DataSource on it. */
export async function createMigratedDataSource(poolSize = 10): Promise<DataSource> {
  const url = await createEmptyDatabase();
  const ds = createDataSource({ url, poolSize, applicationName: 'felt-test' });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
