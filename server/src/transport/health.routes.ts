/** Liveness and readiness: /healthz says the process is up, /readyz says it can serve players. */
import type { DataSource } from 'typeorm';
import { migrationsApplied } from '../persistence/data-source';
import type { Router } from './router';

/**
 * Longest /readyz waits for the database. A frozen PostgreSQL (or a pool with no free connection) made
 * readiness hang for more than 20 s; a load balancer must get its 503 well inside its own timeout.
 */
export const READY_DB_TIMEOUT_MS = 1_500;

/** Resolves with `work`'s result, or rejects once `ms` passed. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Registers /healthz and /readyz. `isShuttingDown` makes readiness fail while draining. */
export function registerHealthRoutes(router: Router, dataSource: DataSource, isShuttingDown: () => boolean): void {
  router.on('GET', '/healthz', () => ({ json: { status: 'ok', uptimeS: Math.round(process.uptime()) } }));
  router.on('GET', '/readyz', async () => {
    const checks = { database: false, migrations: false, shuttingDown: isShuttingDown() };
    try {
      const started = Date.now();
      // A bare round trip, raw on purpose: it asks whether the database answers, not for any row.
      await within(dataSource.query('SELECT 1'), READY_DB_TIMEOUT_MS);
      checks.database = true;
      checks.migrations = await within(migrationsApplied(dataSource), Math.max(1, READY_DB_TIMEOUT_MS - (Date.now() - started)));
    } catch {
      // The checks object already says what failed; the error itself is not for the public.
    }
    const ready = checks.database && checks.migrations && !checks.shuttingDown;
    return { status: ready ? 200 : 503, json: { status: ready ? 'ready' : 'not_ready', checks } };
  });
}
