import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records how each hand's deck commitment was made. Hands dealt before this migration committed to
 * SHA-256 of the seed (`felt-seed-sha256-v1`), and revealing that seed to everyone exposed folded and
 * mucked cards; new hands commit to every deck position separately under a Merkle root
 * (`felt-deck-merkle-v1`, see shared/engine/deck-commitment.ts). Both are 64 hex characters, so only
 * this column tells the verifier which check to run. Existing rows get the old scheme; the default is
 * then dropped so that every new hand states its scheme explicitly. Reversible while no hand uses the
 * new scheme (afterwards, dropping the column would make those hands unverifiable).
 */
export class HandCommitmentScheme1763770500000 implements MigrationInterface {
  name = 'HandCommitmentScheme1763770500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE hand ADD COLUMN commitment_scheme text NOT NULL DEFAULT 'felt-seed-sha256-v1'
        CONSTRAINT hand_commitment_scheme_known CHECK (commitment_scheme IN ('felt-seed-sha256-v1', 'felt-deck-merkle-v1'))`);
    await q.query(`ALTER TABLE hand ALTER COLUMN commitment_scheme DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    const used = (await q.query(`SELECT count(*)::int AS n FROM hand WHERE commitment_scheme <> 'felt-seed-sha256-v1'`)) as Array<{ n: number }>;
    if ((used[0]?.n ?? 0) > 0) throw new Error('hands use the Merkle deck commitment; dropping the scheme column would make them unverifiable');
    await q.query(`ALTER TABLE hand DROP COLUMN commitment_scheme`);
  }
}
