import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates `poker_table`, `hand` and `hand_event`. A hand's history is evidence for disputes, so
 * `hand_event` is append-only: a trigger rejects UPDATE, DELETE and TRUNCATE, whoever runs them.
 * Reversible: down drops the tables and the shared trigger function.
 */
export class CreatePokerTableAndHand1763769700000 implements MigrationInterface {
  name = 'CreatePokerTableAndHand1763769700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE poker_table (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        variant text NOT NULL CHECK (variant IN ('NT', 'PO', 'FT')),
        max_seats int NOT NULL CHECK (max_seats BETWEEN 2 AND 10),
        unit numeric NOT NULL CHECK (unit > 0),
        small_blind numeric NOT NULL CHECK (small_blind > 0),
        big_blind numeric NOT NULL CHECK (big_blind > 0),
        ante numeric NOT NULL DEFAULT 0 CHECK (ante >= 0),
        min_buy_in numeric NOT NULL CHECK (min_buy_in > 0),
        max_buy_in numeric NOT NULL,
        rake_percent numeric NOT NULL DEFAULT 0 CHECK (rake_percent >= 0 AND rake_percent <= 100),
        rake_cap numeric NOT NULL DEFAULT 0 CHECK (rake_cap >= 0),
        action_timeout_ms int NOT NULL CHECK (action_timeout_ms > 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        next_hand_number bigint NOT NULL DEFAULT 1 CHECK (next_hand_number >= 1),
        CONSTRAINT poker_table_blinds_ordered CHECK (small_blind <= big_blind),
        CONSTRAINT poker_table_buy_in_range CHECK (min_buy_in <= max_buy_in)
      )`);
    await q.query(`
      CREATE TABLE hand (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        table_id uuid NOT NULL REFERENCES poker_table (id),
        hand_number bigint NOT NULL CHECK (hand_number >= 1),
        status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'settled', 'voided')),
        button_seat int NOT NULL CHECK (button_seat >= 0),
        config jsonb NOT NULL,
        commitment text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
        seed text NULL CHECK (seed ~ '^[0-9a-f]+$'),
        void_reason text NULL,
        result jsonb NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz NULL,
        CONSTRAINT hand_table_number_uq UNIQUE (table_id, hand_number),
        CONSTRAINT hand_final_has_end CHECK ((status = 'in_progress') = (ended_at IS NULL)),
        CONSTRAINT hand_voided_has_reason CHECK (status <> 'voided' OR void_reason IS NOT NULL)
      )`);
    // Startup recovery looks for unfinished hands; a partial index keeps that cheap however long the history grows.
    await q.query(`CREATE INDEX hand_in_progress_idx ON hand (table_id) WHERE status = 'in_progress'`);
    await q.query(`
      CREATE TABLE hand_event (
        id bigserial PRIMARY KEY,
        hand_id uuid NOT NULL REFERENCES hand (id),
        seq int NOT NULL CHECK (seq >= 0),
        type text NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT hand_event_seq_uq UNIQUE (hand_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION felt_reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER hand_event_append_only BEFORE UPDATE OR DELETE ON hand_event
      FOR EACH ROW EXECUTE FUNCTION felt_reject_mutation()`);
    await q.query(`
      CREATE TRIGGER hand_event_no_truncate BEFORE TRUNCATE ON hand_event
      FOR EACH STATEMENT EXECUTE FUNCTION felt_reject_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hand_event`);
    await q.query(`DROP FUNCTION felt_reject_mutation()`);
    await q.query(`DROP TABLE hand`);
    await q.query(`DROP TABLE poker_table`);
  }
}
