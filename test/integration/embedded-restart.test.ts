/**
 * `npm start` with the embedded PostgreSQL, for real, as child processes: a server killed with
 * SIGKILL leaves its PostgreSQL running, and the next start must recognise and stop it; SIGTERM to
 * the `npm start` process must stop the server and its PostgreSQL. PostgreSQL processes are only ever
 * identified by the pid in the data directory's postmaster.pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../client-sim/src/free-port';
import { isAlive, readPostmasterLock } from '../../server/src/persistence/stale-postmaster';

const ROOT = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string, args: string[], env: Record<string, string>): Started {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'PORT', 'NODE_OPTIONS'].includes(k)));
  const child = spawn(command, args, { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, started?: Started): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${started?.output().slice(-3000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** Pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('npm start with the embedded PostgreSQL', () => {
  const spawned: Started[] = [];
  const pgDirs: string[] = [];
  afterAll(async () => {
    // Only processes this test started, by pid, in case an assertion failed halfway: the servers, then
    // any PostgreSQL still named by a postmaster.pid of this test's data directories.
    for (const s of spawned) if (s.child.exitCode === null && s.child.pid) s.child.kill('SIGTERM');
    await Promise.all(spawned.map((s) => s.exited));
    for (const dir of pgDirs) {
      const lock = readPostmasterLock(dir);
      if (!lock || !isAlive(lock.pid)) rmSync(path.dirname(dir), { recursive: true, force: true });
      else process.kill(lock.pid, 'SIGINT');
    }
  });

  it('recovers from a SIGKILLed server and SIGTERM to npm start leaves no PostgreSQL behind', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'felt-restart-'));
    const pgDir = path.join(dataDir, 'pg');
    pgDirs.push(pgDir);
    const env = {
      FELT_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TOKEN_SECRET: 'restart-test-secret-restart-test-secret-0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    };
    const url = `http://127.0.0.1:${env.PORT}`;

    // 1. The server process itself (no npm or shell in between), killed with SIGKILL once ready.
    const first = launch(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], env);
    spawned.push(first);
    await until('the first start to be ready', () => ready(url), 120_000, first);
    const stale = readPostmasterLock(pgDir)!;
    expect(stale.pid).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(stale.pid)).toBe(true);

    // 2. While that PostgreSQL runs without its server, `npm start` must stop it and become ready.
    const second = launch('npm', ['start'], env);
    spawned.push(second);
    await until('the start after SIGKILL to be ready', () => ready(url), 120_000, second);
    expect(isAlive(stale.pid)).toBe(false);
    const live = readPostmasterLock(pgDir)!;
    expect(live.pid).not.toBe(stale.pid);
    expect(second.output()).toContain('stopping the PostgreSQL left running by a Felt that did not shut down');

    // 3. A third start on the same data directory sees a live owner and leaves its PostgreSQL alone.
    const third = launch(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { ...env, PORT: String(await freePort()) });
    spawned.push(third);
    expect(await third.exited).not.toBe(0);
    expect(third.output()).toContain('another Felt');
    expect(isAlive(live.pid)).toBe(true);
    expect(await ready(url)).toBe(true);

    // 4. SIGTERM to the `npm start` process reaches the server, which stops its PostgreSQL.
    const below = childrenOf(second.child.pid!);
    expect(below.length).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await second.exited;
    await until('PostgreSQL to stop after SIGTERM to npm start', () => !isAlive(live.pid), 30_000, second);
    for (const pid of below) await until(`process ${pid} under npm start to exit`, () => !isAlive(pid), 30_000, second);
    expect(readPostmasterLock(pgDir)).toBeUndefined();
  });
});
