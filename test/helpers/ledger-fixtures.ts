/** Rows the ledger tests need: players, tables and hands, created through the real code where it exists. */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createTable } from '../../server/src/persistence/poker-tables';
import { startHand } from '../../server/src/persistence/hands';
import { DECK_MERKLE_SCHEME, commitDeck } from '../../shared/engine/deck-commitment';
import { LedgerError } from '../../server/src/ledger/transactions';

/** Inserts a player row (auth is not under test here) and returns its id. */
export async function createPlayer(ds: DataSource, name = `p_${randomBytes(5).toString('hex')}`): Promise<string> {
  const rows = (await ds.query(`INSERT INTO player (username, password_hash) VALUES ($1, 'x') RETURNING id`, [name])) as { id: string }[];
  return rows[0]!.id;
}

/** A 1/2 no-limit table with unit 1 and no rake unless told. */
export async function createTestTable(ds: DataSource, overrides: Partial<Parameters<typeof createTable>[1]> = {}): Promise<string> {
  const { id } = await createTable(ds, {
    name: `t_${randomBytes(4).toString('hex')}`,
    variant: 'NT',
    maxSeats: 6,
    unit: chips(1),
    smallBlind: chips(1),
    bigBlind: chips(2),
    minBuyIn: chips(40),
    maxBuyIn: chips(200),
    actionTimeoutMs: 15_000,
    ...overrides,
  });
  return id;
}

/** A fresh deck seed and its commitment (the Merkle root the table publishes). */
export function seedPair(): { seed: string; commitment: string } {
  const seed = randomBytes(32);
  return { seed: seed.toString('hex'), commitment: commitDeck(seed).root };
}

/** Starts the table's next hand and returns its id and seed. */
export async function startTestHand(ds: DataSource, tableId: string): Promise<{ handId: string; seed: string }> {
  const { seed, commitment } = seedPair();
  const { handId } = await startHand(ds, { tableId, buttonSeat: 0, config: { test: true }, commitment, commitmentScheme: DECK_MERKLE_SCHEME });
  return { handId, seed };
}

/** The ledger error code a promise rejects with, or 'ok' (any other error is rethrown). */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
}
