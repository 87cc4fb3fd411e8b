/** Read-only balance queries. Reads take no locks: they show the last committed state. */
import { chips, type Chips } from '../../../shared/money';
import type { Db } from './db';
import { LedgerError } from './errors';

/** The player's wallet balance (0 when the wallet does not exist yet). */
export async function getWalletBalance(db: Db, playerId: string): Promise<Chips> {
  const rows = (await db.query(`SELECT balance::text AS balance FROM account WHERE kind = 'wallet' AND player_id = $1`, [playerId])) as {
    balance: string;
  }[];
  return chips(rows[0]?.balance ?? '0');
}

/** The player's seat balance at a table (0 when there is no seat account). */
export async function getSeatBalance(db: Db, playerId: string, tableId: string): Promise<Chips> {
  const rows = (await db.query(
    `SELECT balance::text AS balance FROM account WHERE kind = 'seat' AND player_id = $1 AND table_id = $2`,
    [playerId, tableId],
  )) as { balance: string }[];
  return chips(rows[0]?.balance ?? '0');
}

/** Every seat account of a table with its balance, in account id order. */
export async function listSeatBalances(db: Db, tableId: string): Promise<{ playerId: string; accountId: string; balance: Chips }[]> {
  const rows = (await db.query(
    `SELECT id::text AS id, player_id, balance::text AS balance FROM account a WHERE kind = 'seat' AND table_id = $1 ORDER BY a.id`,
    [tableId],
  )) as { id: string; player_id: string; balance: string }[];
  return rows.map((r) => ({ playerId: r.player_id, accountId: r.id, balance: chips(r.balance) }));
}

/** The house's balance of a kind: house_cash, or all house_rake accounts (one per table plus the general one) together. */
export async function getHouseBalance(db: Db, kind: 'house_rake' | 'house_cash'): Promise<Chips> {
  const rows = (await db.query(`SELECT count(*)::int AS n, coalesce(sum(balance), 0)::text AS balance FROM account WHERE kind = $1`, [kind])) as {
    n: number;
    balance: string;
  }[];
  if (!rows[0] || rows[0].n === 0) throw new LedgerError('internal', `${kind} account is missing`);
  return chips(rows[0].balance);
}
