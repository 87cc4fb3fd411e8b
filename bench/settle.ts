/**
 * Hand settlements per second: `npm run bench:settle`.
 *
 * One settlement = 6 seats: one transfer, 7 ledger entries (6 seats + rake), 7 account updates and the
 * hand's compare-and-swap, in one transaction. Four contenders run side by side on the same fresh
 * embedded PostgreSQL (default settings: fsync on, synchronous commit — real durability):
 *   ours    the real `settleHand` through TypeORM (its two statements are named, i.e. prepared per connection);
 *   oursGrouped  the same `settleHand` through a GroupCommit, as the server runs it: settlements of
 *           different tables that are ready together share one transaction (a savepoint each), so
 *           one COMMIT; `settlementsPerCommitGrouped` says how many shared each;
 *   rawPg   the very same two statements (SETTLE_LOCK_SQL, WRITE_TRANSFER_SQL) sent with a bare `pg` pool;
 *   pgbench PostgreSQL's own client with the same statements, prepared (-M prepared): the ceiling.
 * Each concurrency level gives every client its own table (its own 6 seat accounts); all clients share
 * house_rake, as in production. Results go to bench/results/settle.json.
 * Environment: BENCH_SECONDS (default 8), BENCH_CONCURRENCY (default "1,4,16"), PGBENCH (binary path),
 * BENCH_GROUP_IN_FLIGHT (the group committer's maxInFlight; default the server's).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../client-sim/src/free-port';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { chips, type Chips } from '../shared/money';
import { createDataSource } from '../server/src/persistence/data-source';
import { startEmbeddedPostgres } from '../server/src/persistence/embedded-postgres';
import { buyIn, credit, GroupCommit, settleHand } from '../server/src/ledger/transactions';
import { DEFAULT_GROUP_COMMIT } from '../server/src/ledger/group-commit';
import { createTable } from '../server/src/persistence/poker-tables';
import { WRITE_TRANSFER_SQL, writeTransferParams, type Leg } from '../server/src/ledger/accounts';
import { SETTLE_LOCK_SQL, type SettleLockRow } from '../server/src/ledger/settle-sql';
import { reconcile } from '../server/src/ledger/reconcile';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 1;
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,4,16').split(',').map(Number);
const SEATS = 6;
/** Hands seeded per run are sized for this rate, far above what 2 cores reach, so no client runs dry. */
const SEED_RATE = 3000;
const SEED_HEX = 'ab'.repeat(32);
const HASH_HEX = 'cd'.repeat(32);
/**
 * Seat 0 wins 10 minus the rake, seats 1..5 lose 2 each: sums to zero. Stacks are large enough never to
 * run dry. BENCH_RAKE=0 settles without rake, i.e. without touching the shared house_rake row, to show
 * how much that single hot row limits scaling (results then go to settle-no-rake.json).
 */
const RAKE = chips(process.env.BENCH_RAKE === '0' ? 0 : 1);
const AMOUNTS = [chips(10).minus(RAKE), ...Array.from({ length: SEATS - 1 }, () => chips(-2))];
const LOCK_RAKE = RAKE.gt(0);
const STACK = chips(10_000_000);

interface Lane {
  lane: number;
  tableId: string;
  playerIds: string[];
}

/** Finds pgbench: $PGBENCH, Debian's versioned path, then PATH's wrapper. */
function findPgbench(): string | undefined {
  const candidates = [process.env.PGBENCH, '/usr/lib/postgresql/15/bin/pgbench', '/usr/lib/postgresql/16/bin/pgbench', '/usr/bin/pgbench'];
  return candidates.find((p): p is string => typeof p === 'string' && existsSync(p));
}

/** Creates `count` tables, each with 6 seated players holding large stacks, through the real ledger code. */
async function seedLanes(ds: DataSource, count: number): Promise<Lane[]> {
  const lanes: Lane[] = [];
  for (let lane = 0; lane < count; lane++) {
    const { id: tableId } = await createTable(ds, {
      name: `bench-${lane}`,
      variant: 'NT',
      maxSeats: SEATS,
      unit: chips(1),
      smallBlind: chips(1),
      bigBlind: chips(2),
      minBuyIn: chips(1),
      maxBuyIn: STACK,
      actionTimeoutMs: 15_000,
    });
    const playerIds: string[] = [];
    for (let seat = 0; seat < SEATS; seat++) {
      const rows = (await ds.query(`INSERT INTO player (username, password_hash) VALUES ($1, 'x') RETURNING id`, [`bench_${lane}_${seat}`])) as { id: string }[];
      const playerId = rows[0]!.id;
      await credit(ds, { playerId, amount: STACK, idempotencyKey: `bench-credit-${playerId}` });
      await buyIn(ds, { playerId, tableId, amount: STACK, idempotencyKey: `bench-buyin-${playerId}` });
      playerIds.push(playerId);
    }
    lanes.push({ lane, tableId, playerIds });
  }
  // pgbench cannot build arrays, so it reads each lane's ids from this helper table.
  await ds.query(`CREATE TABLE bench_lane (lane int PRIMARY KEY, table_id uuid NOT NULL, player_ids text NOT NULL, account_ids text NOT NULL, amounts text NOT NULL)`);
  for (const l of lanes) {
    const accounts = (await ds.query(
      `SELECT id::text AS id FROM account WHERE kind = 'seat' AND table_id = $1 AND player_id = ANY($2::uuid[]) ORDER BY array_position($2::uuid[], player_id)`,
      [l.tableId, l.playerIds],
    )) as { id: string }[];
    const rake = (await ds.query(`SELECT id::text AS id FROM account WHERE kind = 'house_rake' AND table_id = $1`, [l.tableId])) as { id: string }[];
    await ds.query(`INSERT INTO bench_lane VALUES ($1, $2, $3, $4, $5)`, [
      l.lane,
      l.tableId,
      `{${l.playerIds.join(',')}}`,
      `{${[...accounts.map((a) => a.id), ...(LOCK_RAKE ? [rake[0]!.id] : [])].join(',')}}`,
      `{${[...AMOUNTS, ...(LOCK_RAKE ? [RAKE] : [])].map((a) => a.toString()).join(',')}}`,
    ]);
  }
  return lanes;
}

/** Inserts `perLane` in_progress hands for each of `lanes`, numbered from `base + 1`; returns their ids per lane. */
async function seedHands(ds: DataSource, lanes: Lane[], base: number, perLane: number): Promise<string[][]> {
  const ids: string[][] = [];
  const commitment = createHash('sha256').update(Buffer.from(SEED_HEX, 'hex')).digest('hex');
  for (const l of lanes) {
    const mine: string[] = [];
    // Chunks keep each INSERT well inside the DataSource's statement timeout on a busy machine.
    for (let from = 1; from <= perLane; from += 10_000) {
      const rows = (await ds.query(
        `INSERT INTO hand (table_id, hand_number, button_seat, config, commitment, commitment_scheme)
         SELECT $1, $2::bigint + g, 0, '{"bench":true}', $3, 'felt-seed-sha256-v1' FROM generate_series($4::int, $5::int) g ORDER BY g RETURNING id`,
        [l.tableId, base, commitment, from, Math.min(perLane, from + 9_999)],
      )) as { id: string }[];
      mine.push(...rows.map((r) => r.id));
    }
    ids.push(mine);
  }
  // Statistics are refreshed only now that the tables hold rows (an ANALYZE of an empty table would
  // make foreign-key checks plan sequential scans).
  await ds.query('ANALYZE hand');
  return ids;
}

type Settle = (lane: Lane, handId: string) => Promise<void>;

/** Runs one client per lane until the deadline; returns settlements per second. */
async function runClients(lanes: Lane[], hands: string[][], settle: Settle, seconds: number): Promise<{ rate: number; done: number; ranDry: boolean }> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let ranDry = false;
  const counts = await Promise.all(
    lanes.map(async (lane, i) => {
      const mine = hands[i]!;
      let n = 0;
      while (performance.now() < deadline) {
        const handId = mine.shift();
        if (!handId) {
          ranDry = true;
          break;
        }
        await settle(lane, handId);
        n++;
      }
      return n;
    }),
  );
  const done = counts.reduce((a, b) => a + b, 0);
  return { rate: done / ((performance.now() - start) / 1000), done, ranDry };
}

/** The real code path: each settlement its own transaction (a DataSource), or group-committed as the server does. */
function oursSettle(target: DataSource | GroupCommit): Settle {
  return async (lane, handId) => {
    await settleHand(target, {
      handId,
      idempotencyKey: `ours-${handId}`,
      deltas: lane.playerIds.map((playerId, seat) => ({ playerId, amount: AMOUNTS[seat]! })),
      rake: RAKE,
      seed: SEED_HEX,
      result: { winners: [lane.playerIds[0]], pot: '10' },
    });
  };
}

/** The same (named, prepared) statements through a bare `pg` pool, with the minimum of JavaScript around them. */
function rawSettle(pool: Pool): Settle {
  return async (lane, handId) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const values = [handId, SEED_HEX, JSON.stringify({ winners: [lane.playerIds[0]], pot: '10' }), lane.playerIds];
      const locked = (await client.query({ name: 'felt_settle_lock', text: SETTLE_LOCK_SQL, values })).rows as SettleLockRow[];
      const tableId = locked[0]!.table_id;
      const legs: Leg[] = [];
      const seatBalances: Record<string, string> = {};
      for (const row of locked) {
        if (row.kind === 'house_rake') {
          if (LOCK_RAKE) legs.push({ account: { id: row.id!, kind: 'house_rake', playerId: null, tableId, balance: chips(row.balance!) }, amount: RAKE });
          continue;
        }
        const amount: Chips = AMOUNTS[lane.playerIds.indexOf(row.player_id!)]!;
        const account = { id: row.id!, kind: 'seat' as const, playerId: row.player_id, tableId, balance: chips(row.balance!) };
        legs.push({ account, amount });
        seatBalances[row.player_id!] = account.balance.plus(amount).toString();
      }
      const row = { kind: 'hand_settlement' as const, idempotencyKey: `raw-${handId}`, paramsHash: HASH_HEX, handId, tableId, result: { handId, seatBalances, rake: RAKE.toString() } };
      await client.query({ name: 'felt_write_transfer', text: WRITE_TRANSFER_SQL, values: writeTransferParams(row, legs) });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

/**
 * The pgbench script: one indexed lookup of the lane's ids and the hand id (outside the transaction;
 * pgbench cannot build arrays or uuids itself), then BEGIN, the two statements of `settleHand`, COMMIT.
 */
function pgbenchScript(): string {
  const lock = SETTLE_LOCK_SQL.replace(/\$(\d+)/g, (_, n: string) => ({ 1: ':hid', 2: ':seed', 3: ':result', 4: ':pids' })[n as '1']!);
  const write = WRITE_TRANSFER_SQL.replace(
    /\$(\d+)/g,
    (_, n: string) => ({ 1: ':kind', 2: ':key', 3: ':hash', 4: ':hid', 5: ':tid', 6: 'NULL', 7: 'NULL', 8: 'NULL', 9: ':tresult', 10: ':aids', 11: ':amts' })[n as '1']!,
  );
  return [
    '\\set k :k + 1',
    '\\set hn :base + :k',
    '\\set key :keybase + :client_id * 100000000 + :k',
    `SELECT l.table_id AS tid, l.player_ids AS pids, l.account_ids AS aids, l.amounts AS amts, h.id AS hid
     FROM bench_lane l JOIN hand h ON h.table_id = l.table_id AND h.hand_number = :hn WHERE l.lane = :client_id \\gset`,
    'BEGIN;',
    `${lock.trim()};`,
    `${write.trim()};`,
    'COMMIT;',
    '',
  ].join('\n');
}

/** Runs pgbench at concurrency `c` and returns its tps (excluding connection time). */
async function runPgbench(bin: string, url: URL, dir: string, c: number, base: number, keybase: number): Promise<{ rate: number; done: number; failed: number }> {
  const script = path.join(dir, 'settle.pgbench');
  writeFileSync(script, pgbenchScript());
  const result = { winners: ['x'], pot: '10' };
  const transferResult = { handId: randomUUID(), seatBalances: Object.fromEntries(Array.from({ length: SEATS }, () => [randomUUID(), '10000000'])), rake: RAKE.toString() };
  const args = [
    ...['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-n', '-M', 'prepared'],
    ...['-c', String(c), '-j', String(Math.min(c, 2)), '-T', String(SECONDS), '-f', script],
    ...['-D', 'k=0', '-D', `base=${base}`, '-D', `keybase=${keybase}`, '-D', `seed=${SEED_HEX}`, '-D', `hash=${HASH_HEX}`, '-D', 'kind=hand_settlement'],
    ...['-D', `result=${JSON.stringify(result)}`, '-D', `tresult=${JSON.stringify(transferResult)}`],
    url.pathname.slice(1),
  ];
  const { stdout } = await promisify(execFile)(bin, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, maxBuffer: 1 << 24 });
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(stdout);
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (!tps || !processed) throw new Error(`could not read pgbench output:\n${stdout}`);
  // tps is parsed from pgbench's decimal text only to report a rate; no chip amount is involved.
  return { rate: Number(tps[1]), done: Number(processed[1]), failed: Number(failed?.[1] ?? 0) };
}

/** What every level of the benchmark shares. */
interface BenchContext {
  ds: DataSource;
  pool: Pool;
  url: URL;
  root: string;
  lanes: Lane[];
  pgbenchBin: string | undefined;
  run: number;
}

type Measured = { rate: number; done: number; ranDry: boolean };

/** Seeds fresh hands for the first `c` lanes, warms up, then measures `settle` for `seconds`. */
async function measure(ctx: BenchContext, c: number, settle: Settle, seconds: number): Promise<Measured> {
  ctx.run++;
  const mine = ctx.lanes.slice(0, c);
  const hands = await seedHands(ctx.ds, mine, ctx.run * 10_000_000, perLane(c));
  await runClients(mine, hands, settle, WARMUP_SECONDS);
  return runClients(mine, hands, settle, seconds);
}

function perLane(c: number): number {
  return Math.ceil((SEED_RATE * (SECONDS + WARMUP_SECONDS)) / c) + 100;
}

/** pgbench at concurrency `c`, then a check that it settled exactly as many hands as it reports. */
async function measurePgbench(ctx: BenchContext, c: number, bin: string): Promise<{ rate: number; done: number; failed: number }> {
  ctx.run++;
  const base = ctx.run * 10_000_000;
  await seedHands(ctx.ds, ctx.lanes.slice(0, c), base, perLane(c));
  const result = await runPgbench(bin, ctx.url, ctx.root, c, base, ctx.run * 1_000_000_000_000);
  const settled = (await ctx.ds.query(`SELECT count(*)::int AS n FROM hand WHERE hand_number > $1 AND hand_number <= $2 AND status = 'settled'`, [
    base,
    base + perLane(c),
  ])) as { n: number }[];
  if (settled[0]!.n !== result.done) throw new Error(`pgbench reported ${result.done} transactions but ${settled[0]!.n} hands were settled`);
  return result;
}

/** One row of the results: the three contenders at concurrency `c`. */
async function benchLevel(ctx: BenchContext, c: number) {
  // The machine is shared and noisy, so ours and rawPg alternate in ABBA order, half the time each
  // turn, and their rates are averaged; whichever runs while a checkpoint or autovacuum hits pays equally.
  const half = SECONDS / 2;
  const t1 = await measure(ctx, c, oursSettle(ctx.ds), half);
  const t2 = await measure(ctx, c, rawSettle(ctx.pool), half);
  const t3 = await measure(ctx, c, rawSettle(ctx.pool), half);
  const t4 = await measure(ctx, c, oursSettle(ctx.ds), half);
  // The server's path: settlements of different tables share transactions (group commit).
  const group = new GroupCommit(ctx.ds, { ...DEFAULT_GROUP_COMMIT, maxInFlight: Number(process.env.BENCH_GROUP_IN_FLIGHT ?? DEFAULT_GROUP_COMMIT.maxInFlight) });
  const g1 = await measure(ctx, c, oursSettle(group), half);
  const g2 = await measure(ctx, c, oursSettle(group), half);
  const combine = (a: Measured, b: Measured): Measured => ({ rate: (a.rate + b.rate) / 2, done: a.done + b.done, ranDry: a.ranDry || b.ranDry });
  const ours = combine(t1, t4);
  const rawPg = combine(t2, t3);
  const grouped = combine(g1, g2);
  const groupStats = group.stats();
  const pgbench = ctx.pgbenchBin ? await measurePgbench(ctx, c, ctx.pgbenchBin) : null;
  return {
    concurrency: c,
    ours: Math.round(ours.rate),
    rawPg: Math.round(rawPg.rate),
    pgbench: pgbench ? Math.round(pgbench.rate) : null,
    oursGrouped: Math.round(grouped.rate),
    settlementsPerCommitGrouped: groupStats.commits === 0 ? null : Number((groupStats.committedItems / groupStats.commits).toFixed(2)),
    ratio: Number((ours.rate / rawPg.rate).toFixed(3)),
    oursOverPgbench: pgbench ? Number((ours.rate / pgbench.rate).toFixed(3)) : null,
    settled: { ours: ours.done, oursGrouped: grouped.done, rawPg: rawPg.done, pgbench: pgbench?.done ?? null, pgbenchFailed: pgbench?.failed ?? null },
    ranDry: ours.ranDry || rawPg.ranDry || grouped.ranDry,
  };
}

/** Writes the results file with the run's metadata. */
async function writeResults(ctx: BenchContext, rows: unknown[]): Promise<void> {
  const settings = (await ctx.ds.query(
    `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
            current_setting('synchronous_commit') AS synchronous_commit, current_setting('wal_sync_method') AS wal_sync_method`,
  )) as Record<string, string>[];
  const check = await reconcile(ctx.ds);
  const output = {
    benchmark: 'hand settlement, 6 seats: 1 transfer + 7 ledger entries + 7 account updates + hand CAS per transaction',
    secondsPerContender: SECONDS,
    rakePerHand: RAKE.toString(),
    warmupSeconds: WARMUP_SECONDS,
    rows,
    metadata: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      postgres: settings[0],
      pgbench: ctx.pgbenchBin ?? null,
      clients: 'one table (6 seat accounts and its own house_rake account) per client',
      pgbenchNote: 'pgbench adds one indexed lookup per transaction (outside it) to fetch ids it cannot compute',
      reconcileAfterBench: { ok: check.ok, transfers: check.transfers, entries: check.entries },
    },
  };
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const file = LOCK_RAKE ? 'settle.json' : 'settle-no-rake.json';
  writeFileSync(path.join(__dirname, 'results', file), `${JSON.stringify(output, null, 2)}\n`);
  console.log(`wrote bench/results/${file}; reconcile after bench: ${check.ok ? 'OK' : 'DRIFT'}`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'felt-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port: await freePort(), database: 'felt_bench' });
  const maxC = Math.max(...LEVELS);
  const ds = createDataSource({ url: pg.url, poolSize: maxC + 4, applicationName: 'felt-bench' });
  const pool = new Pool({ connectionString: pg.url, max: maxC + 4 });
  // Connections cut when the bench's own PostgreSQL stops are expected; do not crash on them.
  pool.on('error', () => undefined);
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const lanes = await seedLanes(ds, maxC);
    await ds.query('ANALYZE');
    const pgbenchBin = findPgbench();
    if (!pgbenchBin) console.warn('pgbench not found (set PGBENCH or apt-get install postgresql-client-15): the pgbench column will be null');
    const ctx: BenchContext = { ds, pool, url: new URL(pg.url), root, lanes, pgbenchBin, run: 0 };
    const rows = [];
    for (const c of LEVELS) {
      const row = await benchLevel(ctx, c);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
    await writeResults(ctx, rows);
  } finally {
    await pool.end().catch(() => undefined);
    await ds.destroy().catch(() => undefined);
    await pg.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
