import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token version per player. Every token carries the version it was signed with, and a token whose
 * version is not the player's current one is refused; logging out bumps the version, which revokes
 * every token that player holds at once without a list of revoked tokens. Reversible: the column holds
 * no history, so dropping it only forgets which tokens were revoked.
 */
export class PlayerTokenVersion1763770400000 implements MigrationInterface {
  name = 'PlayerTokenVersion1763770400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE player ADD COLUMN token_version integer NOT NULL DEFAULT 0 CHECK (token_version >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE player DROP COLUMN token_version`);
  }
}
