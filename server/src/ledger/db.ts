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

/** The part of a `pg` client used for named statements. */
interface PgClientLike {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hot-path statement as a named (server-side prepared) statement on the transaction's own
 * connection, so PostgreSQL parses and plans it once per connection instead of on every settlement,
 * which matters because the planning would happen while row locks are held. Falls back to a plain
 * query when `q` has no query runner (e.g. a bare DataSource).
 */
export async function preparedQuery<R>(q: Queryable, name: string, text: string, values: unknown[]): Promise<R[]> {
  const runner = (q as Partial<EntityManager>).queryRunner;
  if (runner && !runner.isReleased) {
    const client = (await runner.connect()) as PgClientLike;
    return (await client.query({ name, text, values })).rows as R[];
  }
  return (await q.query(text, values)) as R[];
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
