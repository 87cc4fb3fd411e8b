import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates `player`: one row per registered person. Usernames are unique case-insensitively so that
 * "Alice" and "alice" cannot both exist. Reversible: down drops the table.
 */
export class CreatePlayer1763769600000 implements MigrationInterface {
  name = 'CreatePlayer1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE player (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
        password_hash text NOT NULL,
        role text NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX player_username_lower_uq ON player (lower(username))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE player`);
  }
}
