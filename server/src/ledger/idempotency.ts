/**
 * Idempotency keys. Each transfer stores its key, a sha256 of its canonical parameters and its result.
 * A call with a known key and the same parameters gets the stored result back and moves nothing; the
 * same key with different parameters is a conflict, never a silent second movement.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { LedgerError } from './errors';
import type { Queryable } from './db';

/** sha256 hex of the canonical form of `params`. */
export function paramsHash(params: unknown): string {
  return createHash('sha256').update(canonicalJson(params)).digest('hex');
}

/** The stored facts about a key that has been used. */
export interface StoredTransfer {
  id: string;
  kind: string;
  paramsHash: string;
  result: Record<string, unknown>;
}

/** Reads the transfer recorded under `key`, if any. */
export async function findTransferByKey(db: Queryable, key: string): Promise<StoredTransfer | undefined> {
  const rows = (await db.query(
    `SELECT id::text AS id, kind, params_hash, result FROM transfer WHERE idempotency_key = $1`,
    [key],
  )) as { id: string; kind: string; params_hash: string; result: Record<string, unknown> }[];
  const row = rows[0];
  return row && { id: row.id, kind: row.kind, paramsHash: row.params_hash, result: row.result };
}

/** The replay answer for `stored`, or an idempotency_conflict when the parameters differ. */
export function replayOf<T>(stored: StoredTransfer, kind: string, hash: string): T {
  if (stored.kind !== kind || stored.paramsHash !== hash) {
    throw new LedgerError('idempotency_conflict', `idempotency key was already used for a different ${stored.kind}`);
  }
  return { ...stored.result, transferId: stored.id } as T;
}
