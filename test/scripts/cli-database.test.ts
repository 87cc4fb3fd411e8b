/**
 * The operator CLIs without DATABASE_URL: they find the embedded PostgreSQL of `npm start` under
 * FELT_DATA_DIR themselves, connecting to it while Felt runs and starting it (then stopping it) when
 * it does not. Runs the real npm scripts against a real embedded cluster in a temporary data directory.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createDataSource } from '../../server/src/persistence/data-source';
import { embeddedPostgresUrl } from '../../server/src/persistence/embedded-postgres';
import { openCliDatabase } from '../../server/src/persistence/cli-database';
import { startHand } from '../../server/src/persistence/hands';
import { voidHand } from '../../server/src/ledger/transactions';
import { DECK_MERKLE_SCHEME } from '../../shared/engine/deck-commitment';
import { createTestTable, seedPair } from '../helpers/ledger-fixtures';
import { freePort } from '../../client-sim/src/free-port';
import { startClusterProcess, type ClusterProcess } from '../helpers/embedded-pg-process';

const ROOT = path.join(__dirname, '../..');
const runFile = promisify(execFile);

/** Runs `npm run -s <args>` as an operator would, with DATABASE_URL unset; never throws. */
async function npmRun(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete clean.DATABASE_URL;
  try {
    const { stdout, stderr } = await runFile('npm', ['run', '-s', ...args], { cwd: ROOT, env: clean });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/** True when something accepts PostgreSQL logins at `url`. */
async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

describe('hands and reconcile CLIs without DATABASE_URL', () => {
  let dataRoot: string;
  let port: number;
  let env: Record<string, string>;
  let server: ClusterProcess | undefined;
  const startAsFeltDoes = () => startClusterProcess(path.join(dataRoot, 'pg'), port);

  beforeAll(async () => {
    dataRoot = mkdtempSync(path.join(tmpdir(), 'felt-cli-'));
    port = await freePort();
    env = { FELT_DATA_DIR: dataRoot, EMBEDDED_PG_PORT: String(port) };
    // What `npm start` leaves behind: a migrated embedded cluster, here with one (voided) hand in it.
    server = await startAsFeltDoes();
    const ds = createDataSource({ url: server.url, poolSize: 2 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    // A hand voided before its first event: the smallest hand that verifies.
    const { seed, commitment } = seedPair();
    const engine = { variant: 'NT', unit: '1', smallBlind: '1', bigBlind: '2', ante: '0', minBet: '2', rakePercent: '0', rakeCap: '0' };
    const seats = [0, 1].map((seat) => ({ seat, playerId: randomUUID(), stack: '100' }));
    const { handId } = await startHand(ds, {
      tableId: await createTestTable(ds), buttonSeat: 0, commitment, commitmentScheme: DECK_MERKLE_SCHEME,
      config: { tableName: 'cli', maxSeats: 6, engine, seats },
    });
    await voidHand(ds, { handId, reason: 'cli test', idempotencyKey: `void:${handId}`, seed });
    await ds.destroy();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('connects to the embedded cluster of a running Felt and leaves it running', async () => {
    const out = await npmRun(['reconcile'], env);
    expect(out.stderr).toContain('using the running embedded PostgreSQL');
    expect(out.code).toBe(0);
    const verify = await npmRun(['hands', '--', 'verify', '--all'], env);
    expect(verify.stdout.trim().split('\n').at(-1)).toBe('1 verified, 0 with differences');
    expect(verify.code).toBe(0);
    expect(await answers(server!.url)).toBe(true);
  }, 120_000);

  it('starts the embedded cluster for the command when Felt is not running, and stops it after', async () => {
    await server!.stop();
    server = undefined;
    expect(await answers(embeddedPostgresUrl(port, 'felt'))).toBe(false);
    const verify = await npmRun(['hands', '--', 'verify', '--all'], env);
    expect(verify.stderr).toContain('starting the embedded PostgreSQL');
    expect(verify.stdout.trim().split('\n').at(-1)).toBe('1 verified, 0 with differences');
    expect(verify.code).toBe(0);
    expect(await answers(embeddedPostgresUrl(port, 'felt'))).toBe(false);
    expect(existsSync(path.join(dataRoot, 'pg', 'postmaster.pid'))).toBe(false);
    server = await startAsFeltDoes();
  }, 120_000);

  it('says what is wrong when there is no embedded database, or the port serves another one', async () => {
    server ??= await startAsFeltDoes();
    const empty = mkdtempSync(path.join(tmpdir(), 'felt-cli-empty-'));
    try {
      const note = () => undefined;
      await expect(openCliDatabase({ FELT_DATA_DIR: empty, EMBEDDED_PG_PORT: String(await freePort()) }, note)).rejects.toThrow(/no embedded database in/);
      await expect(openCliDatabase({ FELT_DATA_DIR: empty, EMBEDDED_PG_PORT: String(port) }, note)).rejects.toThrow(/serves the embedded PostgreSQL of/);
      const out = await npmRun(['hands', '--', 'verify', '--all'], { FELT_DATA_DIR: empty, EMBEDDED_PG_PORT: String(await freePort()) });
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('no embedded database in');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const given = await openCliDatabase({ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' }, () => undefined);
    expect(given).toMatchObject({ how: 'DATABASE_URL', url: 'postgres://u:p@127.0.0.1:1/x' });
  }, 120_000);
});
