/**
 * Every message a viewer of a table may receive, built from a step's effects as plain functions.
 * With player-view.ts (table:state) this is the one place that decides what each viewer may see:
 * hole cards go to their owner only (hand:cards, `you.holeCards`), showdown, rake and awards only
 * after the settlement committed (hand:result), deck openings of a player's own cards to that player
 * alone (hand:openings), and the seed never. The admin's live-hand redaction uses it too.
 */
import { formatAmount, type Chips, ZERO } from '../../../shared/money';
import { formatCard, splitCards } from '../../../shared/engine/cards';
import { DECK_MERKLE_SCHEME, openPositions, positionsOf, type DeckOpening } from '../../../shared/engine/deck-commitment';
import type { HandEvent, HandResult } from '../../../shared/engine/types';
import type { HandCardsMessage, HandEventMessage, HandOpeningsMessage, HandResultMessage, TopUpNotice } from '../../../shared/protocol';
import type { CardsEffect, HandNoticeEffect, TopUpEffect } from './table-effects';
import type { LiveHand, TableConfig } from './table-types';

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

/** The hand:event of a table-made notice (an action timeout, a voided hand). */
export function noticeMessage(effect: HandNoticeEffect): HandEventMessage {
  const head = { tableId: effect.tableId, handId: effect.handId, seq: effect.seq };
  return effect.notice.type === 'timeout'
    ? { ...head, type: 'timeout', seat: effect.notice.seat }
    : { ...head, type: 'voided', reason: effect.notice.reason };
}

/** Each dealt player's hand:cards: their own hole cards and nobody else's. */
export function cardsMessages(effect: CardsEffect): Array<{ playerId: string; msg: HandCardsMessage }> {
  const { hand, tableId } = effect;
  const seats = effect.only === undefined ? hand.engine.seats : hand.engine.seats.filter((s) => hand.playerBySeat[s.seat] === effect.only);
  return seats.map((s) => ({
    playerId: hand.playerBySeat[s.seat]!,
    msg: { tableId, handId: hand.handId, cards: s.hole.map(formatCard), commitment: hand.commitment },
  }));
}

/** The seat:topup notice of a deferred top-up. */
export function topUpMessage(effect: TopUpEffect): TopUpNotice {
  const f = (c: Chips) => formatAmount(c, effect.unit);
  return {
    tableId: effect.tableId,
    requestId: effect.requestId,
    status: effect.status,
    amount: f(effect.amount),
    ...(effect.stack ? { stack: f(effect.stack) } : {}),
    ...(effect.error ? { error: effect.error } : {}),
  };
}

/**
 * Hand events as stored, with the hole cards of a hand still in play blanked: an admin (or a stolen
 * admin token) must not be able to read live cards and pass them to a player. Finished hands are
 * returned as they are.
 */
export function redactLiveEvents<E extends { type: string; payload: Record<string, unknown> }>(status: string, events: E[]): E[] {
  if (status !== 'in_progress') return events;
  return events.map((e) => (e.type === 'deal_hole' ? { ...e, payload: { ...e.payload, cards: '' } } : e));
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
