/**
 * How ledger functions reach the database: a DataSource (each call is its own transaction, retried on
 * serialization failures) or an EntityManager already inside a transaction (the call joins it, so a
 * caller can compose several ledger steps atomically; retrying is then the caller's job).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { isIdempotencyKeyRace, toLedgerError } from './errors';
import { withRetry } from './retry';

/** A DataSource or an EntityManager. */
export type Db = DataSource | EntityManager;

/** Anything that runs raw SQL with positional parameters. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** True when `db` is an EntityManager bound to a query runner with an open transaction. */
function inOpenTransaction(db: Db): db is EntityManager {
  const runner = (db as EntityManager).queryRunner;
  return runner !== undefined && runner.isTransactionActive;
}

/** The DataSource behind `db`. */
export function dataSourceOf(db: Db): DataSource {
  return 'initialize' in db ? db : db.connection;
}

/**
 * Runs `fn` in one transaction (READ COMMITTED: correctness comes from row locks taken in id order),
 * retrying on 40001/40P01. When two calls race with the same new idempotency key, the loser's INSERT
 * fails on the unique key; `onKeyRace` then answers from the winner's committed row.
 */
export async function runTransfer<T>(db: Db, fn: (em: EntityManager) => Promise<T>, onKeyRace?: () => Promise<T>): Promise<T> {
  if (inOpenTransaction(db)) return fn(db);
  const ds = dataSourceOf(db);
  try {
    return await withRetry(() => ds.transaction(fn));
  } catch (error) {
    if (onKeyRace && isIdempotencyKeyRace(error)) return onKeyRace();
    throw toLedgerError(error);
  }
}
