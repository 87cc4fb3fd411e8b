/**
 * `npm run reconcile`: checks the ledger of the database at DATABASE_URL and prints a report.
 * Exit codes: 0 all checks pass, 1 drift found, 2 the check itself could not run.
 */
import { createDataSource } from '../server/src/persistence/data-source';
import { formatReconcileReport, reconcile } from '../server/src/ledger/reconcile';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('reconcile: set DATABASE_URL to the PostgreSQL database to check\n');
    return 2;
  }
  const ds = createDataSource({ url, poolSize: 2, applicationName: 'felt-reconcile' });
  await ds.initialize();
  try {
    const report = await reconcile(ds);
    process.stdout.write(`${formatReconcileReport(report)}\n`);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reconcile failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
