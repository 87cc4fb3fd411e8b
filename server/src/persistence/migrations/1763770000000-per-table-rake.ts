import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One house_rake account per table. With a single shared house_rake row, every settlement in the
 * house queued on that row's lock until the previous settlement's commit had reached the disk, which
 * capped the whole server at one fsync per hand (~170 settlements/s here). Per-table rake accounts are
 * only touched by their own table, whose actor settles one hand at a time, so settlements of different
 * tables no longer wait for each other. The house's rake is the sum of all house_rake accounts; the
 * original one (no table) stays for rake booked outside a table. Reversible while the per-table accounts
 * have no entries (ledger rows are append-only, so history that used them cannot be un-written).
 */
export class PerTableRake1763770000000 implements MigrationInterface {
  name = 'PerTableRake1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account DROP CONSTRAINT account_shape`);
    await q.query(`
      ALTER TABLE account ADD CONSTRAINT account_shape CHECK (
        (kind = 'wallet' AND player_id IS NOT NULL AND table_id IS NULL)
        OR (kind = 'seat' AND player_id IS NOT NULL AND table_id IS NOT NULL)
        OR (kind = 'house_rake' AND player_id IS NULL)
        OR (kind = 'house_cash' AND player_id IS NULL AND table_id IS NULL))`);
    await q.query(`DROP INDEX account_house_uq`);
    await q.query(`CREATE UNIQUE INDEX account_house_cash_uq ON account (kind) WHERE kind = 'house_cash'`);
    await q.query(`CREATE UNIQUE INDEX account_house_rake_uq ON account (kind) WHERE kind = 'house_rake' AND table_id IS NULL`);
    await q.query(`CREATE UNIQUE INDEX account_table_rake_uq ON account (table_id) WHERE kind = 'house_rake' AND table_id IS NOT NULL`);
    await q.query(`INSERT INTO account (kind, table_id, balance) SELECT 'house_rake', id, 0 FROM poker_table ORDER BY created_at, id`);
  }

  async down(q: QueryRunner): Promise<void> {
    const used = (await q.query(
      `SELECT count(*)::int AS n FROM ledger_entry e JOIN account a ON a.id = e.account_id WHERE a.kind = 'house_rake' AND a.table_id IS NOT NULL`,
    )) as Array<{ n: number }>;
    if ((used[0]?.n ?? 0) > 0) throw new Error('per-table rake accounts have ledger entries; append-only history cannot be reverted');
    await q.query(`ALTER TABLE account DISABLE TRIGGER USER`);
    await q.query(`DELETE FROM account WHERE kind = 'house_rake' AND table_id IS NOT NULL`);
    await q.query(`ALTER TABLE account ENABLE TRIGGER USER`);
    await q.query(`DROP INDEX account_table_rake_uq`);
    await q.query(`DROP INDEX account_house_rake_uq`);
    await q.query(`DROP INDEX account_house_cash_uq`);
    await q.query(`CREATE UNIQUE INDEX account_house_uq ON account (kind) WHERE kind IN ('house_rake', 'house_cash')`);
    await q.query(`ALTER TABLE account DROP CONSTRAINT account_shape`);
    await q.query(`
      ALTER TABLE account ADD CONSTRAINT account_shape CHECK (
        (kind = 'wallet' AND player_id IS NOT NULL AND table_id IS NULL)
        OR (kind = 'seat' AND player_id IS NOT NULL AND table_id IS NOT NULL)
        OR (kind IN ('house_rake', 'house_cash') AND player_id IS NULL AND table_id IS NULL))`);
  }
}
