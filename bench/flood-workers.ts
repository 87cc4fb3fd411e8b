/**
 * `npm run bench:flood -- --workers 1,2 [--tables 50 --seats 6 --duration 60s]`
 *
 * The same flood as bench/flood.ts (T tables × S bots playing as fast as the server lets them), run
 * once per worker count against `FELT_WORKERS=N node --import tsx server/src/main.ts`: one port, N
 * worker processes. Each run gets a fresh database in one embedded PostgreSQL (default durability).
 * Server CPU is read from /proc/<pid>/stat of the primary and every process under it (the workers),
 * at play start and stop, and divided by the hands settled in between. Writes
 * bench/results/flood-workers.json with every run and the scaling ratio (hands/s of the last run ÷
 * hands/s of the first).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runSim } from '../client-sim/src/sim';
import { freePort } from '../client-sim/src/free-port';
import { descendants } from '../client-sim/src/process-tree';
import { floodSimOptions } from './flood-options';
import { startEmbeddedPostgres, type EmbeddedPg } from '../server/src/persistence/embedded-postgres';

const ROOT = path.resolve(__dirname, '..');
/** How long a Felt primary may take until its workers answer /readyz. */
const READY_TIMEOUT_MS = 120_000;

/** The flood's shape, shared with bench/flood.ts. */
export interface WorkersFloodArgs {
  workers: number[];
  tables: number;
  seats: number;
  durationMs: number;
  out: string;
}

/** Parses "1,2" into worker counts (1..16 each, at most 8 runs). */
export function parseWorkers(text: string): number[] {
  const counts = text.split(',').map((x) => Number(x.trim()));
  if (counts.length === 0 || counts.length > 8 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
    throw new Error(`--workers needs 1..8 comma-separated counts of 1..16, got "${text}"`);
  }
  return counts;
}

/** Clock ticks per second for /proc/<pid>/stat times. */
function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of `pid` in ms, or 0 when it is gone. */
function processCpuMs(pid: number, ticks: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) are utime and stime; after the command name they are at 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000;
  } catch {
    return 0;
  }
}

/** CPU ms of the primary and every process under it, per PID (a worker that is gone keeps its last reading). */
function treeCpu(primary: number, ticks: number): Map<number, number> {
  const out = new Map<number, number>([[primary, processCpuMs(primary, ticks)]]);
  for (const d of descendants(primary)) out.set(d.pid, processCpuMs(d.pid, ticks));
  return out;
}

/** A FELT_WORKERS server running in a child process. */
interface WorkersServer {
  url: string;
  child: ChildProcess;
  admin: { username: string; password: string };
}

async function createDatabase(pgUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startWorkersServer(workers: number, databaseUrl: string, logFile: string): Promise<WorkersServer> {
  const port = await freePort();
  const admin = { username: `flood-admin-${randomBytes(3).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    FELT_WORKERS: String(workers),
    FELT_DATA_DIR: path.join(path.dirname(logFile), `felt-${workers}`),
    LOG_LEVEL: 'error',
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    HAND_PAUSE_MS: '0',
    SHUTDOWN_DRAIN_MS: '0',
    // The same limits as the single-process flood server (bench/flood-server.ts).
    SOCKET_EVENTS_PER_SECOND: process.env.FLOOD_SOCKET_RATE ?? '200',
    SOCKET_EVENT_BURST: process.env.FLOOD_SOCKET_BURST ?? '400',
    DB_POOL_SIZE: process.env.FLOOD_DB_POOL ?? '20',
  };
  delete env.REDIS_URL;
  delete env.NODE_ID;
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FELT_WORKERS=${workers} server exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ok) return { url, child, admin };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`FELT_WORKERS=${workers} server not ready within ${READY_TIMEOUT_MS} ms; see ${logFile}`);
}

/** SIGTERM to the primary (it stops its workers), SIGKILL to any process of its tree left after 15 s. */
async function stopWorkersServer(server: WorkersServer): Promise<number[]> {
  const tree = descendants(server.child.pid!);
  if (server.child.exitCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
      server.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      server.child.kill('SIGTERM');
    });
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const left = tree.filter((d) => d.alive());
  for (const d of left) d.kill();
  return left.map((d) => d.pid);
}

/** One flood against FELT_WORKERS=`workers`. */
async function floodOnce(args: WorkersFloodArgs, workers: number, pgUrl: string, dir: string, log: (line: string) => void) {
  const databaseUrl = await createDatabase(pgUrl, `flood_w${workers}_${randomBytes(3).toString('hex')}`);
  const logFile = path.join(dir, `felt-workers-${workers}.log`);
  const server = await startWorkersServer(workers, databaseUrl, logFile);
  const ticks = clockTicks();
  let atStart = new Map<number, number>();
  let atStop = new Map<number, number>();
  let leftovers: number[] = [];
  log(`FELT_WORKERS=${workers}: ${args.tables} tables × ${args.seats} bots for ${args.durationMs / 1000} s (primary pid ${server.child.pid})`);
  const report = await runSim({
    url: server.url,
    admin: server.admin,
    ...floodSimOptions(args),
    log,
    hooks: {
      playStarted: () => void (atStart = treeCpu(server.child.pid!, ticks)),
      playStopped: () => void (atStop = treeCpu(server.child.pid!, ticks)),
    },
  }).finally(async () => {
    leftovers = await stopWorkersServer(server);
  });
  let cpuMs = 0;
  for (const [pid, end] of atStop) cpuMs += end - (atStart.get(pid) ?? 0);
  return {
    workers,
    processes: atStop.size,
    hands: report.hands,
    handsAtStop: report.handsAtStop,
    handsPerSecond: report.handsPerSecond,
    actionsPerSecond: report.actionsPerSecond,
    ackLatencyMs: report.ackLatencyMs,
    settlementLatencyMs: report.settlementLatencyMs,
    unexpectedErrors: report.unexpectedErrors.count,
    unexpectedSamples: report.unexpectedErrors.samples.slice(0, 5),
    conservationOk: report.conservation.ok,
    serverCpuMsDuringPlay: Math.round(cpuMs),
    serverCpuMsPerHand: report.handsAtStop > 0 ? Math.round((cpuMs / report.handsAtStop) * 1000) / 1000 : null,
    /** CPU cores the server's processes used on average during play. */
    serverCpuCores: Math.round((cpuMs / report.durationSeconds / 1000) * 100) / 100,
    leftoverProcessesKilled: leftovers.length,
  };
}

/** Runs the flood once per worker count and writes the results file. */
export async function runWorkersFlood(args: WorkersFloodArgs, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'felt-flood-workers-'));
  let pg: EmbeddedPg | null = null;
  try {
    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'felt' });
    const runs = [];
    for (const workers of args.workers) runs.push(await floodOnce(args, workers, pg.url, dir, log));
    const first = runs[0]!;
    const last = runs[runs.length - 1]!;
    const result = {
      scenario: { tables: args.tables, seatsPerTable: args.seats, durationSeconds: args.durationMs / 1000, strategy: 'mixed', variant: 'NT', connections: args.tables * args.seats },
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100) },
      runs,
      /** hands/s with the most workers ÷ hands/s with the fewest (the order given). */
      scalingRatio: first.handsPerSecond > 0 ? Math.round((last.handsPerSecond / first.handsPerSecond) * 100) / 100 : null,
      note: 'Bots, PostgreSQL and the server share the machine; serverCpu* counts the Felt primary and its workers only.',
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(path.dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ runs: runs.map(({ ackLatencyMs, settlementLatencyMs, ...r }) => ({ ...r, ackP99Ms: ackLatencyMs.p99, settleP99Ms: settlementLatencyMs.p99 })), scalingRatio: result.scalingRatio }, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, args.out)}`);
    await pg.stop();
    pg = null;
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    log(`failed; the servers' logs are kept in ${dir}`);
    throw error;
  } finally {
    await pg?.stop();
  }
}
