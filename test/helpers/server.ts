/** Boots the real Felt server on a random port against a fresh database of the run's cluster. */
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { startFelt, type Felt, type FeltOptions } from '../../server/src/boot';
import { createEmptyDatabase } from './db';
import { adminToken } from './clients';

/** The bootstrap admin the integration tests sign in with. */
export const TEST_ADMIN = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1' };

/** Starts Felt with `env` overrides on the database at `url`; remember to `close()` it. */
export async function startTestServerOn(url: string, env: Record<string, string> = {}, options: FeltOptions = {}): Promise<Felt> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: url,
    LOG_LEVEL: process.env.FELT_TEST_LOG_LEVEL ?? 'silent',
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
    // Test players act within microseconds of their turn, far faster than the production per-socket
    // limit allows; tests that are about rate limits set their own values.
    SOCKET_EVENTS_PER_SECOND: '2000',
    SOCKET_EVENT_BURST: '2000',
    // Tests that are not about shutdown stop at once; hands cut off are voided by the next start.
    SHUTDOWN_DRAIN_MS: '0',
    ...env,
  });
  return startFelt(config, createLogger(config.LOG_LEVEL), options);
}

/** Starts Felt with `env` overrides on a fresh database; remember to `close()` it. */
export async function startTestServer(env: Record<string, string> = {}, options: FeltOptions = {}): Promise<Felt> {
  return startTestServerOn(await createEmptyDatabase(), env, options);
}

/** Stops `felt` and starts a new server on the same database, as after a crash or a deploy. */
export async function restartTestServer(felt: Felt, env: Record<string, string> = {}, options: FeltOptions = {}): Promise<Felt> {
  const url = felt.config.DATABASE_URL!;
  await felt.close();
  return startTestServerOn(url, env, options);
}

/**
 * For a describe block: starts Felt with the test admin (and `env`) before its tests, hands the server
 * and an admin token to `onStart`, and stops the server after them.
 */
export function useAdminServer(env: Record<string, string>, onStart: (room: { felt: Felt; admin: string }) => void): void {
  let felt: Felt | undefined;
  beforeAll(async () => {
    felt = await startTestServer({ ...TEST_ADMIN, ...env });
    onStart({ felt, admin: await adminToken(felt.url, TEST_ADMIN.ADMIN_USERNAME, TEST_ADMIN.ADMIN_PASSWORD) });
  });
  afterAll(async () => {
    await felt?.close();
  });
}
