/**
 * The table actor's hand bookkeeping, as plain functions: dealing a new hand from a committed seed,
 * turning engine events into stored rows, and the settlement's inputs. What viewers are sent about a hand
 * is built in outbound-messages.ts.
 */
import { formatAmount, sumChips, type Chips } from '../../../shared/money';
import { formatCard } from '../../../shared/engine/cards';
import { startWithEvents, result as engineResult } from '../../../shared/engine/hand';
import { seedToHex } from '../../../shared/engine/shuffle';
import { commitDeck } from '../../../shared/engine/deck-commitment';
import type { HandConfig, HandEvent, HandResult } from '../../../shared/engine/types';
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
