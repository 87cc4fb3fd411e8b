/**
 * The TypeORM entities describe the schema the migrations create, column for column: a fresh database
 * is migrated and information_schema is compared with each entity's metadata (names, types, NUMERIC
 * precision and scale, nullability, defaults, primary keys, unique constraints and foreign keys). Every
 * migrated table must have an entity and every entity a table. Differences are listed one per line.
 */
import type { DataSource, EntityMetadata } from 'typeorm';
import { createMigratedDataSource } from '../helpers/db';

/** TypeORM's own bookkeeping table, which no entity describes. */
const TYPEORM_TABLES = new Set(['migrations']);

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

interface DbConstraint {
  table_name: string;
  constraint_name: string;
  constraint_type: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY';
  columns: string[];
  referenced_table: string | null;
  referenced_columns: string[] | null;
}

/** A default as text without casts and quotes, so `'player'::text` (database) and `'player'` (TypeORM) compare equal. */
function plainDefault(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const noCasts = value.replace(/::[a-z ]+(\[\])?/gi, '');
  return noCasts.replace(/^'(.*)'$/s, '$1');
}

/** The default the database must show for a column, derived from its metadata (generated keys included). */
function expectedDefault(ds: DataSource, meta: EntityMetadata, column: EntityMetadata['columns'][number]): string | null {
  if (column.generationStrategy === 'increment') return `nextval('${meta.tableName}_${column.databaseName}_seq')`;
  if (column.generationStrategy === 'uuid') return 'gen_random_uuid()';
  return plainDefault(ds.driver.normalizeDefault(column));
}

async function readColumns(ds: DataSource): Promise<DbColumn[]> {
  return (await ds.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, numeric_precision, numeric_scale
     FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  )) as DbColumn[];
}

async function readConstraints(ds: DataSource): Promise<DbConstraint[]> {
  // pg_constraint keeps each constraint's column order (information_schema loses it for multi-column keys).
  return (await ds.query(
    `SELECT cl.relname AS table_name, c.conname AS constraint_name,
            CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' ELSE 'FOREIGN KEY' END AS constraint_type,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            rc.relname AS referenced_table,
            CASE WHEN c.contype = 'f' THEN ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) END AS referenced_columns
     FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = cl.relnamespace
     LEFT JOIN pg_class rc ON rc.oid = c.confrelid
     WHERE ns.nspname = 'public' AND c.contype IN ('p', 'u', 'f') ORDER BY 1, 2`,
  )) as DbConstraint[];
}

/** Every difference between one entity's columns and its table's columns, as readable lines. */
function columnDifferences(ds: DataSource, meta: EntityMetadata, dbColumns: DbColumn[]): string[] {
  const out: string[] = [];
  const t = meta.tableName;
  const byName = new Map(dbColumns.map((c) => [c.column_name, c]));
  for (const column of meta.columns) {
    const name = column.databaseName;
    const db = byName.get(name);
    if (!db) {
      out.push(`${t}.${name}: in entity ${meta.name}, not in the database`);
      continue;
    }
    byName.delete(name);
    const type = ds.driver.normalizeType(column);
    if (type !== db.data_type) out.push(`${t}.${name}: type is ${db.data_type}, entity says ${type}`);
    if (column.isNullable !== (db.is_nullable === 'YES')) out.push(`${t}.${name}: nullable is ${db.is_nullable}, entity says ${column.isNullable}`);
    const wantDefault = expectedDefault(ds, meta, column);
    const hasDefault = plainDefault(db.column_default);
    if (wantDefault !== hasDefault) out.push(`${t}.${name}: default is ${String(hasDefault)}, entity says ${String(wantDefault)}`);
    if (db.data_type === 'numeric') {
      const precision = column.precision ?? null;
      const scale = column.scale ?? null;
      if (precision !== db.numeric_precision || scale !== db.numeric_scale) {
        out.push(`${t}.${name}: NUMERIC(${String(db.numeric_precision)}, ${String(db.numeric_scale)}), entity says (${String(precision)}, ${String(scale)})`);
      }
    }
  }
  for (const name of byName.keys()) out.push(`${t}.${name}: in the database, not in entity ${meta.name}`);
  return out;
}

/** Every difference between one entity's keys (primary, unique, foreign) and its table's constraints. */
function constraintDifferences(meta: EntityMetadata, constraints: DbConstraint[]): string[] {
  const t = meta.tableName;
  const key = (cols: string[]) => cols.join(',');
  const expected = new Map<string, string>();
  expected.set(`PRIMARY KEY (${key(meta.primaryColumns.map((c) => c.databaseName))})`, 'primary key');
  for (const u of meta.uniques) expected.set(`UNIQUE (${key(u.columns.map((c) => c.databaseName))})`, `unique ${String(u.name)}`);
  for (const fk of meta.foreignKeys) {
    const refs = key(fk.referencedColumns.map((c) => c.databaseName));
    expected.set(`FOREIGN KEY (${key(fk.columns.map((c) => c.databaseName))}) -> ${fk.referencedEntityMetadata.tableName} (${refs})`, 'relation');
  }
  const actual = new Set(
    constraints.map((c) =>
      c.constraint_type === 'FOREIGN KEY'
        ? `FOREIGN KEY (${key(c.columns)}) -> ${String(c.referenced_table)} (${key(c.referenced_columns ?? [])})`
        : `${c.constraint_type} (${key(c.columns)})`,
    ),
  );
  const out: string[] = [];
  for (const [k, what] of expected) if (!actual.has(k)) out.push(`${t}: entity ${meta.name} declares ${k} (${what}), the database has none`);
  for (const k of actual) if (!expected.has(k)) out.push(`${t}: the database has ${k}, entity ${meta.name} does not declare it`);
  return out;
}

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(2);
});

afterAll(async () => {
  await ds?.destroy();
});

it('has exactly one entity for every table the migrations create', async () => {
  const tables = new Set((await readColumns(ds)).map((c) => c.table_name).filter((name) => !TYPEORM_TABLES.has(name)));
  const entityTables = ds.entityMetadatas.map((m) => m.tableName);
  const problems = [
    ...[...tables].filter((name) => !entityTables.includes(name)).map((name) => `table ${name} has no entity`),
    ...entityTables.filter((name) => !tables.has(name)).map((name) => `an entity names table ${name}, which the migrations do not create`),
    ...entityTables.filter((name, i) => entityTables.indexOf(name) !== i).map((name) => `table ${name} has more than one entity`),
  ];
  expect(problems).toEqual([]);
  // The comparison below must have something to compare: a vacuous pass would prove nothing.
  expect(tables.size).toBeGreaterThanOrEqual(8);
});

it('matches every entity column with its table column (type, NUMERIC precision/scale, nullability, default)', async () => {
  const columns = await readColumns(ds);
  const problems = ds.entityMetadatas.flatMap((meta) =>
    columnDifferences(ds, meta, columns.filter((c) => c.table_name === meta.tableName)),
  );
  expect(problems).toEqual([]);
});

it('matches every entity key with its table constraints (primary, unique, foreign)', async () => {
  const constraints = await readConstraints(ds);
  const problems = ds.entityMetadatas.flatMap((meta) => constraintDifferences(meta, constraints.filter((c) => c.table_name === meta.tableName)));
  expect(problems).toEqual([]);
});
