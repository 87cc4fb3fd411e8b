/** Read-only balance queries through TypeORM. Reads take no locks: they show the last committed state. */
import { chips, type Chips } from '../../../shared/money';
import { AccountEntity } from '../persistence/entities/account.entity';
import type { Db } from './db';
import { LedgerError } from './errors';

/** The player's wallet balance (0 when the wallet does not exist yet). */
export async function getWalletBalance(db: Db, playerId: string): Promise<Chips> {
  const row = await db.getRepository(AccountEntity).findOne({ select: { id: true, balance: true }, where: { kind: 'wallet', playerId } });
  return chips(row?.balance ?? '0');
}

/** The player's seat balance at a table (0 when there is no seat account). */
export async function getSeatBalance(db: Db, playerId: string, tableId: string): Promise<Chips> {
  const row = await db.getRepository(AccountEntity).findOne({ select: { id: true, balance: true }, where: { kind: 'seat', playerId, tableId } });
  return chips(row?.balance ?? '0');
}

/** Every seat account of a table with its balance, in account id order. */
export async function listSeatBalances(db: Db, tableId: string): Promise<{ playerId: string; accountId: string; balance: Chips }[]> {
  const rows = await db.getRepository(AccountEntity).find({
    select: { id: true, playerId: true, balance: true },
    where: { kind: 'seat', tableId },
    order: { id: 'ASC' },
  });
  return rows.map((r) => ({ playerId: r.playerId!, accountId: r.id, balance: chips(r.balance) }));
}

/** The house's balance of a kind: house_cash, or all house_rake accounts (one per table plus the general one) together. */
export async function getHouseBalance(db: Db, kind: 'house_rake' | 'house_cash'): Promise<Chips> {
  const row = await db
    .getRepository(AccountEntity)
    .createQueryBuilder('a')
    .select('count(*)::int', 'n')
    .addSelect('coalesce(sum(a.balance), 0)::text', 'balance')
    .where('a.kind = :kind', { kind })
    .getRawOne<{ n: number; balance: string }>();
  if (!row || row.n === 0) throw new LedgerError('internal', `${kind} account is missing`);
  return chips(row.balance);
}
