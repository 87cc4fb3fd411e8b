/**
 * Poker hand evaluator: best five of 5..7 cards for Hold'em-style games and exactly-two-plus-three for
 * Omaha. Values are hand-class indices (see evaluator-tables.ts), so a value from `evaluate` and one
 * from `evaluateOmaha` compare directly: higher is better and equal values tie exactly.
 */
import { type Card, DECK_SIZE, formatCard, rankOf } from './cards';
import {
  CARD_BIT,
  CARD_KEY,
  CARD_SUIT,
  CATEGORY_NAMES,
  CAT_FLUSH,
  CAT_FULL_HOUSE,
  CAT_HIGH_CARD,
  CAT_PAIR,
  CAT_QUADS,
  CAT_STRAIGHT,
  CAT_STRAIGHT_FLUSH,
  CAT_TRIPS,
  CAT_TWO_PAIR,
  FLUSH_VALUE,
  HAND_CLASSES,
  HASH5,
  HASH7,
  PACKED_OF_CLASS,
} from './evaluator-tables';

/** Strength of a hand: higher is better, equal values tie exactly (1..7462). */
export type HandValue = number;

/** The nine hand categories, weakest first. */
export type HandCategory = (typeof CATEGORY_NAMES)[number];

// Hot-path copies of imported bindings: tsx (esbuild) compiles imports into getter calls, which cost
// more than the table reads themselves, so the hot paths only touch these module-local constants.
const CARDS_IN_DECK = DECK_SIZE;
const K = CARD_KEY;
const S = CARD_SUIT;
const B = CARD_BIT;
const F = FLUSH_VALUE;
const MULT7 = HASH7.mult;
const SHIFT7 = HASH7.bucketShift;
const MASK7 = HASH7.slotMask;
const DISP7 = HASH7.disp;
const VALUES7 = HASH7.values;
const MULT5 = HASH5.mult;
const SHIFT5 = HASH5.bucketShift;
const MASK5 = HASH5.slotMask;
const DISP5 = HASH5.disp;
const VALUES5 = HASH5.values;

/**
 * Adding 3 to each per-suit nibble sets its top bit exactly when that suit holds five or more cards
 * (counts never exceed 7, so no nibble carries into the next).
 */
const FLUSH_PROBE = 0x3333;
const FLUSH_BITS = 0x8888;

/** Suit 0..3 of the flush given the probed bits (exactly one nibble can be set with at most 7 cards). */
function flushSuit(bits: number): number {
  return (31 - Math.clz32(bits)) >> 2;
}
/**
 * Allocation-free 7-card evaluation of already-validated cards; the benchmark and `evaluate` use it.
 * Callers must pass seven distinct integers 0..51.
 */
export function evaluate7(c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, c6: number): HandValue {
  const flush = (S[c0]! + S[c1]! + S[c2]! + S[c3]! + S[c4]! + S[c5]! + S[c6]! + FLUSH_PROBE) & FLUSH_BITS;
  if (flush === 0) {
    const key = K[c0]! + K[c1]! + K[c2]! + K[c3]! + K[c4]! + K[c5]! + K[c6]!;
    const h = Math.imul(key, MULT7);
    return VALUES7[(h ^ DISP7[h >>> SHIFT7]!) & MASK7]!;
  }
  const suit = flushSuit(flush);
  let mask = 0;
  if ((c0 & 3) === suit) mask |= B[c0]!;
  if ((c1 & 3) === suit) mask |= B[c1]!;
  if ((c2 & 3) === suit) mask |= B[c2]!;
  if ((c3 & 3) === suit) mask |= B[c3]!;
  if ((c4 & 3) === suit) mask |= B[c4]!;
  if ((c5 & 3) === suit) mask |= B[c5]!;
  if ((c6 & 3) === suit) mask |= B[c6]!;
  return F[mask]!;
}

/** Allocation-free 7-card evaluation of cards stored at `offset` in a typed array (validated by the caller). */
export function evaluate7At(cards: Uint8Array | Int32Array, offset: number): HandValue {
  return evaluate7(cards[offset]!, cards[offset + 1]!, cards[offset + 2]!, cards[offset + 3]!, cards[offset + 4]!, cards[offset + 5]!, cards[offset + 6]!);
}

/** Allocation-free 5-card evaluation of validated cards; the Omaha loop uses it. */
export function evaluate5(c0: number, c1: number, c2: number, c3: number, c4: number): HandValue {
  const flush = (S[c0]! + S[c1]! + S[c2]! + S[c3]! + S[c4]! + FLUSH_PROBE) & FLUSH_BITS;
  if (flush !== 0) return F[B[c0]! | B[c1]! | B[c2]! | B[c3]! | B[c4]!]!;
  const key = K[c0]! + K[c1]! + K[c2]! + K[c3]! + K[c4]!;
  const h = Math.imul(key, MULT5);
  return VALUES5[(h ^ DISP5[h >>> SHIFT5]!) & MASK5]!;
}

/**
 * Evaluates 5..7 validated cards. Six cards take the best of their six five-card subsets: that is rare
 * enough not to deserve its own table, which would cost build time at every module load.
 */
function evaluateValidated(cards: readonly Card[]): HandValue {
  // Indexed reads rather than destructuring, which would go through the iterator protocol.
  const n = cards.length;
  const c0 = cards[0]!;
  const c1 = cards[1]!;
  const c2 = cards[2]!;
  const c3 = cards[3]!;
  const c4 = cards[4]!;
  if (n === 5) return evaluate5(c0, c1, c2, c3, c4);
  const c5 = cards[5]!;
  if (n === 7) return evaluate7(c0, c1, c2, c3, c4, c5, cards[6]!);
  return Math.max(
    evaluate5(c1, c2, c3, c4, c5),
    evaluate5(c0, c2, c3, c4, c5),
    evaluate5(c0, c1, c3, c4, c5),
    evaluate5(c0, c1, c2, c4, c5),
    evaluate5(c0, c1, c2, c3, c5),
    evaluate5(c0, c1, c2, c3, c4),
  );
}

/**
 * Throws unless every card is an integer 0..51 and no card appears twice (across all given groups).
 * The seen-set is two 32-bit masks rather than an array so that validation allocates nothing.
 */
function assertDistinctCards(first: readonly Card[], second: readonly Card[] = []): void {
  if (!Array.isArray(first) || !Array.isArray(second)) throw new Error('cards must be an array');
  let low = 0;
  let high = 0;
  for (let g = 0; g < 2; g++) {
    const group = g === 0 ? first : second;
    for (let i = 0; i < group.length; i++) {
      const c = group[i];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= CARDS_IN_DECK) throw new Error(`not a card: ${String(c)}`);
      const bit = 1 << (c & 31);
      const seen = c < 32 ? low & bit : high & bit;
      if (seen !== 0) throw new Error(`duplicate card ${formatCard(c)}`);
      if (c < 32) low |= bit;
      else high |= bit;
    }
  }
}

/** Value of the best five-card hand among 5, 6 or 7 distinct cards; throws on any other input. */
export function evaluate(cards: readonly Card[]): HandValue {
  assertDistinctCards(cards);
  if (cards.length < 5 || cards.length > 7) throw new Error(`evaluate needs 5 to 7 cards, got ${cards.length}`);
  return evaluateValidated(cards);
}

/**
 * Omaha value: the best hand using exactly two of the 4..6 hole cards and exactly three of the 3..5
 * board cards, so four suited hole cards and one suited board card are not a flush.
 */
export function evaluateOmaha(hole: readonly Card[], board: readonly Card[]): HandValue {
  assertDistinctCards(hole, board);
  if (hole.length < 4 || hole.length > 6) throw new Error(`Omaha needs 4 to 6 hole cards, got ${hole.length}`);
  if (board.length < 3 || board.length > 5) throw new Error(`Omaha needs 3 to 5 board cards, got ${board.length}`);
  let best = 0;
  const nh = hole.length;
  const nb = board.length;
  for (let i = 0; i < nh - 1; i++) {
    for (let j = i + 1; j < nh; j++) {
      const h0 = hole[i]!;
      const h1 = hole[j]!;
      for (let a = 0; a < nb - 2; a++) {
        for (let b = a + 1; b < nb - 1; b++) {
          for (let c = b + 1; c < nb; c++) {
            const v = evaluate5(h0, h1, board[a]!, board[b]!, board[c]!);
            if (v > best) best = v;
          }
        }
      }
    }
  }
  return best;
}

/** Throws unless `value` is a hand value that the evaluator can produce. */
function packedOf(value: HandValue): number {
  if (!Number.isInteger(value) || value < 1 || value > HAND_CLASSES) throw new Error(`not a hand value: ${value}`);
  return PACKED_OF_CLASS[value]!;
}

/** The category of a hand value. */
export function handCategory(value: HandValue): HandCategory {
  return CATEGORY_NAMES[Math.floor(packedOf(value) / 0x100000)]!;
}

const RANK_NAMES = ['Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Jack', 'Queen', 'King', 'Ace'];
const RANK_PLURALS = ['Twos', 'Threes', 'Fours', 'Fives', 'Sixes', 'Sevens', 'Eights', 'Nines', 'Tens', 'Jacks', 'Queens', 'Kings', 'Aces'];

/** PokerStars-like wording of a hand value, e.g. "Full House, Kings full of Sevens" or "Straight, Five high". */
export function describeHand(value: HandValue): string {
  const packed = packedOf(value);
  const category = Math.floor(packed / 0x100000);
  const r = [16, 12, 8, 4, 0].map((shift) => (packed >> shift) & 15);
  const [a, b] = [r[0]!, r[1]!];
  switch (category) {
    case CAT_HIGH_CARD:
      return `High Card, ${RANK_NAMES[a]}`;
    case CAT_PAIR:
      return `Pair, ${RANK_PLURALS[a]}`;
    case CAT_TWO_PAIR:
      return `Two Pair, ${RANK_PLURALS[a]} and ${RANK_PLURALS[b]}`;
    case CAT_TRIPS:
      return `Three of a Kind, ${RANK_PLURALS[a]}`;
    case CAT_STRAIGHT:
      return `Straight, ${RANK_NAMES[a]} high`;
    case CAT_FLUSH:
      return `Flush, ${RANK_NAMES[a]} high`;
    case CAT_FULL_HOUSE:
      return `Full House, ${RANK_PLURALS[a]} full of ${RANK_PLURALS[b]}`;
    case CAT_QUADS:
      return `Four of a Kind, ${RANK_PLURALS[a]}`;
    case CAT_STRAIGHT_FLUSH:
      return a === 12 ? 'Royal Flush' : `Straight Flush, ${RANK_NAMES[a]} high`;
    default:
      throw new Error(`corrupt hand class ${value}`);
  }
}

/** How many of the packed ranks after the first are kickers, per category (0 when the hand has none). */
const KICKERS_FROM: Record<number, { from: number; count: number }> = {
  [CAT_HIGH_CARD]: { from: 1, count: 4 },
  [CAT_PAIR]: { from: 1, count: 3 },
  [CAT_TWO_PAIR]: { from: 2, count: 1 },
  [CAT_TRIPS]: { from: 1, count: 2 },
  [CAT_FLUSH]: { from: 1, count: 4 },
  [CAT_QUADS]: { from: 1, count: 1 },
};

/**
 * describeHand plus the kickers that decide ties, e.g. "Pair, Aces, kickers King, Nine, Four"; hands
 * without kickers (straights, full houses) read as describeHand. Stored descriptions keep describeHand.
 */
export function describeHandWithKickers(value: HandValue): string {
  const packed = packedOf(value);
  const spec = KICKERS_FROM[Math.floor(packed / 0x100000)];
  const base = describeHand(value);
  if (!spec) return base;
  const r = [16, 12, 8, 4, 0].map((shift) => (packed >> shift) & 15);
  const names = r.slice(spec.from, spec.from + spec.count).map((x) => RANK_NAMES[x]);
  return `${base}, ${names.length === 1 ? 'kicker' : 'kickers'} ${names.join(', ')}`;
}

/**
 * The five cards that make the best hand, ordered for display: the cards of the biggest rank groups
 * first, then by rank (a wheel shows the ace last).
 */
export function bestFive(cards: readonly Card[]): Card[] {
  const target = evaluate(cards);
  const n = cards.length;
  for (let skip = 0; skip < 1 << n; skip++) {
    if (popcount(skip) !== n - 5) continue;
    const five = cards.filter((_, i) => (skip & (1 << i)) === 0);
    if (evaluateValidated(five) === target) return orderForDisplay(five, target);
  }
  throw new Error('no five cards reproduce the hand value');
}

/** Number of set bits in a small integer. */
function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** Sorts five cards by rank-group size, then rank, then suit, with the ace low in a five-high straight. */
function orderForDisplay(five: Card[], value: HandValue): Card[] {
  const packed = packedOf(value);
  const category = Math.floor(packed / 0x100000);
  const wheel = (category === CAT_STRAIGHT || category === CAT_STRAIGHT_FLUSH) && ((packed >> 16) & 15) === 3;
  const count = new Map<number, number>();
  for (const c of five) count.set(rankOf(c), (count.get(rankOf(c)) ?? 0) + 1);
  const sortRank = (c: Card): number => (wheel && rankOf(c) === 12 ? -1 : rankOf(c));
  return [...five].sort((x, y) => count.get(rankOf(y))! - count.get(rankOf(x))! || sortRank(y) - sortRank(x) || y - x);
}
