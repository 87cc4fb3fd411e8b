/**
 * The TypeORM DataSource. Schema changes only ever come from migrations (synchronize is off), so
 * what runs in production is exactly what the migration files say.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Options for `createDataSource`. */
export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** How long PostgreSQL lets a session sit idle inside a transaction before ending it (default 30 s). */
  idleInTransactionMs?: number;
}

/** Builds (does not connect) a DataSource for `url`. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: false,
    applicationName: options.applicationName ?? 'felt',
    extra: {
      max: options.poolSize ?? 20,
      // A statement that runs this long is a bug or a lock pile-up; fail it instead of hanging the table.
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: options.idleInTransactionMs ?? 30_000,
    },
  });
}

/** True when every known migration has been applied. */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
