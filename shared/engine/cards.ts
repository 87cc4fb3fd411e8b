/**
 * Cards are small integers so that the evaluator can index tables with them: card = rank * 4 + suit,
 * rank 0..12 for 2..A and suit 0..3 for c, d, h, s. Strings use the PHH/PokerStars notation "As", "Td".
 */

/** A card, 0..51. */
export type Card = number;

export const RANK_CHARS = '23456789TJQKA';
export const SUIT_CHARS = 'cdhs';
export const DECK_SIZE = 52;

/** Rank of a card, 0 (deuce) .. 12 (ace). */
export function rankOf(card: Card): number {
  return card >> 2;
}

/** Suit of a card, 0..3 (c, d, h, s). */
export function suitOf(card: Card): number {
  return card & 3;
}

/** Builds a card from rank 0..12 and suit 0..3. */
export function makeCard(rank: number, suit: number): Card {
  return rank * 4 + suit;
}

/** Parses one card such as "As"; returns undefined for anything else. */
export function parseCard(text: string): Card | undefined {
  if (text.length !== 2) return undefined;
  const rank = RANK_CHARS.indexOf(text[0]!.toUpperCase());
  const suit = SUIT_CHARS.indexOf(text[1]!.toLowerCase());
  if (rank < 0 || suit < 0) return undefined;
  return makeCard(rank, suit);
}

/** Parses concatenated cards such as "AsKd7h"; returns undefined if any card is malformed. */
export function parseCards(text: string): Card[] | undefined {
  if (text.length % 2 !== 0) return undefined;
  const out: Card[] = [];
  for (let i = 0; i < text.length; i += 2) {
    const card = parseCard(text.slice(i, i + 2));
    if (card === undefined) return undefined;
    out.push(card);
  }
  return out;
}

/** Formats a card as "As". */
export function formatCard(card: Card): string {
  if (!Number.isInteger(card) || card < 0 || card >= DECK_SIZE) throw new Error(`not a card: ${card}`);
  return RANK_CHARS[rankOf(card)]! + SUIT_CHARS[suitOf(card)]!;
}

/** Formats cards concatenated, "AsKd". */
export function formatCards(cards: readonly Card[]): string {
  return cards.map(formatCard).join('');
}

/** Splits concatenated card text into two-character cards: "AsKd" → ["As", "Kd"]. */
export function splitCards(cards: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < cards.length; i += 2) out.push(cards.slice(i, i + 2));
  return out;
}

/** The 52 cards in a fixed order (2c, 2d, 2h, 2s, 3c, …, As). */
export function orderedDeck(): Card[] {
  return Array.from({ length: DECK_SIZE }, (_, i) => i);
}
