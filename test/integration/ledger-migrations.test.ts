/** The migrations are reversible: all downs then all ups on a fresh database leave a working schema. */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../server/src/persistence/data-source';
import { MIGRATIONS } from '../../server/src/persistence/migrations';
import { createEmptyDatabase } from '../helpers/db';
import { seedPair } from '../helpers/ledger-fixtures';
import { startHand } from '../../server/src/ledger/transactions';
import { DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME } from '../../shared/engine/deck-commitment';

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

/** Undoes newer migrations until `name` is the last one applied (so the next undo reverts it). */
async function undoDownTo(ds: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last] = (await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>;
    if (!last || last.name === name) return;
    await ds.undoLastMigration({ transaction: 'each' });
  }
}

async function hasColumn(ds: DataSource, table: string, column: string): Promise<boolean> {
  const rows = (await ds.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [table, column])) as unknown[];
  return rows.length > 0;
}

it('marks hands dealt before the deck commitment scheme as sha256(seed), and will not drop the scheme once Merkle hands exist', async () => {
  const ds = createDataSource({ url: await createEmptyDatabase(), poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // Back to the schema before the scheme column (later migrations are undone with it).
    while (await hasColumn(ds, 'hand', 'commitment_scheme')) await ds.undoLastMigration({ transaction: 'each' });
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
    await undoDownTo(ds, 'HandCommitmentScheme1763770500000');
    await ds.undoLastMigration({ transaction: 'each' });
    await ds.runMigrations({ transaction: 'each' });
    await startHand(ds, { tableId, handNumber: 3, buttonSeat: 0, config: {}, commitment, commitmentScheme: DECK_MERKLE_SCHEME });
    await undoDownTo(ds, 'HandCommitmentScheme1763770500000');
    await expect(ds.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/unverifiable/);
  } finally {
    await ds.destroy();
  }
});
