/**
 * Plays real hands through a real server for the hand-history tests, then restarts the server on the
 * same database so that the hands left in progress are voided by startup recovery (exactly as after
 * a crash): the history then holds settled hands of every variant, side pots with rake, and voids.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { restartTestServer, startTestServer } from './server';
import { adminToken, createTable, credit, open, register, type TestClient } from './clients';
import { passive, playHands, shove } from './play';
import { findSplitSeed } from './seeds';

/** The bootstrap admin of the history tests. */
export const HISTORY_ADMIN = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

/** What was played. */
export interface PlayedHistory {
  felt: Felt;
  admin: string;
  tables: { split: string; holdem: string; sidePots: string; limit: string; omaha: string; slow: string };
  /** Everyone who sat, with the table they sat at. */
  players: Array<{ playerId: string; username: string; token: string; tableId: string }>;
}

async function seat(felt: Felt, admin: string, tableId: string, buyIns: string[], people: PlayedHistory['players'], numbered = false): Promise<TestClient[]> {
  const clients: TestClient[] = [];
  for (const [i, buyIn] of buyIns.entries()) {
    const p = await register(felt.url, 'h');
    people.push({ ...p, tableId });
    await credit(felt.url, admin, p.playerId, '1000');
    const c = await open(felt.url, p.token, p.playerId);
    const ack = await c.call('table:sit', { tableId, buyIn, requestId: randomUUID(), ...(numbered ? { seat: i } : {}) });
    if (!ack.ok) throw new Error(`sit failed: ${JSON.stringify(ack)}`);
    clients.push(c);
  }
  return clients;
}

/** Plays hold'em, a side-pot all-in with rake, limit and Omaha hands; restarts so the live hands are voided. */
export async function playHistory(options: { quick?: boolean } = {}): Promise<PlayedHistory> {
  const pinned: Uint8Array[] = [];
  const first = await startTestServer(HISTORY_ADMIN, { randomSeed: () => pinned.shift() ?? randomBytes(32) });
  const admin = await adminToken(first.url, HISTORY_ADMIN.ADMIN_USERNAME, HISTORY_ADMIN.ADMIN_PASSWORD);
  const players: PlayedHistory['players'] = [];
  // First, while no other table can deal: one heads-up hand from a seed that splits the pot.
  const split = await createTable(first.url, admin, {
    name: 'Split', variant: 'NT', maxSeats: 2, unit: '0.01', smallBlind: '0.05', bigBlind: '0.10', minBuyIn: '10.00', maxBuyIn: '10.00',
  });
  pinned.push(findSplitSeed('history-split'));
  const splitters = await seat(first, admin, split, ['10.00', '10.00'], players, true);
  await playHands(splitters, 1, passive);
  const holdem = await createTable(first.url, admin, {
    name: 'Alcor II', variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200',
  });
  const all: TestClient[] = [...splitters];
  const hu = await seat(first, admin, holdem, ['100', '100'], players);
  all.push(...hu);
  await playHands(hu, options.quick ? 2 : 3, passive);
  const sidePots = await createTable(first.url, admin, {
    name: 'Side Pots', variant: 'NT', maxSeats: 9, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '10.00', maxBuyIn: '100.00',
    rakePercent: '5', rakeCap: '3.00',
  });
  const three = await seat(first, admin, sidePots, ['10.00', '25.50', '60.25'], players);
  all.push(...three);
  // The first hand may start before the third player sits: play it quietly, then shove three-handed.
  await playHands(three, 1, passive);
  await playHands(three, 1, shove);
  const limit = await createTable(first.url, admin, {
    name: 'Limit', variant: 'FT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200',
  });
  const omaha = await createTable(first.url, admin, {
    name: 'Omaha', variant: 'PO', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200',
  });
  const slow = await createTable(first.url, admin, {
    name: 'Slow', variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 1000, timeBankMs: 0,
  });
  if (!options.quick) {
    const fl = await seat(first, admin, limit, ['100', '100', '100'], players);
    all.push(...fl);
    await playHands(fl, 2, passive);
    const po = await seat(first, admin, omaha, ['100', '100'], players);
    all.push(...po);
    await playHands(po, 2, passive);
    // Nobody acts at the slow table: the action timer checks or folds for them.
    const idle = await seat(first, admin, slow, ['100', '100'], players);
    all.push(...idle);
    await idle[0]!.until(() => idle.every((c) => c.results.length >= 1), 20_000, 'a hand ended by a timeout');
  }
  for (const c of all) c.close();
  // The next hand of each busy table is in progress now; a restart voids it, as after a crash.
  const felt = await restartTestServer(first, HISTORY_ADMIN);
  const token = await adminToken(felt.url, HISTORY_ADMIN.ADMIN_USERNAME, HISTORY_ADMIN.ADMIN_PASSWORD);
  return { felt, admin: token, tables: { split, holdem, sidePots, limit, omaha, slow }, players };
}
