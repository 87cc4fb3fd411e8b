import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin hand-history search (server/src/history/hand-query.ts): pages are keyset scans
 * on (started_at, id) newest first, optionally within one table, and "hands of a player" is a jsonb
 * containment test on hand.config->'seats'. Without these, every page would sort the whole hand table.
 * Reversible: down drops the indexes.
 */
export class HandHistoryIndexes1763769900000 implements MigrationInterface {
  name = 'HandHistoryIndexes1763769900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX hand_started_idx ON hand (started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX hand_table_started_idx ON hand (table_id, started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX hand_seats_gin_idx ON hand USING gin ((config->'seats') jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX hand_seats_gin_idx`);
    await q.query(`DROP INDEX hand_table_started_idx`);
    await q.query(`DROP INDEX hand_started_idx`);
  }
}
