/**
 * A local Felt cluster on one machine, for the simulator (`npm run sim -- --nodes 3`) and the cluster
 * tests: one PostgreSQL (embedded, or a given DATABASE_URL), one real redis-server and N Felt node
 * processes (`node --import tsx server/src/main.ts`), each with its own NODE_ID and port. Every process
 * is controlled by its PID only (kill -9, SIGSTOP, SIGCONT, restart), and `close()` proves no child is
 * left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { descendants } from './process-tree';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../server/src/persistence/embedded-postgres';
import { createDataSource } from '../../server/src/persistence/data-source';

const ROOT = path.resolve(__dirname, '../..');
const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
/** How long a node may take from spawn to GET /readyz 200 (tsx compiles on the fly; 2 cores are shared). */
const DEFAULT_READY_TIMEOUT_MS = 120_000;
/** How long a SIGTERMed process may take to exit before it gets SIGKILL. */
const STOP_GRACE_MS = 10_000;

/** What a cluster is started with. */
export interface LocalClusterOptions {
  /** Number of Felt node processes (1..16). */
  nodes: number;
  /** Use this PostgreSQL database (already created, may be empty) instead of an embedded one. */
  databaseUrl?: string;
  /** Lease time-to-live handed to every node as LEASE_TTL_MS (default: the server's default). */
  leaseTtlMs?: number;
  /** Extra environment for every node (wins over the launcher's defaults). */
  env?: Record<string, string>;
  /** LOG_LEVEL of the nodes (default FELT_CLUSTER_LOG_LEVEL, else warn); their output goes to <dir>/node-<i>.log. */
  logLevel?: string;
  readyTimeoutMs?: number;
  /** Status lines; default none. */
  log?: (line: string) => void;
}

/** One Felt node process of the cluster. */
export interface ClusterNode {
  index: number;
  nodeId: string;
  url: string;
  port: number;
  /** PID of the running process, or null while it is down. */
  pid: number | null;
  /** 'up' (running), 'paused' (SIGSTOP), 'down' (exited or killed). */
  state: 'up' | 'paused' | 'down';
  logFile: string;
}

/** Finds redis-server or explains how to get it. */
export function redisServerPath(): string {
  const found = REDIS_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error('redis-server is not installed: run `sudo apt-get install -y redis-server` and try again');
  return found;
}

/** True while a process with this PID exists (a zombie of ours counts until reaped). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `signal` to `child` and resolves once it exited; SIGKILL after `graceMs`. */
function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** The last `lines` lines of a log file, for error messages. */
function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A running local cluster. */
export class LocalCluster {
  readonly nodes: ClusterNode[] = [];
  readonly admin = { username: `cluster-admin-${randomBytes(3).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  databaseUrl = '';
  redisUrl = '';
  private redisPort = 0;
  private redis: ChildProcess | null = null;
  private pg: EmbeddedPg | null = null;
  private readonly children = new Map<number, ChildProcess>();
  private readonly everyPid = new Set<number>();
  private readonly tokenSecret = randomBytes(32).toString('hex');
  private readonly log: (line: string) => void;
  private readonly onExit = () => this.killAllNow();

  private constructor(
    readonly dir: string,
    private readonly options: LocalClusterOptions,
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** Starts PostgreSQL, redis-server and the nodes; on any failure everything started is stopped again. */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 16) throw new Error('nodes must be 1..16');
    const cluster = new LocalCluster(mkdtempSync(path.join(tmpdir(), 'felt-cluster-')), options);
    process.once('exit', cluster.onExit);
    try {
      await cluster.boot();
      return cluster;
    } catch (error) {
      await cluster.close().catch(() => undefined);
      throw error;
    }
  }

  private async boot(): Promise<void> {
    if (this.options.databaseUrl) this.databaseUrl = this.options.databaseUrl;
    else {
      this.log('starting PostgreSQL (embedded)…');
      this.pg = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'pg'), port: await freePort(), database: 'felt' });
      this.databaseUrl = this.pg.url;
    }
    this.redisPort = await freePort();
    this.redisUrl = `redis://127.0.0.1:${this.redisPort}`;
    await this.startRedis();
    for (let i = 0; i < this.options.nodes; i++) {
      const port = await freePort();
      this.nodes.push({ index: i, nodeId: `node-${i}`, url: `http://127.0.0.1:${port}`, port, pid: null, state: 'down', logFile: path.join(this.dir, `node-${i}.log`) });
    }
    // The launcher applies the migrations itself, once, so the nodes (which take seconds each to boot)
    // can all start together without racing to migrate.
    this.log('applying migrations…');
    const ds = createDataSource({ url: this.databaseUrl, poolSize: 2, applicationName: 'felt-local-cluster' });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
    this.log(`starting ${this.options.nodes} Felt nodes…`);
    await Promise.all(this.nodes.map((n) => this.launch(n.index)));
  }

  /** The URLs of the nodes, in order. */
  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** Every PID this cluster ever started (nodes, redis-server), for orphan checks. */
  get pids(): number[] {
    return [...this.everyPid];
  }

  private nodeEnv(node: ClusterNode): Record<string, string> {
    return {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(node.port),
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      NODE_ID: node.nodeId,
      FELT_DATA_DIR: path.join(this.dir, node.nodeId),
      LOG_LEVEL: this.options.logLevel ?? process.env.FELT_CLUSTER_LOG_LEVEL ?? 'warn',
      // Every node must verify tokens any other node signed.
      TOKEN_SECRET: this.tokenSecret,
      ADMIN_USERNAME: this.admin.username,
      ADMIN_PASSWORD: this.admin.password,
      RUN_MIGRATIONS: 'false',
      HAND_PAUSE_MS: '0',
      SHUTDOWN_DRAIN_MS: '0',
      SOCKET_EVENTS_PER_SECOND: '2000',
      SOCKET_EVENT_BURST: '2000',
      PLAYER_EVENTS_PER_SECOND: '5000',
      ...(this.options.leaseTtlMs ? { LEASE_TTL_MS: String(this.options.leaseTtlMs) } : {}),
      ...this.options.env,
    };
  }

  /** Spawns node `index` and waits for its /readyz. */
  private async launch(index: number): Promise<void> {
    const node = this.nodes[index]!;
    mkdirSync(path.join(this.dir, node.nodeId), { recursive: true });
    const out: WriteStream = createWriteStream(node.logFile, { flags: 'a' });
    const env = { ...process.env, ...this.nodeEnv(node) };
    // Variables of the launching shell that would change a node's role are not inherited.
    delete env.FELT_WORKERS;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    const pid = child.pid!;
    this.children.set(pid, child);
    this.everyPid.add(pid);
    node.pid = pid;
    node.state = 'up';
    child.once('exit', () => {
      this.children.delete(pid);
      out.end();
      if (node.pid === pid) {
        node.pid = null;
        node.state = 'down';
      }
    });
    await this.waitReady(node, child);
    this.log(`${node.nodeId} ready at ${node.url} (pid ${pid})`);
  }

  private async waitReady(node: ClusterNode, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${node.nodeId} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(node.logFile)}`);
      }
      try {
        const res = await fetch(`${node.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await sleep(150);
    }
    throw new Error(`${node.nodeId} was not ready within ${this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms:\n${tail(node.logFile)}`);
  }

  private child(index: number): ChildProcess {
    const node = this.nodes[index];
    if (!node) throw new Error(`no node ${index}`);
    const child = node.pid === null ? undefined : this.children.get(node.pid);
    if (!child) throw new Error(`${node.nodeId} is not running`);
    return child;
  }

  /** kill -9 of node `index`; resolves once the process is gone. */
  async kill9(index: number): Promise<void> {
    const child = this.child(index);
    this.log(`kill -9 ${this.nodes[index]!.nodeId} (pid ${child.pid})`);
    await stopProcess(child, 'SIGKILL');
  }

  /** SIGSTOP of node `index`: the process stays, frozen, holding its sockets and its (expiring) leases. */
  stop(index: number): void {
    const child = this.child(index);
    this.log(`SIGSTOP ${this.nodes[index]!.nodeId} (pid ${child.pid})`);
    child.kill('SIGSTOP');
    this.nodes[index]!.state = 'paused';
  }

  /** SIGCONT of a paused node `index`. */
  cont(index: number): void {
    const child = this.child(index);
    this.log(`SIGCONT ${this.nodes[index]!.nodeId} (pid ${child.pid})`);
    child.kill('SIGCONT');
    this.nodes[index]!.state = 'up';
  }

  /** Starts node `index` again on its port with its NODE_ID (after kill9, or stops it cleanly first). */
  async restart(index: number): Promise<void> {
    const node = this.nodes[index]!;
    if (node.pid !== null) {
      const child = this.child(index);
      if (node.state === 'paused') child.kill('SIGCONT');
      await stopProcess(child, 'SIGTERM');
    }
    await this.launch(index);
  }

  private async startRedis(): Promise<void> {
    const child = spawn(redisServerPath(), ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.everyPid.add(child.pid!);
    this.redis = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code}: ${seen.slice(-500)}`));
      });
    });
  }

  /** Kills redis-server (-9 when `hard`), waits `downMs`, and starts it again on the same port (empty). */
  async restartRedis(options: { hard?: boolean; downMs?: number } = {}): Promise<void> {
    if (this.redis) await stopProcess(this.redis, options.hard ? 'SIGKILL' : 'SIGTERM');
    this.log(`redis-server stopped (${options.hard ? 'SIGKILL' : 'SIGTERM'}); restarting on port ${this.redisPort}`);
    if (options.downMs) await sleep(options.downMs);
    await this.startRedis();
  }

  /** One node's /metrics text, or null when it does not answer within `timeoutMs`. */
  async metricsText(index: number, timeoutMs = 3_000): Promise<string | null> {
    try {
      const res = await fetch(`${this.nodes[index]!.url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  }

  /** Runs one SQL statement against the cluster's database. */
  async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * Stops every node and redis-server (and the embedded PostgreSQL), then checks that neither they nor
   * any process they started (tsx's esbuild service, for one) survives. Returns the PIDs that had to be
   * killed after the grace period: empty on a clean teardown.
   */
  async close(): Promise<{ orphans: number[] }> {
    process.removeListener('exit', this.onExit);
    const live = this.liveChildren();
    const spawned = live.flatMap((c) => descendants(c.pid!));
    // Nodes first, then redis-server, so no node spends its last moments reporting a lost Redis.
    await Promise.all(
      live
        .filter((child) => child !== this.redis)
        .map((child) => {
          // A stopped process cannot handle SIGTERM until it runs again.
          child.kill('SIGCONT');
          return stopProcess(child, 'SIGTERM');
        }),
    );
    if (this.redis) await stopProcess(this.redis, 'SIGTERM');
    await this.pg?.stop();
    // Grandchildren exit when their parent's pipes close; give them a moment, then report and kill the rest.
    const deadline = Date.now() + 3_000;
    let orphans = spawned.filter((p) => p.alive());
    while (orphans.length > 0 && Date.now() < deadline) {
      await sleep(100);
      orphans = orphans.filter((p) => p.alive());
    }
    for (const p of orphans) p.kill();
    // FELT_CLUSTER_KEEP=1 keeps the nodes' logs (and data) for a post-mortem.
    if (process.env.FELT_CLUSTER_KEEP === '1') this.log(`kept the cluster's logs in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
    return { orphans: orphans.map((p) => p.pid) };
  }

  /** Node and redis-server processes that have not exited. */
  private liveChildren(): ChildProcess[] {
    const all = [...this.children.values(), ...(this.redis ? [this.redis] : [])];
    return all.filter((c) => c.exitCode === null && c.signalCode === null);
  }

  /** Last resort when the launching process exits without close(): no child outlives it. */
  private killAllNow(): void {
    for (const child of this.liveChildren()) child.kill('SIGKILL');
  }
}

/** Sums every sample of the Prometheus counter `name` in a /metrics text (0 when absent). */
export function sumCounter(metricsText: string, name: string): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.trim().split(/\s+/).pop());
    if (Number.isFinite(value)) total += value;
  }
  return total;
}
