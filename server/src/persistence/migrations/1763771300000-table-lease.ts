import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Table ownership for running several Felt nodes on one database (issue 13): `table_lease` names the
 * one node allowed to run each table and the epoch every ledger transaction of that table is fenced
 * with; `felt_node` is each node's heartbeat, used to place new tables on the least-loaded live node;
 * `table_seat` remembers which seat number each player bought in at, so that a node taking a table
 * over can seat its players again where they sat (the actor's seats otherwise lived only in memory).
 */
export class TableLease1763771300000 implements MigrationInterface {
  name = 'TableLease1763771300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE table_lease (
        table_id uuid PRIMARY KEY REFERENCES poker_table(id),
        node_id text NOT NULL,
        epoch bigint NOT NULL CHECK (epoch >= 0),
        expires_at timestamptz NOT NULL,
        released boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX table_lease_node_idx ON table_lease (node_id, expires_at)`);
    await q.query(`
      CREATE TABLE felt_node (
        node_id text PRIMARY KEY,
        heartbeat_at timestamptz NOT NULL,
        live_tables int NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE table_seat (
        table_id uuid NOT NULL REFERENCES poker_table(id),
        player_id uuid NOT NULL REFERENCES player(id),
        seat_number smallint NOT NULL CHECK (seat_number >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (table_id, player_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE table_seat`);
    await q.query(`DROP TABLE felt_node`);
    await q.query(`DROP TABLE table_lease`);
  }
}
