/**
 * The lease fence: every table-scoped ledger transaction of a table actor carries the lease its node
 * holds (node id and epoch) and checks it inside the same transaction. The check takes a FOR KEY SHARE
 * lock on the lease row, and a takeover locks that row FOR UPDATE before it raises the epoch, so the
 * takeover waits for every fenced transaction in flight and every later one sees the new epoch: a node
 * that lost a table can neither move a chip nor write history for it after the takeover committed.
 * KEY SHARE rather than SHARE so that a lease renewal (a plain UPDATE of expires_at, which takes only
 * FOR NO KEY UPDATE) never waits for the ledger: under load, renewals queued behind group commits
 * that held the row for seconds, and the leases lapsed although their node was alive.
 */
import type { Queryable } from './db';
import { LedgerError } from './errors';
import { fencedRefusals } from '../metrics';

/** The lease under which a table actor acts: the table, the node holding it and the epoch it took. */
export interface Fence {
  tableId: string;
  nodeId: string;
  /** A bigint as a decimal string (epochs only grow, and JSON has no bigint). */
  epoch: string;
}

/** The caller's lease on the table is gone (another node took it over); nothing was moved. */
export class LeaseLostError extends LedgerError {
  constructor(readonly fence: Fence, message?: string) {
    super('lease_lost', message ?? `node ${fence.nodeId} no longer holds table ${fence.tableId} at epoch ${fence.epoch}`);
  }
}

/** True for a refusal by the fence. */
export function isLeaseLost(error: unknown): error is LeaseLostError {
  return error instanceof LedgerError && error.code === 'lease_lost';
}

/**
 * Throws LeaseLostError unless the lease row still names the caller's node and epoch. Expiry alone is
 * not checked on purpose: an expired lease nobody took over is still safely the caller's (the row lock
 * orders this transaction before any takeover), and refusing it would stop tables for nothing after a
 * slow renewal. Without a fence (admin tooling, ledger tests) there is nothing to check.
 */
export async function assertFence(q: Queryable, fence: Fence | undefined): Promise<void> {
  if (!fence) return;
  const rows = (await q.query(
    `SELECT 1 FROM table_lease WHERE table_id = $1 AND node_id = $2 AND epoch = $3::bigint AND NOT released FOR KEY SHARE`,
    [fence.tableId, fence.nodeId, fence.epoch],
  )) as unknown[];
  if (rows.length === 0) {
    fencedRefusals.inc({ op: 'ledger' });
    throw new LeaseLostError(fence);
  }
}
