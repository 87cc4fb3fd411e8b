import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'credit', 'buy_in', 'top_up', 'cash_out', 'hand_settlement', 'rake', 'void_refund', 'adjustment'`;

/**
 * A `debit` transfer kind: money out of a wallet back to house_cash (a withdrawal paid by the
 * operator), the mirror of `credit`. Reversible while no debit was booked (ledger rows are
 * append-only, so history that used the kind cannot be un-written).
 */
export class DebitTransfer1763770200000 implements MigrationInterface {
  name = 'DebitTransfer1763770200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer DROP CONSTRAINT transfer_kind_check`);
    await q.query(`ALTER TABLE transfer ADD CONSTRAINT transfer_kind_check CHECK (kind IN (${KINDS_BEFORE}, 'debit'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const used = (await q.query(`SELECT count(*)::int AS n FROM transfer WHERE kind = 'debit'`)) as Array<{ n: number }>;
    if ((used[0]?.n ?? 0) > 0) throw new Error('debit transfers exist; append-only history cannot be reverted');
    await q.query(`ALTER TABLE transfer DROP CONSTRAINT transfer_kind_check`);
    await q.query(`ALTER TABLE transfer ADD CONSTRAINT transfer_kind_check CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}
