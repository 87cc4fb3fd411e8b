/** Liveness and readiness: /healthz says the process is up, /readyz says it can serve players. */
import type { DataSource } from 'typeorm';
import { migrationsApplied } from '../persistence/data-source';
import type { Router } from './router';

/** Registers /healthz and /readyz. `isShuttingDown` makes readiness fail while draining. */
export function registerHealthRoutes(router: Router, dataSource: DataSource, isShuttingDown: () => boolean): void {
  router.on('GET', '/healthz', () => ({ json: { status: 'ok', uptimeS: Math.round(process.uptime()) } }));
  router.on('GET', '/readyz', async () => {
    const checks = { database: false, migrations: false, shuttingDown: isShuttingDown() };
    try {
      await dataSource.query('SELECT 1');
      checks.database = true;
      checks.migrations = await migrationsApplied(dataSource);
    } catch {
      // The checks object already says what failed; the error itself is not for the public.
    }
    const ready = checks.database && checks.migrations && !checks.shuttingDown;
    return { status: ready ? 200 : 503, json: { status: ready ? 'ready' : 'not_ready', checks } };
  });
}
