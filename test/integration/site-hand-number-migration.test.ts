/**
 * The site-wide hand number migration: existing hands are numbered in start order, new hands continue
 * the sequence, numbers are unique, and the migration reverts cleanly.
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../server/src/persistence/data-source';
import { createEmptyDatabase } from '../helpers/db';

const COMMITMENT = 'a'.repeat(64);

async function addTable(ds: DataSource, name: string): Promise<string> {
  const rows = (await ds.query(
    `INSERT INTO poker_table (name, variant, max_seats, unit, small_blind, big_blind, min_buy_in, max_buy_in, action_timeout_ms)
     VALUES ($1, 'NT', 6, 1, 1, 2, 40, 200, 30000) RETURNING id`,
    [name],
  )) as { id: string }[];
  return rows[0]!.id;
}

async function hasColumn(ds: DataSource, column: string): Promise<boolean> {
  const rows = (await ds.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'hand' AND column_name = $1`, [column])) as unknown[];
  return rows.length > 0;
}

async function addHand(ds: DataSource, tableId: string, handNumber: number, startedAt?: string): Promise<string> {
  // Later migrations add columns new rows must fill (the deck commitment scheme); older schemas lack them.
  const scheme = (await hasColumn(ds, 'commitment_scheme')) ? `'felt-seed-sha256-v1'` : null;
  const rows = (await ds.query(
    `INSERT INTO hand (table_id, hand_number, button_seat, config, commitment, started_at${scheme ? ', commitment_scheme' : ''})
     VALUES ($1, $2, 0, '{}'::jsonb, $3, COALESCE($4::timestamptz, now())${scheme ? `, ${scheme}` : ''}) RETURNING id`,
    [tableId, handNumber, COMMITMENT, startedAt ?? null],
  )) as { id: string }[];
  return rows[0]!.id;
}

/** Undoes migrations, newest first, until the site hand number migration itself is undone. */
async function revertSiteNumbers(ds: DataSource): Promise<void> {
  while (await hasColumn(ds, 'site_hand_number')) await ds.undoLastMigration({ transaction: 'each' });
}

async function siteNumbers(ds: DataSource): Promise<Record<string, string>> {
  const rows = (await ds.query(`SELECT id, site_hand_number::text AS n FROM hand`)) as { id: string; n: string }[];
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}

it('numbers existing hands in start order, continues for new hands, and reverts', async () => {
  const ds = createDataSource({ url: await createEmptyDatabase(), poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await revertSiteNumbers(ds);
    // Two tables whose own numbers both start at 1, started interleaved (and out of insertion order).
    const a = await addTable(ds, 'A');
    const b = await addTable(ds, 'B');
    const a2 = await addHand(ds, a, 2, '2026-01-01T10:03:00Z');
    const a1 = await addHand(ds, a, 1, '2026-01-01T10:00:00Z');
    const b1 = await addHand(ds, b, 1, '2026-01-01T10:01:00Z');
    const b2 = await addHand(ds, b, 2, '2026-01-01T10:05:00Z');
    await ds.runMigrations({ transaction: 'each' });
    expect(await siteNumbers(ds)).toEqual({ [a1]: '1', [b1]: '2', [a2]: '3', [b2]: '4' });
    const a3 = await addHand(ds, a, 3);
    const b3 = await addHand(ds, b, 3);
    expect(await siteNumbers(ds)).toMatchObject({ [a3]: '5', [b3]: '6' });
    await expect(ds.query(`UPDATE hand SET site_hand_number = 1 WHERE id = $1`, [b3])).rejects.toThrow(/hand_site_number_uq/);
    await revertSiteNumbers(ds);
    const columns = (await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'hand' AND column_name = 'site_hand_number'`)) as unknown[];
    const sequences = (await ds.query(`SELECT relname FROM pg_class WHERE relname = 'hand_site_number_seq'`)) as unknown[];
    expect([columns, sequences]).toEqual([[], []]);
    // Up again after the revert: every hand so far, in start order (the two new ones started last).
    await ds.runMigrations({ transaction: 'each' });
    expect(await siteNumbers(ds)).toEqual({ [a1]: '1', [b1]: '2', [a2]: '3', [b2]: '4', [a3]: '5', [b3]: '6' });
  } finally {
    await ds.destroy();
  }
});
