import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A site-wide hand number. `hand.hand_number` counts per table, so a bulk export of several tables
 * repeats numbers and trackers (PokerTracker, Hold'em Manager) drop the repeats as duplicates. Every
 * hand now also gets `site_hand_number` from one sequence: unique across the site and increasing in
 * the order hands start. Existing hands are numbered 1, 2, … in start order (ties by table number,
 * then id), and the sequence continues after them. Reversible: down drops the column and sequence.
 */
export class SiteHandNumber1763770100000 implements MigrationInterface {
  name = 'SiteHandNumber1763770100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE hand_site_number_seq AS bigint MINVALUE 1`);
    await q.query(`ALTER TABLE hand ADD COLUMN site_hand_number bigint`);
    await q.query(`
      UPDATE hand SET site_hand_number = numbered.n
      FROM (SELECT id, row_number() OVER (ORDER BY started_at, hand_number, id) AS n FROM hand) AS numbered
      WHERE hand.id = numbered.id`);
    // Continue after the backfilled numbers (is_called = false: the next value is exactly this one).
    await q.query(`SELECT setval('hand_site_number_seq', COALESCE((SELECT max(site_hand_number) FROM hand), 0) + 1, false)`);
    await q.query(`ALTER TABLE hand ALTER COLUMN site_hand_number SET DEFAULT nextval('hand_site_number_seq')`);
    await q.query(`ALTER TABLE hand ALTER COLUMN site_hand_number SET NOT NULL`);
    await q.query(`ALTER SEQUENCE hand_site_number_seq OWNED BY hand.site_hand_number`);
    await q.query(`ALTER TABLE hand ADD CONSTRAINT hand_site_number_uq UNIQUE (site_hand_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Dropping the column drops its constraint and the sequence it owns.
    await q.query(`ALTER TABLE hand DROP COLUMN site_hand_number`);
  }
}
