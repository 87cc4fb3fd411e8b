/**
 * The QueryBuilder lock helper really locks: while one transaction holds the accounts it locked with
 * lockAccounts, another transaction cannot lock them (NOWAIT fails at once, 55P03), and a request for
 * nothing locks nothing. Together with ledger-basics (ascending id order) this is the lock rule the
 * comment at the top of ledger/accounts.ts states.
 */
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable } from '../helpers/ledger-fixtures';
import { buyIn, credit } from '../../server/src/ledger/transactions';
import { lockAccounts } from '../../server/src/ledger/accounts';

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(4);
});

afterAll(async () => {
  await ds?.destroy();
});

/** The PostgreSQL error code of trying to lock `accountId` at once from another transaction, or 'locked-free'. */
async function tryLockElsewhere(accountId: string): Promise<string> {
  try {
    await ds.transaction(async (em) => {
      await em.query(`SELECT id FROM account WHERE id = $1 FOR UPDATE NOWAIT`, [accountId]);
    });
    return 'locked-free';
  } catch (error) {
    const e = error as { driverError?: { code?: string }; code?: string };
    return e.driverError?.code ?? e.code ?? String(error);
  }
}

it('holds a row lock on every account it returns until the transaction ends', async () => {
  const player = await createPlayer(ds);
  const table = await createTestTable(ds);
  await credit(ds, { playerId: player, amount: chips(500), idempotencyKey: `lock-credit-${player}` });
  await buyIn(ds, { playerId: player, tableId: table, amount: chips(100), idempotencyKey: `lock-buyin-${player}` });
  let ids: string[] = [];
  await ds.transaction(async (em) => {
    const locked = await lockAccounts(em, { walletOf: player, seatOf: { playerId: player, tableId: table }, house: ['house_cash'] });
    expect(locked.map((a) => a.kind).sort()).toEqual(['house_cash', 'seat', 'wallet']);
    expect(locked.find((a) => a.kind === 'wallet')!.balance.toString()).toBe('400');
    ids = locked.map((a) => a.id);
    for (const id of ids) expect(await tryLockElsewhere(id)).toBe('55P03');
  });
  // Released at commit.
  for (const id of ids) expect(await tryLockElsewhere(id)).toBe('locked-free');
});

it('locks nothing when asked for nothing', async () => {
  await ds.transaction(async (em) => {
    expect(await lockAccounts(em, {})).toEqual([]);
  });
});
