/**
 * The table actor's hand bookkeeping, as plain functions: dealing a new hand from a committed seed,
 * turning engine events into stored rows and public messages, and the settlement's inputs and outputs.
 */
import { formatAmount, sumChips, type Chips, ZERO } from '../../../shared/money';
import { formatCard, splitCards } from '../../../shared/engine/cards';
import { startWithEvents, result as engineResult } from '../../../shared/engine/hand';
import { seedToHex } from '../../../shared/engine/shuffle';
import { DECK_MERKLE_SCHEME, commitDeck, openPositions, positionsOf, type DeckOpening } from '../../../shared/engine/deck-commitment';
import type { HandConfig, HandEvent, HandResult } from '../../../shared/engine/types';
import type { HandEventMessage, HandOpeningsMessage, HandResultMessage } from '../../../shared/protocol';
import type { PendingEvent } from '../history/hand-event-writer';
import { eligibleForHand, nextButton, type Seats } from './seating';
import { handConfigOf, type LiveHand, type TableConfig } from './table-types';

/** Deals the next hand: picks the button, shuffles from a fresh seed, commits to every deck position and posts blinds. */
export function dealHand(
  config: TableConfig,
  seats: Seats,
  previousButton: number | null,
  handNumber: number,
  handId: string,
  seed: Uint8Array,
  now: number,
): { hand: LiveHand; button: number; events: HandEvent[] } {
  const players = eligibleForHand(seats);
  if (players.length < 2) throw new Error('dealHand: fewer than two eligible players');
  const button = nextButton(players, previousButton);
  const committed = commitDeck(seed);
  const { state, events } = startWithEvents(
    handConfigOf(config),
    players.map((p) => ({ seat: p.seat, stack: p.stack })),
    button,
    committed.deck,
  );
  const playerBySeat: Record<number, string> = {};
  for (const p of players) playerBySeat[p.seat] = p.playerId;
  return {
    hand: {
      handId,
      handNumber,
      commitment: committed.root,
      seedHex: seedToHex(seed),
      committedDeck: committed,
      playerBySeat,
      engine: state,
      nextEventSeq: 1,
      deadline: null,
      startedAt: now,
      announcedStreet: null,
      turnPlayerId: null,
      turnNumber: 0,
      bank: null,
    },
    button,
    events,
  };
}

/** A HandConfig as JSON (amounts as decimal strings); `parseHandConfig` in history reverses it. */
export function serialiseHandConfig(config: HandConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map(String) : typeof value === 'object' ? String(value) : value;
  }
  return out;
}

/** The first stored event of a hand: who sat where with how much, and the commitment. */
export function startEventPayload(config: TableConfig, hand: LiveHand, button: number): Record<string, unknown> {
  return {
    button,
    commitment: hand.commitment,
    seats: hand.engine.seats.map((s) => ({
      seat: s.seat,
      playerId: hand.playerBySeat[s.seat],
      stack: formatAmount(s.startingStack, config.unit),
    })),
  };
}

/** Numbers engine events for hand_event, starting at `hand.nextEventSeq`. */
export function toRows(hand: LiveHand, events: readonly HandEvent[]): { rows: PendingEvent[]; nextSeq: number } {
  let seq = hand.nextEventSeq;
  const rows = events.map((e) => ({ handId: hand.handId, seq: seq++, type: e.type, payload: e }));
  return { rows, nextSeq: seq };
}

/**
 * The message every viewer may receive for an engine event, or null for events that must wait:
 * hole cards are private, and showdown, rake and awards are only announced after settlement commits.
 */
export function publicEvent(tableId: string, handId: string, seq: number, e: HandEvent): HandEventMessage | null {
  switch (e.type) {
    case 'post':
      return { tableId, handId, seq, type: 'post', seat: e.seat, action: e.kind, amount: e.amount, allIn: e.allIn };
    case 'action':
      return { tableId, handId, seq, type: 'action', seat: e.seat, action: e.action, amount: e.amount, ...(e.to ? { to: e.to } : {}), allIn: e.allIn };
    case 'street':
      return { tableId, handId, seq, type: 'street', street: e.street, cards: splitCards(e.cards) };
    case 'uncalled_return':
      return { tableId, handId, seq, type: 'uncalled_return', seat: e.seat, amount: e.amount };
    default:
      return null;
  }
}

/** The ledger's settlement input: each player's signed net and the rake; asserts they sum to zero. */
export function settlementDeltas(hand: LiveHand): { result: HandResult; deltas: Array<{ playerId: string; amount: Chips }>; rake: Chips } {
  const result = engineResult(hand.engine);
  const deltas = Object.entries(result.netBySeat).map(([seat, amount]) => {
    const playerId = hand.playerBySeat[Number(seat)];
    if (!playerId) throw new Error(`settlement: no player at seat ${seat}`);
    return { playerId, amount };
  });
  const total = sumChips(deltas.map((d) => d.amount)).plus(result.rake);
  if (!total.isZero()) throw new Error(`settlement does not sum to zero: ${total.toString()}`);
  return { result, deltas, rake: result.rake };
}

/** A JSON summary of the engine result for hand.result. */
export function resultSummary(config: TableConfig, hand: LiveHand, result: HandResult): Record<string, unknown> {
  const f = (c: Chips) => formatAmount(c, config.unit);
  return {
    board: result.board.map(formatCard),
    rake: f(result.rake),
    pots: result.pots.map((p) => ({
      amount: f(p.amount),
      rake: f(p.rake),
      eligibleSeats: p.eligibleSeats,
      winners: p.winners.map((w) => ({ seat: w.seat, playerId: hand.playerBySeat[w.seat], amount: f(w.amount) })),
    })),
    uncalledReturns: result.uncalledReturns.map((u) => ({ seat: u.seat, amount: f(u.amount) })),
    net: Object.fromEntries(Object.entries(result.netBySeat).map(([s, a]) => [hand.playerBySeat[Number(s)], f(a)])),
    showdown: result.showdown.map((s) => ({ seat: s.seat, shown: s.shown, cards: s.cards.map(formatCard), description: s.description })),
    wentToShowdown: result.wentToShowdown,
    sawFlop: result.sawFlop,
  };
}

/**
 * The hand:result message, built only from committed data; mucked hands are left out, and so are the
 * seed and the openings of any card that was not dealt face up or shown (see `handOpenings`).
 */
export function resultMessage(
  config: TableConfig,
  hand: LiveHand,
  result: HandResult,
  stacks: Array<{ seat: number; playerId: string; stack: Chips }>,
  openings: HandOpenings,
): HandResultMessage {
  const f = (c: Chips) => formatAmount(c, config.unit);
  return {
    tableId: config.tableId,
    handId: hand.handId,
    handNumber: hand.handNumber,
    board: result.board.map(formatCard),
    pots: result.pots.map((p) => ({
      amount: f(p.amount.minus(p.rake)),
      winners: p.winners.map((w) => ({ seat: w.seat, playerId: hand.playerBySeat[w.seat] ?? '', amount: f(w.amount) })),
    })),
    rake: f(result.rake ?? ZERO),
    showdown: result.showdown
      .filter((s) => s.shown)
      .map((s) => ({ seat: s.seat, playerId: hand.playerBySeat[s.seat] ?? '', cards: s.cards.map(formatCard), description: s.description })),
    commitment: hand.commitment,
    commitmentScheme: DECK_MERKLE_SCHEME,
    openings: openings.public,
    stacks: stacks.map((s) => ({ seat: s.seat, playerId: s.playerId, stack: f(s.stack) })),
  };
}

/** What a hand's end opens of its deck commitment: to everyone, and to each player alone. */
export interface HandOpenings {
  /** The board's positions and the hole cards shown at showdown. */
  public: DeckOpening[];
  /** Each player's own hole-card positions (folded or not), sent to that player only. */
  byPlayer: Map<string, DeckOpening[]>;
}

/**
 * Opens the deck commitment as far as each viewer may see. The seed itself never leaves the server:
 * it would let anyone rebuild every folded and mucked hand. Cards burned or never dealt stay closed.
 */
export function handOpenings(hand: LiveHand, result: HandResult): HandOpenings {
  const committed = hand.committedDeck;
  const open = (cards: readonly number[]) => openPositions(committed, positionsOf(committed.deck, cards));
  const shown = result.showdown.filter((s) => s.shown).flatMap((s) => s.cards);
  const byPlayer = new Map<string, DeckOpening[]>();
  for (const s of hand.engine.seats) {
    const playerId = hand.playerBySeat[s.seat];
    if (playerId) byPlayer.set(playerId, open(s.hole));
  }
  return { public: open([...result.board, ...shown]), byPlayer };
}

/** The private hand:openings message of one player. */
export function openingsMessage(tableId: string, hand: LiveHand, openings: DeckOpening[]): HandOpeningsMessage {
  return { tableId, handId: hand.handId, commitment: hand.commitment, commitmentScheme: DECK_MERKLE_SCHEME, openings };
}
