/** The migrations are reversible: all downs then all ups on a fresh database leave a working schema. */
import { createDataSource } from '../../server/src/persistence/data-source';
import { MIGRATIONS } from '../../server/src/persistence/migrations';
import { createEmptyDatabase } from '../helpers/db';

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
