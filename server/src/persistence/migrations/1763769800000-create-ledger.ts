import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the double-entry chip ledger: `account` (balances), `transfer` (one per money movement, with
 * its idempotency key) and `ledger_entry` (the signed legs). The database itself enforces what an
 * auditor relies on, so that code bypassing the ledger module still cannot break it:
 * - wallet and seat balances never go negative (CHECK);
 * - transfers and ledger entries are append-only (row and TRUNCATE triggers), accounts are never deleted;
 * - the entries of every transfer sum to zero, checked at COMMIT by a deferred constraint trigger;
 * - a hand has at most one final transfer (settlement or void).
 * Seeds the single house_rake and house_cash accounts (with the highest ids, see below). Reversible: down drops everything it created.
 */
export class CreateLedger1763769800000 implements MigrationInterface {
  name = 'CreateLedger1763769800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('wallet', 'seat', 'house_rake', 'house_cash')),
        player_id uuid NULL REFERENCES player (id),
        table_id uuid NULL REFERENCES poker_table (id),
        balance numeric NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_non_negative CHECK (kind NOT IN ('wallet', 'seat') OR balance >= 0),
        CONSTRAINT account_shape CHECK (
          (kind = 'wallet' AND player_id IS NOT NULL AND table_id IS NULL)
          OR (kind = 'seat' AND player_id IS NOT NULL AND table_id IS NOT NULL)
          OR (kind IN ('house_rake', 'house_cash') AND player_id IS NULL AND table_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX account_wallet_uq ON account (player_id) WHERE kind = 'wallet'`);
    await q.query(`CREATE UNIQUE INDEX account_seat_uq ON account (table_id, player_id) WHERE kind = 'seat'`);
    await q.query(`CREATE UNIQUE INDEX account_house_uq ON account (kind) WHERE kind IN ('house_rake', 'house_cash')`);
    // The house accounts take the two highest ids so they come LAST in the ascending lock order: every
    // settlement credits house_rake, and locking it last keeps that one shared row locked for the shortest
    // time (only the final write statement and the commit). The sequence never reaches these ids.
    await q.query(`INSERT INTO account (id, kind, balance) VALUES (9223372036854775806, 'house_cash', 0), (9223372036854775807, 'house_rake', 0)`);
    await q.query(`
      CREATE TABLE transfer (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('credit', 'buy_in', 'top_up', 'cash_out', 'hand_settlement', 'rake',
                                           'void_refund', 'adjustment')),
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        params_hash text NOT NULL CHECK (params_hash ~ '^[0-9a-f]{64}$'),
        hand_id uuid NULL REFERENCES hand (id),
        table_id uuid NULL REFERENCES poker_table (id),
        player_id uuid NULL REFERENCES player (id),
        actor_id uuid NULL,
        reason text NULL,
        result jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT transfer_idempotency_key_uq UNIQUE (idempotency_key)
      )`);
    // At most one final transfer per hand, whatever the code does: this is what makes double settlement impossible.
    await q.query(`
      CREATE UNIQUE INDEX transfer_hand_final_uq ON transfer (hand_id)
      WHERE kind IN ('hand_settlement', 'void_refund')`);
    await q.query(`CREATE INDEX transfer_player_idx ON transfer (player_id, id) WHERE player_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE ledger_entry (
        id bigserial PRIMARY KEY,
        transfer_id bigint NOT NULL REFERENCES transfer (id),
        account_id bigint NOT NULL REFERENCES account (id),
        amount numeric NOT NULL,
        balance_after numeric NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_entry_transfer_account_uq UNIQUE (transfer_id, account_id)
      )`);
    await q.query(`CREATE INDEX ledger_entry_account_idx ON ledger_entry (account_id, id)`);
    await this.createTriggers(q);
  }

  /** Append-only and zero-sum triggers; split out to keep `up` readable. */
  private async createTriggers(q: QueryRunner): Promise<void> {
    for (const table of ['transfer', 'ledger_entry']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION felt_reject_mutation()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION felt_reject_mutation()`);
    }
    await q.query(`
      CREATE TRIGGER account_no_delete BEFORE DELETE ON account
      FOR EACH ROW EXECUTE FUNCTION felt_reject_mutation()`);
    await q.query(`
      CREATE TRIGGER account_no_truncate BEFORE TRUNCATE ON account
      FOR EACH STATEMENT EXECUTE FUNCTION felt_reject_mutation()`);
    // Runs at COMMIT (deferred), when every leg of the transfer has been inserted; the unique index on
    // (transfer_id, account_id) makes the sum an index lookup of a handful of rows.
    await q.query(`
      CREATE FUNCTION felt_check_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        total numeric;
      BEGIN
        SELECT sum(amount) INTO total FROM ledger_entry WHERE transfer_id = NEW.transfer_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'transfer % is unbalanced: its entries sum to %', NEW.transfer_id, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_transfer_balanced';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_entry_transfer_balanced AFTER INSERT ON ledger_entry
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION felt_check_transfer_balanced()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_entry`);
    await q.query(`DROP FUNCTION felt_check_transfer_balanced()`);
    await q.query(`DROP TABLE transfer`);
    await q.query(`DROP TABLE account`);
  }
}
