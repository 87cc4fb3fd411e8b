import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_KEPT = `'credit', 'buy_in', 'top_up', 'cash_out', 'hand_settlement', 'void_refund', 'adjustment', 'debit'`;

/**
 * Drops the `rake` transfer kind: rake is booked inside the hand_settlement transfer (its entry on
 * house_rake), and no code ever wrote a transfer of its own for it. Refuses to run if such a row
 * exists, since append-only history cannot be rewritten; `down` only widens the CHECK again.
 */
export class DropRakeTransferKind1763770800000 implements MigrationInterface {
  name = 'DropRakeTransferKind1763770800000';

  async up(q: QueryRunner): Promise<void> {
    const used = (await q.query(`SELECT count(*)::int AS n FROM transfer WHERE kind = 'rake'`)) as Array<{ n: number }>;
    if ((used[0]?.n ?? 0) > 0) throw new Error('rake transfers exist; append-only history cannot be rewritten');
    await q.query(`ALTER TABLE transfer DROP CONSTRAINT transfer_kind_check`);
    await q.query(`ALTER TABLE transfer ADD CONSTRAINT transfer_kind_check CHECK (kind IN (${KINDS_KEPT}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer DROP CONSTRAINT transfer_kind_check`);
    await q.query(`ALTER TABLE transfer ADD CONSTRAINT transfer_kind_check CHECK (kind IN (${KINDS_KEPT}, 'rake'))`);
  }
}
