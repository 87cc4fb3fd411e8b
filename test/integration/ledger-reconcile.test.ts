/** Reconciliation finds drift that bypasses the ledger, and the CLI reports it with a non-zero exit code. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, startTestHand } from '../helpers/ledger-fixtures';
import { buyIn, credit, settleHand } from '../../server/src/ledger/transactions';
import { reconcile } from '../../server/src/ledger/reconcile';

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(4);
});

afterAll(async () => {
  await ds.destroy();
});

/** Runs `npm run reconcile`'s script against the test database; returns exit code and output. */
async function runCli(): Promise<{ code: number; stdout: string }> {
  const url = (ds.options as { url: string }).url;
  const root = path.resolve(__dirname, '../..');
  try {
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/reconcile-cli.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

it('passes on a clean ledger and reports drift, unbalanced hands and a non-zero exit code otherwise', async () => {
  const [a, b] = [await createPlayer(ds), await createPlayer(ds)];
  const table = await createTestTable(ds);
  for (const p of [a, b]) {
    await credit(ds, { playerId: p, amount: chips(100), idempotencyKey: `c-${p}` });
    await buyIn(ds, { playerId: p, tableId: table, amount: chips(100), idempotencyKey: `b-${p}` });
  }
  const { handId, seed } = await startTestHand(ds, table);
  await settleHand(ds, { handId, seed, idempotencyKey: `s-${handId}`, deltas: [{ playerId: a, amount: chips(5) }, { playerId: b, amount: chips(-5) }], rake: chips(0), result: null });
  const clean = await reconcile(ds);
  // Two wallets, two seats, the table's own house_rake account, and the house's cash and general rake accounts.
  expect(clean).toMatchObject({ ok: true, accounts: 7, drift: [] });
  const cli = await runCli();
  expect(cli.code).toBe(0);
  expect(cli.stdout).toContain('OK');

  // Bypass the ledger: change a balance without an entry, and mark a hand settled without a settlement.
  await ds.query(`UPDATE account SET balance = balance + 3 WHERE kind = 'house_rake' AND table_id IS NULL`);
  const orphan = await startTestHand(ds, table);
  await ds.query(`UPDATE hand SET status = 'settled', ended_at = now() WHERE id = $1`, [orphan.handId]);
  const dirty = await reconcile(ds);
  expect(dirty.ok).toBe(false);
  expect(dirty.drift).toEqual([expect.objectContaining({ kind: 'house_rake', balance: '3', ledgerSum: '0' })]);
  expect(dirty.totalSum).toBe('3');
  expect(dirty.settledHandsWithoutOneSettlement).toEqual([{ handId: orphan.handId, status: 'settled', settlements: 0, voids: 0 }]);
  const failing = await runCli();
  expect(failing.code).toBe(1);
  expect(failing.stdout).toContain('DRIFT FOUND');
  expect(failing.stdout).toContain(orphan.handId);
}, 60_000);
