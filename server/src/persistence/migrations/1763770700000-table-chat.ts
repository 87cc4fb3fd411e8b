import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Table chat: every message is kept with its table and, when a hand was being played, with that hand
 * (so a hand's history shows what was said during it); admins can mute a player. Reversible.
 */
export class TableChat1763770700000 implements MigrationInterface {
  name = 'TableChat1763770700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_message (
        id bigserial PRIMARY KEY,
        table_id uuid NOT NULL REFERENCES poker_table (id),
        hand_id uuid NULL REFERENCES hand (id),
        player_id uuid NOT NULL REFERENCES player (id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX chat_message_hand_idx ON chat_message (hand_id, id) WHERE hand_id IS NOT NULL`);
    await q.query(`CREATE INDEX chat_message_table_idx ON chat_message (table_id, id)`);
    await q.query(`ALTER TABLE player ADD COLUMN chat_muted boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE player DROP COLUMN chat_muted`);
    await q.query(`DROP TABLE chat_message`);
  }
}
