/**
 * The DataSource the TypeORM CLI uses for migrations:
 *   npx tsx node_modules/typeorm/cli.js migration:show -d ormconfig.ts
 * It needs DATABASE_URL (the embedded server prints its URL at startup).
 */
import { createDataSource } from './server/src/persistence/data-source';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('ormconfig.ts: set DATABASE_URL to the PostgreSQL server to migrate');

export default createDataSource({ url, applicationName: 'felt-cli' });
