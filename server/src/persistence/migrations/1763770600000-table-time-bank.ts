import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-table time bank: extra thinking time each player may draw on once their action timer runs
 * out, before the table checks or folds for them. Reversible (the column only).
 */
export class TableTimeBank1763770600000 implements MigrationInterface {
  name = 'TableTimeBank1763770600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE poker_table ADD COLUMN time_bank_ms integer NOT NULL DEFAULT 30000 CONSTRAINT poker_table_time_bank_range CHECK (time_bank_ms BETWEEN 0 AND 300000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE poker_table DROP COLUMN time_bank_ms`);
  }
}
