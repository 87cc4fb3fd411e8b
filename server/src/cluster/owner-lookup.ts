/**
 * The table's owner as the lease table says, when it exists. This has the signature of D1's
 * `ownerOf(ds, tableId)` in lease-store.ts (the contract's `table_lease` row); the integrator points
 * boot at that one. Before the lease migration is applied there is no such table, and routing asks
 * the nodes instead (see TableRouter).
 */
import type { DataSource } from 'typeorm';
import type { OwnerLookup } from './table-router';

/** The unexpired lease holder of `tableId`, or null. */
export async function ownerOf(ds: DataSource, tableId: string): Promise<{ nodeId: string; epoch: string } | null> {
  const rows = (await ds.query(
    `SELECT node_id AS "nodeId", epoch::text AS epoch FROM table_lease WHERE table_id = $1 AND expires_at > now()`,
    [tableId],
  )) as Array<{ nodeId: string; epoch: string }>;
  return rows[0] ?? null;
}

/** An owner lookup over the lease table, or undefined while the database has no lease table. */
export async function leaseOwnerLookup(ds: DataSource): Promise<OwnerLookup | undefined> {
  const [row] = (await ds.query(`SELECT to_regclass('public.table_lease') IS NOT NULL AS present`)) as Array<{ present: boolean }>;
  return row?.present ? (tableId) => ownerOf(ds, tableId) : undefined;
}
