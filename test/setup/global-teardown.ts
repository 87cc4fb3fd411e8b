/** Stops the run's PostgreSQL cluster and removes its data directory. */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__FELT_PG__?.stop();
  const root = process.env.FELT_TEST_ROOT;
  if (root && root.includes('felt-test-')) rmSync(root, { recursive: true, force: true });
}
