/**
 * A real redis-server for tests that need Redis, on a random port with persistence off. When the
 * binary is missing and we are root, the Debian package is installed; otherwise the test fails with a
 * one-line instruction.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../../client-sim/src/free-port';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

function findRedisServer(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** Returns the redis-server path, installing Debian's package as root when it is missing. */
export function ensureRedisServer(): string {
  const found = findRedisServer();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('redis-server is not installed: run `sudo apt-get install -y redis-server` and try again');
  }
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null'], {
    stdio: 'inherit',
    timeout: 300_000,
  });
  const installed = findRedisServer();
  if (!installed) throw new Error('installing redis-server did not provide /usr/bin/redis-server');
  return installed;
}

/** A running test Redis. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  /** Kills redis-server with SIGKILL (its data is lost: persistence is off) and starts a new one on the same port after `downMs`. */
  restartHard(downMs: number): Promise<void>;
}

/** Spawns redis-server on `port` and resolves once it accepts connections. */
async function spawnRedis(bin: string, port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}`));
    });
  });
  return child;
}

/** Resolves when `child` has exited, after sending it `signal`. */
function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Starts redis-server on a free loopback port and waits until it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const bin = ensureRedisServer();
  const port = await freePort();
  let child = await spawnRedis(bin, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => killAndWait(child, 'SIGTERM'),
    async restartHard(downMs) {
      await killAndWait(child, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await spawnRedis(bin, port);
    },
  };
}
