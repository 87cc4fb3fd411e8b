/**
 * Builds StoredHand records for the history tests (no production code imports this): plays a hand with
 * the pure engine exactly as the table does, then lays out what the table would have stored (hand row,
 * hand_event rows, settlement transfer and entries, result summary) without a database.
 */
import { createHash } from 'node:crypto';
import { type Chips, chips, formatAmount } from '../../shared/money';
import type { Card } from '../../shared/engine/cards';
import { result as engineResult, startWithEvents } from '../../shared/engine/hand';
import { play } from './engine-kit';
import type { HandConfig, PlayerAction } from '../../shared/engine/types';
import { type CommitmentScheme, DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME, commitDeck } from '../../shared/engine/deck-commitment';
import { seedFromHex } from '../../shared/engine/shuffle';
import { resultSummary, serialiseHandConfig } from '../../server/src/table/hand-flow';
import type { LiveHand, TableConfig } from '../../server/src/table/table-types';
import type { StoredEntry, StoredEvent, StoredHand } from '../../server/src/history/hand-record';

/** A player of a test hand. */
export interface KitSeat {
  seat: number;
  playerId: string;
  username: string;
  stack: string;
}

/** What a test hand is made of. */
export interface KitHand {
  config: HandConfig;
  seats: KitSeat[];
  button: number;
  deck: Card[];
  actions: PlayerAction[];
  /** The stored seed (hex) the commitment is made from; any hex when the deck is chosen by hand. */
  seedHex: string;
  /**
   * How the commitment is made. Default: the Merkle root for a 32-byte seed, else (a deck chosen by
   * hand, for the exports) the older SHA-256 of the seed, which accepts any bytes.
   */
  scheme?: CommitmentScheme;
  handNumber?: string;
  /** The site-wide number; defaults to the table's hand number. */
  siteHandNumber?: string;
  tableName?: string;
  maxSeats?: number;
  startedAt?: Date;
  /** Stop before settlement: the hand stays in_progress. */
  unfinished?: boolean;
}

/** Plays the hand and returns it as the database would hold it after settlement. */
export function storedHand(k: KitHand): StoredHand {
  const unit = k.config.unit;
  const f = (x: Chips) => formatAmount(x, unit);
  const started = startWithEvents(k.config, k.seats.map((s) => ({ seat: s.seat, stack: chips(s.stack) })), k.button, k.deck);
  const state = play(started.state, k.actions);
  const scheme = k.scheme ?? (k.seedHex.length === 64 ? DECK_MERKLE_SCHEME : SEED_SHA256_SCHEME);
  const commitment = scheme === DECK_MERKLE_SCHEME
    ? commitDeck(seedFromHex(k.seedHex)).root
    : createHash('sha256').update(Buffer.from(k.seedHex, 'hex')).digest('hex');
  const seatsJson = k.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, stack: s.stack }));
  const events: StoredEvent[] = [
    { seq: 0, type: 'start', payload: { button: k.button, commitment, seats: seatsJson } },
    ...state.events.map((e, i) => ({ seq: i + 1, type: e.type, payload: { ...e } as Record<string, unknown> })),
  ];
  const playerBySeat = Object.fromEntries(k.seats.map((s) => [s.seat, s.playerId]));
  const usernames = Object.fromEntries(k.seats.map((s) => [s.playerId, s.username]));
  const base: StoredHand = {
    handId: '00000000-0000-4000-8000-000000000001', tableId: '00000000-0000-4000-8000-0000000000aa',
    tableName: k.tableName ?? 'Test', handNumber: k.handNumber ?? '1', siteHandNumber: k.siteHandNumber ?? k.handNumber ?? '1', status: 'in_progress', buttonSeat: k.button,
    config: { tableName: k.tableName ?? 'Test', maxSeats: k.maxSeats ?? 6, engine: serialiseHandConfig(k.config), seats: seatsJson },
    commitment, commitmentScheme: scheme, seed: null, voidReason: null, result: null, startedAt: k.startedAt ?? new Date('2026-01-02T03:04:05Z'), endedAt: null,
    events, transfers: [], usernames,
  };
  if (k.unfinished) return base;
  const result = engineResult(state);
  const summary = resultSummary({ unit } as TableConfig, { playerBySeat } as unknown as LiveHand, result);
  const entries: StoredEntry[] = k.seats.map((s, i) => ({
    entryId: String(10 + i), accountId: String(100 + i), accountKind: 'seat', playerId: s.playerId,
    amount: result.netBySeat[s.seat]!.toString(), balanceAfter: f(chips(s.stack).plus(result.netBySeat[s.seat]!)),
  }));
  if (result.rake.gt(0)) {
    entries.push({ entryId: '99', accountId: '1', accountKind: 'house_rake', playerId: null, amount: result.rake.toString(), balanceAfter: result.rake.toString() });
  }
  return {
    ...base, status: 'settled', seed: k.seedHex, result: summary, endedAt: new Date(base.startedAt.getTime() + 60_000),
    transfers: [{ transferId: '7', kind: 'hand_settlement', idempotencyKey: `settle:${base.handId}`, reason: null, createdAt: base.startedAt.toISOString(), entries }],
  };
}
