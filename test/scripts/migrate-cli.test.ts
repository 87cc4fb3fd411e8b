/**
 * `npm run migrate` is the operator's way to apply or undo schema changes without starting the
 * server. Runs the real npm script against a fresh database of the test cluster.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { MIGRATIONS } from '../../server/src/persistence/migrations';
import { createEmptyDatabase } from '../helpers/db';

const ROOT = path.join(__dirname, '../..');
const runFile = promisify(execFile);

/** Runs `npm run -s migrate -- <args>` with DATABASE_URL set to `url`; never throws. */
async function migrate(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await runFile('npm', ['run', '-s', 'migrate', '--', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

async function appliedCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ n: string }>('SELECT count(*) AS n FROM migrations');
    return Number(rows.rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe('npm run migrate', () => {
  it('applies every migration, shows them, reverts the latest, and rejects an unknown command', async () => {
    const url = await createEmptyDatabase('felt_migrate');
    const pending = await migrate(url, ['show']);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toContain('[ ]');

    const run = await migrate(url, []);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(MIGRATIONS.length);
    expect(await appliedCount(url)).toBe(MIGRATIONS.length);
    expect((await migrate(url, ['run'])).stdout.trim()).toBe('no pending migrations');

    const shown = await migrate(url, ['show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('[ ]');

    const revert = await migrate(url, ['revert']);
    expect(revert.code).toBe(0);
    expect(revert.stdout).toMatch(/^reverted /);
    expect(await appliedCount(url)).toBe(MIGRATIONS.length - 1);

    const bad = await migrate(url, ['sideways']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: migrate');
  });
});
