/**
 * A production start with a secret this repository publishes as a placeholder is refused by the real
 * entry point (`npm start` runs it), before anything listens: a token signed with the compose file's
 * default secret could otherwise be forged by anyone who read the file.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function start(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', DATABASE_URL: 'postgres://127.0.0.1:1/never', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('production secrets', () => {
  it.each([
    ['the compose file\'s TOKEN_SECRET', { TOKEN_SECRET: 'replace-me-with-at-least-32-random-characters' }, /TOKEN_SECRET is a placeholder/],
    ['the compose file\'s ADMIN_PASSWORD', { TOKEN_SECRET: 'Qm9vdHN0cmFwLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM0NTY3OA', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'change-me-please' }, /ADMIN_PASSWORD is a placeholder/],
  ])('refuses %s and exits 2 before listening', (_what, env, message) => {
    const { status, stderr } = start({ NODE_ENV: 'production', ...env });
    expect({ status, stderr }).toMatchObject({ status: 2, stderr: expect.stringMatching(message) });
  });
});
