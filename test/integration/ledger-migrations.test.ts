/** The migrations are reversible: all downs then all ups on a fresh database leave a working schema. */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../server/src/persistence/data-source';
import { MIGRATIONS } from '../../server/src/persistence/migrations';
import { createEmptyDatabase } from '../helpers/db';
import { seedPair } from '../helpers/ledger-fixtures';
import { startHand } from '../../server/src/persistence/hands';
import { DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME } from '../../shared/engine/deck-commitment';

const SCHEME_MIGRATION = 'HandCommitmentScheme1763770500000';

/** Undoes the latest migrations up to and including `name`, so a test does not depend on which one is last. */
async function undoThrough(ds: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last] = (await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>;
    if (!last) throw new Error(`${name} is not applied`);
    await ds.undoLastMigration({ transaction: 'each' });
    if (last.name === name) return;
  }
}

const OUR_TABLES = ['account', 'hand', 'hand_event', 'ledger_entry', 'player', 'poker_table', 'transfer'];

it('runs every down and then every up again', async () => {
  const ds = createDataSource({ url: await createEmptyDatabase(), poolSize: 2 });
  await ds.initialize();
  try {
    const tables = async () =>
      ((await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename`, [OUR_TABLES])) as {
        tablename: string;
      }[]).map((r) => r.tablename);
    await ds.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(OUR_TABLES);
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    const functions = (await ds.query(`SELECT proname FROM pg_proc WHERE proname LIKE 'felt_%'`)) as unknown[];
    expect(functions).toEqual([]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(OUR_TABLES);
    const house = (await ds.query(`SELECT kind FROM account ORDER BY id`)) as { kind: string }[];
    // The house accounts hold the highest ids, so they come last in the ascending lock order.
    expect(house.map((h) => h.kind)).toEqual(['house_cash', 'house_rake']);
  } finally {
    await ds.destroy();
  }
});

it('marks hands dealt before the deck commitment scheme as sha256(seed), and will not drop the scheme once Merkle hands exist', async () => {
  const ds = createDataSource({ url: await createEmptyDatabase(), poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await undoThrough(ds, SCHEME_MIGRATION);
    // As the table wrote hands before the scheme column existed.
    const [{ id: tableId }] = (await ds.query(
      `INSERT INTO poker_table (name, variant, max_seats, unit, small_blind, big_blind, min_buy_in, max_buy_in, action_timeout_ms)
       VALUES ('old', 'NT', 6, 1, 1, 2, 40, 200, 30000) RETURNING id`,
    )) as [{ id: string }];
    const { seed, commitment } = seedPair();
    await ds.query(`INSERT INTO hand (table_id, hand_number, button_seat, config, commitment, seed) VALUES ($1, 1, 0, '{}', $2, $3)`, [tableId, commitment, seed]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.query(`SELECT commitment_scheme FROM hand`)).toEqual([{ commitment_scheme: SEED_SHA256_SCHEME }]);
    // Every new hand must say which scheme it uses.
    await expect(ds.query(`INSERT INTO hand (table_id, hand_number, button_seat, config, commitment) VALUES ($1, 2, 0, '{}', $2)`, [tableId, commitment])).rejects.toThrow(/commitment_scheme/);
    await undoThrough(ds, SCHEME_MIGRATION);
    await ds.runMigrations({ transaction: 'each' });
    await startHand(ds, { tableId, handNumber: 3, buttonSeat: 0, config: {}, commitment, commitmentScheme: DECK_MERKLE_SCHEME });
    await expect(undoThrough(ds, SCHEME_MIGRATION)).rejects.toThrow(/unverifiable/);
  } finally {
    await ds.destroy();
  }
});

it('refuses the rake transfer kind that nothing books, and allows it again after the down', async () => {
  const ds = createDataSource({ url: await createEmptyDatabase(), poolSize: 2 });
  await ds.initialize();
  const insertRake = () => ds.query(`INSERT INTO transfer (kind, idempotency_key, params_hash) VALUES ('rake', $1, repeat('0', 64))`, [`rake-${Date.now()}`]);
  try {
    await ds.runMigrations({ transaction: 'each' });
    await expect(insertRake()).rejects.toThrow(/transfer_kind_check/);
    await undoThrough(ds, 'DropRakeTransferKind1763770800000');
    await ds.transaction(async (em) => {
      // A transfer without entries is balanced (zero-sum over nothing), so only the CHECK is under test.
      await em.query(`INSERT INTO transfer (kind, idempotency_key, params_hash) VALUES ('rake', 'rake-down', repeat('0', 64))`);
    });
    await expect(ds.runMigrations({ transaction: 'each' })).rejects.toThrow(/rake transfers exist/);
  } finally {
    await ds.destroy();
  }
});
