/**
 * The hot-path SQL of hand settlement, shared by `settleHand` and by the benchmark's raw-`pg` and
 * pgbench contenders so that all three measure exactly the same statements.
 */

/**
 * Step 1 of a settlement, one round trip: compare-and-swap the hand from in_progress to settled and,
 * only if that succeeded, lock the hand's seat accounts and the table's own house_rake account in
 * ascending id order and read their balances. Only this table's settlements touch its rake account, so
 * settlements of different tables never wait for each other (see the per-table-rake migration).
 * No row means the CAS failed: the hand is unknown or final.
 * The LATERAL subquery is what allows FOR UPDATE with ORDER BY while still returning the table id when
 * no account matched. `ORDER BY acc.id` is qualified on purpose: a bare `id` would name the text output
 * column and lock in string order ("10" before "9"), breaking the global lock order. Parameters: $1 hand
 * id, $2 revealed seed, $3 result jsonb, $4 player ids uuid[].
 */
export const SETTLE_LOCK_SQL = `
WITH h AS (
  UPDATE hand SET status = 'settled', seed = $2, result = $3::jsonb, ended_at = now()
  WHERE id = $1 AND status = 'in_progress'
  RETURNING table_id
)
SELECT h.table_id, a.id, a.kind, a.player_id, a.balance
FROM h LEFT JOIN LATERAL (
  SELECT acc.id::text AS id, acc.kind, acc.player_id, acc.balance::text AS balance
  FROM account acc
  WHERE acc.table_id = h.table_id
    AND ((acc.kind = 'seat' AND acc.player_id = ANY($4::uuid[])) OR acc.kind = 'house_rake')
  ORDER BY acc.id
  FOR UPDATE
) a ON true`;

/** A row of SETTLE_LOCK_SQL; the account columns are null when the hand has no matching account. */
export interface SettleLockRow {
  table_id: string;
  /** Only from SETTLE_LOCK_WITH_EVENTS_SQL: how many events it inserted. */
  events?: number;
  id: string | null;
  kind: 'seat' | 'house_rake' | null;
  player_id: string | null;
  balance: string | null;
}

/** The void CAS: in_progress → voided, recording the reason and (if given) the revealed seed. */
export const VOID_CAS_SQL = `
WITH h AS (
  UPDATE hand SET status = 'voided', void_reason = $2, seed = COALESCE($3, seed), ended_at = now()
  WHERE id = $1 AND status = 'in_progress'
  RETURNING table_id
)
SELECT table_id FROM h`;

/**
 * SETTLE_LOCK_SQL plus the hand's remaining history in the same round trip: the events are inserted
 * only when the CAS succeeded (they select from `h`). A settlement stores each event exactly once (the
 * CAS lets only one settlement of a hand through, and a failed one rolled its events back), so a seq
 * already present is a bug and fails the settlement on the unique index. Extra parameters: $5 seqs
 * int[], $6 types text[], $7 payloads jsonb[]. Every row carries `events`, the number inserted.
 */
export const SETTLE_LOCK_WITH_EVENTS_SQL = SETTLE_LOCK_SQL.replace(
  'RETURNING table_id\n)',
  `RETURNING table_id
), ev AS (
  INSERT INTO hand_event (hand_id, seq, type, payload)
  SELECT $1, v.seq, v.type, v.payload FROM h, unnest($5::int[], $6::text[], $7::jsonb[]) AS v(seq, type, payload)
  RETURNING 1
)`,
).replace('SELECT h.table_id, a.id', 'SELECT h.table_id, (SELECT count(*) FROM ev)::int AS events, a.id');
if (!SETTLE_LOCK_WITH_EVENTS_SQL.includes('AS events')) throw new Error('SETTLE_LOCK_WITH_EVENTS_SQL no longer matches SETTLE_LOCK_SQL');
