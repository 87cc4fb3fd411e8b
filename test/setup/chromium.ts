/**
 * Headless Chromium for browser tests: Debian's `chromium` package, driven by playwright-core. When the
 * binary is missing and we are root, the package is installed (like test/setup/redis.ts does for
 * redis-server); otherwise the test fails with a one-line instruction.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless run inside containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Returns the Chromium path, installing Debian's package as root when it is missing. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error('chromium is not installed: run `sudo apt-get install -y chromium` and try again');
  }
  // A failing `apt-get update` (an unreachable mirror) should not stop an install from cached lists.
  execFileSync('sh', ['-c', '(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], {
    stdio: 'inherit',
    timeout: 600_000,
  });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`installing chromium did not provide ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}
