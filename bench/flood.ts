/**
 * `npm run bench:flood [-- --tables 50 --seats 6 --duration 60s --echo-duration 20s --profile]`
 * `npm run bench:flood -- --workers 1,2 [--tables 50 --seats 6 --duration 60s]`: the same flood against
 * FELT_WORKERS=1 then 2 (see bench/flood-workers.ts), written to bench/results/flood-workers.json.
 *
 * Scenario: T tables × S bots (default 50 × 6) play as fast as the server lets them for the duration,
 * against a Felt server in its own process (embedded PostgreSQL, default durability: every settlement
 * commits synchronously), with the bots in this process. Then, in the same run, a raw Socket.IO echo
 * baseline (a plain server whose handler acks at once and broadcasts to a 6-socket room) is driven
 * with the same number of connections at the message rate Felt reached. Writes
 * bench/results/flood.json: hands/s, actions/s, ack p50/p99, the echo p50/p99 and our p99 ÷ echo p99.
 * With --profile the server records a CPU profile of the play phase only (inspector, started and stopped
 * by signals) to $TMPDIR/felt-flood-server.cpuprofile, and the top functions by self time are added.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io as connect, type Socket } from 'socket.io-client';
import { runSim } from '../client-sim/src/sim';
import { parseDuration } from '../client-sim/src/run';
import { Latency, type LatencySummary } from '../client-sim/src/stats';
import { summariseProfile } from './profile-summary';
import { floodSimOptions } from './flood-options';
import { parseWorkers, runWorkersFlood } from './flood-workers';

const ROOT = path.resolve(__dirname, '..');
const GOAL_HANDS_PER_SECOND = 555;
const GOAL_P99_RATIO = 2;

interface FloodArgs {
  tables: number;
  seats: number;
  durationMs: number;
  echoDurationMs: number;
  profile: boolean;
  out: string;
  /** Worker counts to compare (--workers 1,2); absent: the single-process flood with its echo baseline. */
  workers?: number[];
}

function parseFloodArgs(argv: string[]): FloodArgs {
  const args: FloodArgs = { tables: 50, seats: 6, durationMs: 60_000, echoDurationMs: 0, profile: false, out: path.join(ROOT, 'bench/results/flood.json') };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--tables': args.tables = Number(v()); break;
      case '--seats': args.seats = Number(v()); break;
      case '--duration': args.durationMs = parseDuration(v()); break;
      case '--echo-duration': args.echoDurationMs = parseDuration(v()); break;
      case '--profile': args.profile = true; break;
      case '--out': args.out = path.resolve(v()); break;
      case '--workers': args.workers = parseWorkers(v()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (args.workers && !argv.includes('--out')) args.out = path.join(ROOT, 'bench/results/flood-workers.json');
  if (!args.echoDurationMs) args.echoDurationMs = Math.min(args.durationMs, 30_000);
  return args;
}

/** A child's later stdout lines (JSON), for counters it prints on request. */
type Lines = Array<Record<string, unknown>>;

/** Starts a TypeScript child script and resolves with it and the JSON of its first stdout line. */
function startChild<T>(script: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; info: T; later: Lines }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const later: Lines = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let first = true;
    lines.on('line', (line) => {
      if (first) {
        first = false;
        resolve({ child, info: JSON.parse(line) as T, later });
      } else later.push(JSON.parse(line) as Record<string, unknown>);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
}

/** Asks a child for its next stdout line with SIGUSR2 and waits for it. */
async function sampleLine(child: ChildProcess, later: Lines): Promise<Record<string, unknown> | null> {
  const before = later.length;
  child.kill('SIGUSR2');
  for (let i = 0; i < 100 && later.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  return later[before] ?? null;
}

/** Asks the flood server for PostgreSQL counters and waits for its answer line. */
async function sampleCounters(child: ChildProcess, later: Lines): Promise<Record<string, number | null> | null> {
  const before = later.length;
  child.kill('SIGUSR2');
  for (let i = 0; i < 100 && later.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  return (later[before]?.counters as Record<string, number | null> | undefined) ?? null;
}

function delta(a: Record<string, number | null> | null, b: Record<string, number | null> | null, key: string): number | null {
  const x = a?.[key];
  const y = b?.[key];
  return typeof x === 'number' && typeof y === 'number' ? y - x : null;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Drives the echo server: `connections` sockets in rooms of `roomSize`, `rate` messages/s in total. */
async function runEcho(url: string, connections: number, roomSize: number, rate: number, durationMs: number): Promise<LatencySummary & { messagesPerSecond: number }> {
  const sockets: Socket[] = [];
  for (let i = 0; i < connections; i++) {
    const s = connect(url, { transports: ['websocket'], forceNew: true });
    sockets.push(s);
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    await new Promise<void>((resolve) => s.emit('join', `room-${Math.floor(i / roomSize)}`, () => resolve()));
  }
  const latency = new Latency();
  let sent = 0;
  const perSocketInterval = (connections / Math.max(rate, 1)) * 1000;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    sockets.map(async (s, i) => {
      const room = `room-${Math.floor(i / roomSize)}`;
      // Random phases spread the sends like independent players.
      await new Promise((r) => setTimeout(r, Math.random() * perSocketInterval));
      while (performance.now() < end) {
        const t0 = performance.now();
        await new Promise<void>((resolve) => s.emit('act', { room, n: sent++ }, () => resolve()));
        latency.record(performance.now() - t0);
        const wait = perSocketInterval - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  return { ...latency.summary(), messagesPerSecond: Math.round((latency.count / seconds) * 10) / 10 };
}

type Counters = Record<string, number | null> | null;

/** Plays the Felt part of the flood against a server child process; returns the sim report and what was measured around it. */
async function runFelt(args: FloodArgs, profileFile: string, log: (line: string) => void) {
  let countersAtStart: Counters = null;
  let countersAtStop: Counters = null;
  // The bots share this process; their CPU use shows whether the load generator itself was the limit.
  let botsCpuAtStart: NodeJS.CpuUsage | undefined;
  let botsCpuShare = 0;
  const { child: server, info, later } = await startChild<{ url: string; admin: { username: string; password: string } }>(
    'bench/flood-server.ts',
    args.profile ? { FLOOD_PROFILE_OUT: profileFile } : {},
  );
  const report = await runSim({
    url: info.url,
    admin: info.admin,
    ...floodSimOptions(args),
    log,
    hooks: {
      playStarted: async () => {
        botsCpuAtStart = process.cpuUsage();
        countersAtStart = await sampleCounters(server, later);
      },
      playStopped: async () => {
        const used = process.cpuUsage(botsCpuAtStart);
        botsCpuShare = (used.user + used.system) / 1000 / args.durationMs;
        countersAtStop = await sampleCounters(server, later);
      },
    },
  }).finally(() => stopChild(server));
  const commits = delta(countersAtStart, countersAtStop, 'commits');
  const serverCpuMs = delta(countersAtStart, countersAtStop, 'cpuMs');
  const actions = report.actionsPerSecond * report.durationSeconds;
  const serverCpu = {
    // The Felt node process only; the embedded PostgreSQL runs in processes of its own.
    serverCpuMsDuringPlay: serverCpuMs === null ? null : Math.round(serverCpuMs),
    serverCpuMsPerHand: serverCpuMs === null || report.handsAtStop === 0 ? null : Math.round((serverCpuMs / report.handsAtStop) * 1000) / 1000,
    serverCpuMsPerAction: serverCpuMs === null || actions === 0 ? null : Math.round((serverCpuMs / actions) * 1000) / 1000,
  };
  const database = {
    commitsDuringPlay: commits,
    commitsPerSecond: commits === null ? null : Math.round((commits / report.durationSeconds) * 10) / 10,
    commitsPerHand: commits === null || report.handsAtStop === 0 ? null : Math.round((commits / report.handsAtStop) * 100) / 100,
    walFsyncsDuringPlay: delta(countersAtStart, countersAtStop, 'walFsyncs'),
    walFsyncTimeMs: delta(countersAtStart, countersAtStop, 'walFsyncTimeMs'),
  };
  return { report, database, serverCpu, botProcessCpuCores: Math.round(botsCpuShare * 100) / 100 };
}

async function main(): Promise<void> {
  const args = parseFloodArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[flood] ${line}\n`);
  if (args.workers) return runWorkersFlood({ workers: args.workers, tables: args.tables, seats: args.seats, durationMs: args.durationMs, out: args.out }, log);
  // Kept out of the work tree: a profile is megabytes; its summary goes into the results file.
  const profileFile = path.join(tmpdir(), 'felt-flood-server.cpuprofile');
  rmSync(profileFile, { force: true });
  log(`Felt: ${args.tables} tables × ${args.seats} bots for ${args.durationMs / 1000} s on ${cpus().length} cores`);
  const { report, database, serverCpu, botProcessCpuCores } = await runFelt(args, profileFile, log);
  log(`database during play: ${JSON.stringify(database)}`);
  log(`Felt: ${report.hands} hands (${report.handsPerSecond}/s), ${report.actionsPerSecond} actions/s, ack p99 ${report.ackLatencyMs.p99} ms, conservation ${report.conservation.ok ? 'OK' : 'FAILED'}`);
  const profile = args.profile && existsSync(profileFile) ? profileFile : null;
  const connections = args.tables * args.seats;
  log(`echo baseline: ${connections} sockets at ${report.actionsPerSecond} msg/s for ${args.echoDurationMs / 1000} s`);
  const { child: echoServer, info: echoInfo, later: echoLines } = await startChild<{ url: string }>('bench/echo-server.ts');
  let echoCpuMs: number | null = null;
  const echo = await (async () => {
    const before = await sampleLine(echoServer, echoLines);
    const measured = await runEcho(echoInfo.url, connections, args.seats, report.actionsPerSecond, args.echoDurationMs);
    const after = await sampleLine(echoServer, echoLines);
    if (typeof before?.cpuMs === 'number' && typeof after?.cpuMs === 'number') echoCpuMs = after.cpuMs - before.cpuMs;
    return measured;
  })().finally(() => stopChild(echoServer));
  const ratio = echo.p99 > 0 ? Math.round((report.ackLatencyMs.p99 / echo.p99) * 100) / 100 : null;
  // Per acked message with its 6-socket broadcast (connecting the sockets is inside the window too).
  const echoCpuPerMessage = echoCpuMs === null || echo.count === 0 ? null : Math.round((echoCpuMs / echo.count) * 1000) / 1000;
  const cpuRatio = serverCpu.serverCpuMsPerAction === null || !echoCpuPerMessage ? null : Math.round((serverCpu.serverCpuMsPerAction / echoCpuPerMessage) * 100) / 100;
  const result = {
    scenario: { tables: args.tables, seatsPerTable: args.seats, durationSeconds: args.durationMs / 1000, strategy: 'mixed', variant: 'NT', connections },
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100) },
    felt: {
      hands: report.hands,
      handsPerSecond: report.handsPerSecond,
      actionsPerSecond: report.actionsPerSecond,
      ackLatencyMs: report.ackLatencyMs,
      settlementLatencyMs: report.settlementLatencyMs,
      unexpectedErrors: report.unexpectedErrors.count,
      // The first few, so a run that had any says what they were.
      unexpectedErrorSamples: report.unexpectedErrors.samples.slice(0, 10),
      brokeBots: report.brokeBots,
      framesPerAction: report.framesPerAction,
      conservationOk: report.conservation.ok,
      database,
      commitsPerHand: database.commitsPerHand,
      ...serverCpu,
      /** CPU seconds the bot process used per second of play (1.0 = one core fully busy). */
      botProcessCpuCores,
    },
    echo: { connections, roomSize: args.seats, targetMessagesPerSecond: report.actionsPerSecond, ...echo, serverCpuMsDuringRun: echoCpuMs, serverCpuMsPerMessage: echoCpuPerMessage },
    p99RatioFeltToEcho: ratio,
    cpuRatio,
    goals: {
      handsPerSecond: { goal: GOAL_HANDS_PER_SECOND, measured: report.handsPerSecond, met: report.handsPerSecond >= GOAL_HANDS_PER_SECOND },
      p99Ratio: { goal: GOAL_P99_RATIO, measured: ratio, met: ratio !== null && ratio <= GOAL_P99_RATIO },
    },
    ...(profile ? { serverProfile: { file: profile, ...summariseProfile(profile, 30) } } : {}),
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ felt: result.felt, echo: result.echo, p99RatioFeltToEcho: ratio, cpuRatio, goals: result.goals }, null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, args.out)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`flood failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
