/**
 * `npm run migrate [-- run | revert | show]` against DATABASE_URL, or without it against the embedded
 * PostgreSQL of `npm start` (see cli-database.ts). `run` (the default) applies every pending migration,
 * `revert` undoes the latest one, `show` lists each migration as applied ([X]) or pending ([ ]).
 * Exit codes: 0 success (for `show`: nothing pending), 1 `show` found pending migrations, 2 usage or runtime error.
 */
import type { DataSource } from 'typeorm';
import { openCliDatabase } from './cli-database';
import { createDataSource } from './data-source';

const USAGE = 'usage: migrate [run | revert | show]';
const COMMANDS = ['run', 'revert', 'show'] as const;
type Command = (typeof COMMANDS)[number];

/** Runs one migrate command and returns the process exit code; lines go to `out`. */
export async function migrate(command: Command, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const db = await openCliDatabase(env, (line) => process.stderr.write(`migrate: ${line}\n`));
  const ds = createDataSource({ url: db.url, poolSize: 2, applicationName: 'felt-migrate' });
  try {
    await ds.initialize();
    if (command === 'run') {
      const applied = await ds.runMigrations({ transaction: 'each' });
      out(applied.length === 0 ? 'no pending migrations' : applied.map((m) => `applied ${m.name}`).join('\n'));
      return 0;
    }
    if (command === 'revert') {
      const before = await appliedNames(ds);
      await ds.undoLastMigration({ transaction: 'each' });
      out(before.length === 0 ? 'no migration to revert' : `reverted ${before[before.length - 1]}`);
      return 0;
    }
    const applied = new Set(await appliedNames(ds));
    const names = ds.migrations.map((m) => m.name ?? m.constructor.name);
    for (const name of names) out(`${applied.has(name) ? '[X]' : '[ ]'} ${name}`);
    return names.every((name) => applied.has(name)) ? 0 : 1;
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.close();
  }
}

/** Names of the applied migrations, oldest first (empty before the first run creates the table). */
async function appliedNames(ds: DataSource): Promise<string[]> {
  const exists = await ds.query(`SELECT to_regclass('public.migrations') IS NOT NULL AS present`) as { present: boolean }[];
  if (!exists[0]!.present) return [];
  const rows = await ds.query(`SELECT name FROM migrations ORDER BY id`) as { name: string }[];
  return rows.map((r) => r.name);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const command = (args[0] ?? 'run') as Command;
  if (args.length > 1 || !COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  try {
    process.exitCode = await migrate(command, process.env, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    process.stderr.write(`migrate: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main();
