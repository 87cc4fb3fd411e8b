/**
 * Starts one real PostgreSQL cluster for this test run: a fresh data directory under the OS temp dir
 * and a random free port, so tests never touch a developer's own database. Each test file then creates
 * its own database inside it (see test/helpers/db.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../server/src/persistence/embedded-postgres';
import { freePort } from '../../client-sim/src/free-port';

declare global {
  var __FELT_PG__: EmbeddedPg | undefined;
}

export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'felt-test-'));
  const port = await freePort();
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(root, 'pg'),
    port,
    database: 'felt_template',
    // Durability is not under test here; these settings only make the throwaway cluster faster.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  globalThis.__FELT_PG__ = pg;
  process.env.FELT_TEST_PG_URL = pg.url;
  process.env.FELT_TEST_ROOT = root;
}
