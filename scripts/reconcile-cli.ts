/**
 * `npm run reconcile`: checks the ledger of the database at DATABASE_URL (or, without it, of the
 * embedded PostgreSQL of `npm start`, see server/src/persistence/cli-database.ts) and prints a report.
 * Exit codes: 0 all checks pass, 1 drift found, 2 the check itself could not run.
 */
import { withCliDataSource } from '../server/src/persistence/cli-database';
import { formatReconcileReport, reconcile } from '../server/src/ledger/reconcile';

async function main(): Promise<number> {
  return withCliDataSource('reconcile', process.env, async (ds) => {
    const report = await reconcile(ds);
    process.stdout.write(`${formatReconcileReport(report)}\n`);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reconcile failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
