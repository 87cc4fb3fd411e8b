/**
 * Table leases in PostgreSQL: which node runs each table, under which epoch, until when. Every change
 * is one transaction on the lease row; every takeover increments the epoch, which is what the ledger
 * fence (ledger/fence.ts) compares, so a node that lost a table can no longer move its chips. Times
 * are the database's `now()`, never a node's clock, so nodes with skewed clocks agree on expiry.
 */
import type { DataSource } from 'typeorm';
import type { Fence } from '../ledger/fence';

/** A lease this node holds: the same triple the fence checks. */
export type Lease = Fence;

/**
 * How the table was held before this node took it: `new` (never owned), `released` (its owner shut
 * down in order), `own` (this node id held it: a restart after a crash, or a new table placed here by
 * another node), `expired` (its owner stopped renewing: crashed, paused or cut off).
 */
export type LeaseOrigin = 'new' | 'released' | 'own' | 'expired';

/** A lease just taken, with how the table was held before. */
export interface TakenLease extends Lease {
  origin: LeaseOrigin;
  /** The node that held it before ('' when none). */
  previousNodeId: string;
}

/** Most leases one renewal statement names (a node runs at most MAX_TABLES tables). */
export const MAX_LEASES_PER_STATEMENT = 2_000;
/** Node rows whose heartbeat is older than this are deleted, so pid-named node ids do not pile up. */
export const FORGET_NODE_AFTER_MS = 24 * 3600 * 1000;

const TTL = `($3::int * interval '1 millisecond')`;

/** The rows of an UPDATE … RETURNING: TypeORM answers those with `[rows, affectedCount]`. */
function returned<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}

/** The unexpired owner of a table, or null when the table is free (never owned, released or expired). */
export async function ownerOf(ds: DataSource, tableId: string): Promise<{ nodeId: string; epoch: string } | null> {
  const rows = (await ds.query(
    `SELECT node_id, epoch::text AS epoch FROM table_lease WHERE table_id = $1 AND NOT released AND expires_at > now()`,
    [tableId],
  )) as Array<{ node_id: string; epoch: string }>;
  return rows[0] ? { nodeId: rows[0].node_id, epoch: rows[0].epoch } : null;
}

/**
 * Takes the table's lease for `nodeId` with the next epoch, unless another node holds it unexpired.
 * The row is created free first (epoch 0) so that the takeover itself is always an UPDATE of a locked
 * row, which waits for every fenced ledger transaction of the old epoch still in flight.
 */
export async function takeLease(ds: DataSource, tableId: string, nodeId: string, ttlMs: number): Promise<TakenLease | null> {
  return ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO table_lease (table_id, node_id, epoch, expires_at, released) VALUES ($1, '', 0, '-infinity', true)
       ON CONFLICT (table_id) DO NOTHING`,
      [tableId],
    );
    const [row] = (await em.query(
      `SELECT node_id, epoch::text AS epoch, released, expires_at <= now() AS expired FROM table_lease WHERE table_id = $1 FOR UPDATE`,
      [tableId],
    )) as Array<{ node_id: string; epoch: string; released: boolean; expired: boolean }>;
    if (!row) return null;
    const origin = originOf(row, nodeId);
    if (!origin) return null;
    const [taken] = returned<{ epoch: string }>(
      await em.query(
        `UPDATE table_lease SET node_id = $2, epoch = epoch + 1, expires_at = now() + ${TTL}, released = false, updated_at = now()
         WHERE table_id = $1 RETURNING epoch::text AS epoch`,
        [tableId, nodeId, ttlMs],
      ),
    );
    return { tableId, nodeId, epoch: taken!.epoch, origin, previousNodeId: row.node_id };
  });
}

function originOf(row: { node_id: string; epoch: string; released: boolean; expired: boolean }, nodeId: string): LeaseOrigin | null {
  if (row.epoch === '0') return 'new';
  if (row.released) return 'released';
  if (row.node_id === nodeId) return 'own';
  return row.expired ? 'expired' : null;
}

/**
 * Places a new table's lease on another node (epoch 1, as if that node had taken it); that node's
 * keeper adopts it at its next round. Does nothing if the table already has a lease row.
 */
export async function assignLease(ds: DataSource, tableId: string, nodeId: string, ttlMs: number): Promise<boolean> {
  const rows = (await ds.query(
    `INSERT INTO table_lease (table_id, node_id, epoch, expires_at) VALUES ($1, $2, 1, now() + ${TTL})
     ON CONFLICT (table_id) DO NOTHING RETURNING table_id`,
    [tableId, nodeId, ttlMs],
  )) as unknown[];
  return rows.length > 0;
}

/** Extends every lease still held under its epoch; returns the ids of the tables still held. */
export async function renewLeases(ds: DataSource, nodeId: string, leases: readonly Lease[], ttlMs: number): Promise<Set<string>> {
  return updateHeld(ds, nodeId, leases, `expires_at = now() + ($4::int * interval '1 millisecond')`, [ttlMs]);
}

/** Gives leases up at once (graceful shutdown), so another node can take the tables without waiting out the TTL. */
export async function releaseLeases(ds: DataSource, nodeId: string, leases: readonly Lease[]): Promise<Set<string>> {
  return updateHeld(ds, nodeId, leases, `released = true, expires_at = now()`, []);
}

async function updateHeld(ds: DataSource, nodeId: string, leases: readonly Lease[], set: string, extra: unknown[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < leases.length; i += MAX_LEASES_PER_STATEMENT) {
    const chunk = leases.slice(i, i + MAX_LEASES_PER_STATEMENT);
    const rows = returned<{ table_id: string }>(
      await ds.query(
        `UPDATE table_lease l SET ${set}, updated_at = now()
         FROM unnest($1::uuid[], $2::bigint[]) AS m(table_id, epoch)
         WHERE l.table_id = m.table_id AND l.epoch = m.epoch AND l.node_id = $3 AND NOT l.released
         RETURNING l.table_id::text AS table_id`,
        [chunk.map((l) => l.tableId), chunk.map((l) => l.epoch), nodeId, ...extra],
      ),
    );
    for (const r of rows) held.add(r.table_id);
  }
  return held;
}

/** Records that `nodeId` is alive and how many tables it runs; forgets nodes silent for a day. */
export async function heartbeat(ds: DataSource, nodeId: string, liveTables: number): Promise<void> {
  await ds.query(
    `INSERT INTO felt_node (node_id, heartbeat_at, live_tables) VALUES ($1, now(), $2)
     ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now(), live_tables = EXCLUDED.live_tables`,
    [nodeId, liveTables],
  );
  await ds.query(`DELETE FROM felt_node WHERE heartbeat_at < now() - ($1::bigint * interval '1 millisecond')`, [FORGET_NODE_AFTER_MS]);
}

/** Removes the node's liveness row (graceful shutdown), so placement stops choosing it at once. */
export async function forgetNode(ds: DataSource, nodeId: string): Promise<void> {
  await ds.query(`DELETE FROM felt_node WHERE node_id = $1`, [nodeId]);
}

/** How many nodes heartbeat within the TTL and how many open tables there are: the basis of a fair share. */
export async function clusterLoad(ds: DataSource, ttlMs: number): Promise<{ liveNodes: number; openTables: number }> {
  const [row] = (await ds.query(
    `SELECT (SELECT count(*) FROM felt_node WHERE heartbeat_at > now() - ($1::int * interval '1 millisecond'))::int AS live_nodes,
            (SELECT count(*) FROM poker_table WHERE status = 'open')::int AS open_tables`,
    [ttlMs],
  )) as Array<{ live_nodes: number; open_tables: number }>;
  return { liveNodes: row?.live_nodes ?? 0, openTables: row?.open_tables ?? 0 };
}

/**
 * Open tables this node may take, at most `limit`, excluding those it runs: leases assigned to or
 * left by this node first (`own`), then free, released and expired ones, oldest tables first.
 */
export async function leaseCandidates(
  ds: DataSource,
  nodeId: string,
  running: readonly string[],
  limit: number,
): Promise<Array<{ tableId: string; own: boolean }>> {
  const rows = (await ds.query(
    `SELECT t.id::text AS id, (l.node_id IS NOT DISTINCT FROM $1 AND NOT l.released) AS own
     FROM poker_table t LEFT JOIN table_lease l ON l.table_id = t.id
     WHERE t.status = 'open' AND NOT (t.id = ANY($2::uuid[]))
       AND (l.table_id IS NULL OR l.released OR l.expires_at <= now() OR l.node_id = $1)
     ORDER BY 2 DESC, t.created_at, t.id
     LIMIT $3`,
    [nodeId, running, limit],
  )) as Array<{ id: string; own: boolean }>;
  return rows.map((r) => ({ tableId: r.id, own: r.own }));
}

/** The live node holding the fewest unexpired leases (ties go to `self`, then by name); `self` when none is live. */
export async function leastLoadedNode(ds: DataSource, self: string, ttlMs: number): Promise<string> {
  const rows = (await ds.query(
    `SELECT n.node_id FROM felt_node n
     WHERE n.heartbeat_at > now() - ($2::int * interval '1 millisecond')
     ORDER BY (SELECT count(*) FROM table_lease l WHERE l.node_id = n.node_id AND NOT l.released AND l.expires_at > now()),
              n.node_id = $1 DESC, n.node_id
     LIMIT 1`,
    [self, ttlMs],
  )) as Array<{ node_id: string }>;
  return rows[0]?.node_id ?? self;
}
