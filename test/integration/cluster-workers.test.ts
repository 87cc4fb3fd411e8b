/**
 * `FELT_WORKERS=2 npm start` as a real process tree: the node:cluster primary listens on one port and
 * hands connections to two workers (sticky sessions, cluster adapter). A worker killed with SIGKILL is
 * replaced; two players whose sockets are on different workers share a table and play hands; SIGTERM
 * to the primary stops the workers and the primary exits 0.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../client-sim/src/free-port';
import { createEmptyDatabase } from '../helpers/db';
import { TEST_ADMIN } from '../helpers/server';
import { adminToken, createTable, get, seatPlayers, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const ROOT = path.join(__dirname, '../..');
const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '0.50', bigBlind: '1', minBuyIn: '20', maxBuyIn: '100' };

/** The pids of `pid`'s worker processes (tsx's esbuild helper is a child too, and is not counted). */
function childPids(pid: number): number[] {
  try {
    const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).toString().trim().split('\n');
    return lines.filter((line) => line.includes('server/src/main.ts')).map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    return [];
  }
}

/** Polls `check` every 200 ms until it holds; fails with `what` and the server's output after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms: number, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server output:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ready = (url: string) => fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);

describe('FELT_WORKERS=2: one port, two worker processes', () => {
  let primary: ChildProcess;
  let url: string;
  let output = '';
  const clients: TestClient[] = [];
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    primary = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        FELT_WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: await createEmptyDatabase(),
        TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HAND_PAUSE_MS: '0',
        SHUTDOWN_DRAIN_MS: '2000',
        SOCKET_EVENTS_PER_SECOND: '2000',
        SOCKET_EVENT_BURST: '2000',
        ...TEST_ADMIN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => ready(url), 120_000, 'the primary to answer /readyz', () => output);
  }, 150_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    if (primary && primary.exitCode === null) {
      for (const pid of childPids(primary.pid!)) process.kill(pid, 'SIGKILL');
      // Only our own processes are killed, by pid.
      primary.kill('SIGKILL');
    }
  });

  it('runs two workers and replaces one that was killed', async () => {
    const workers = childPids(primary.pid!);
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    await until(() => {
      const now = childPids(primary.pid!);
      return now.length === 2 && !now.includes(workers[0]!);
    }, 60_000, 'a replacement worker', () => output);
    const replacement = childPids(primary.pid!).find((pid) => pid !== workers[1])!;
    await until(() => output.includes(`"workerPid":${replacement},"msg":"worker ready"`), 120_000, 'the replacement to serve', () => output);
    await until(() => ready(url), 60_000, 'readiness after the replacement', () => output);
  }, 120_000);

  it('lets two players on different workers play hands at one table', async () => {
    const admin = await adminToken(url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD);
    const tableId = await createTable(url, admin, TABLE);
    const players = await seatPlayers(url, admin, tableId, 2, { wallet: '500', buyIn: '100' });
    clients.push(...players);
    // Least-connection balancing put one socket on each worker; a worker's gauge then counts one socket
    // (both on one worker would read 2 there and 0 on the other, where this request would then go).
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(/^felt_connected_sockets (\d+)/m.exec(metrics)?.[1]).toBe('1');
    await playHands(players, 3, passive, 60_000);
    for (const p of players) expect(p.results.length).toBeGreaterThanOrEqual(3);
    const body = await get(`${url}/api/tables`, admin);
    expect(body.status).toBe(200);
  }, 120_000);

  it('stops the workers and exits 0 on SIGTERM to the primary', async () => {
    const workers = childPids(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers).toHaveLength(2);
    expect(workers.filter(alive)).toEqual([]);
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
