/**
 * Lookup tables for the hand evaluator, built once at module load (a few milliseconds) so that the
 * hot path is a handful of array reads with no allocation.
 *
 * A hand value is the index of its equivalence class among the 7,462 distinct five-card poker hands,
 * 1 (7-5-4-3-2 offsuit) .. 7462 (royal flush), so comparing two values compares the hands and equal
 * values tie exactly. Each class also has a "packed" description, category << 20 followed by up to
 * five 4-bit ranks in order of significance, which `describeHand` decodes.
 *
 * Non-flush hands depend only on the multiset of ranks. Every rank has a key (RANK_KEYS) chosen so
 * that two different rank multisets of the same size (at most four of a rank, at most seven cards)
 * never have the same key sum; the sum is then mapped to a small dense table through a row-displacement
 * perfect hash (index = sum + offsets[sum >>> ROW_SHIFT]), which keeps the tables small enough to stay
 * in the CPU cache. Flushes are detected from a per-card suit counter and looked up by the 13-bit mask
 * of ranks in the flush suit. With at most seven cards a flush excludes quads and full houses, so the
 * flush lookup alone decides such a hand.
 */

/** Hand categories in increasing order of strength; the index is the category number in packed values. */
export const CATEGORY_NAMES = [
  'high_card',
  'pair',
  'two_pair',
  'three_of_a_kind',
  'straight',
  'flush',
  'full_house',
  'four_of_a_kind',
  'straight_flush',
] as const;

export const CAT_HIGH_CARD = 0;
export const CAT_PAIR = 1;
export const CAT_TWO_PAIR = 2;
export const CAT_TRIPS = 3;
export const CAT_STRAIGHT = 4;
export const CAT_FLUSH = 5;
export const CAT_FULL_HOUSE = 6;
export const CAT_QUADS = 7;
export const CAT_STRAIGHT_FLUSH = 8;

/** Number of distinct five-card hand classes. */
export const HAND_CLASSES = 7462;

/**
 * Rank keys whose sums identify a rank multiset of a given size (greedy minimal sequence; the same one
 * SKPokerEval uses). Uniqueness is re-checked while the hash tables are built, so a wrong key throws.
 */
export const RANK_KEYS = [0, 1, 5, 22, 98, 453, 2031, 8698, 22854, 83661, 262349, 636345, 1479181] as const;

/** Per-card rank key, indexed by card 0..51. */
export const CARD_KEY = new Int32Array(52);
/** Per-card suit counter: 1 in the suit's nibble, so a sum over cards counts cards per suit. */
export const CARD_SUIT = new Int32Array(52);
/** Per-card rank bit, 1 << rank. */
export const CARD_BIT = new Int32Array(52);
for (let card = 0; card < 52; card++) {
  CARD_KEY[card] = RANK_KEYS[card >> 2]!;
  CARD_SUIT[card] = 1 << ((card & 3) * 4);
  CARD_BIT[card] = 1 << (card >> 2);
}

/** Packs a category and ranks (most significant first) into one comparable integer. */
export function pack(category: number, ranks: readonly number[]): number {
  let value = category;
  for (let i = 0; i < 5; i++) value = value * 16 + (ranks[i] ?? 0);
  return value;
}

/** The high rank of the best straight in a 13-bit rank mask (3 for the wheel), or -1 when there is none. */
export function straightHigh(mask: number): number {
  for (let high = 12; high >= 4; high--) {
    const run = 0x1f << (high - 4);
    if ((mask & run) === run) return high;
  }
  const wheel = 0x100f; // A, 2, 3, 4, 5
  return (mask & wheel) === wheel ? 3 : -1;
}

/** Ranks present in a mask, highest first. */
function ranksOfMask(mask: number): number[] {
  const out: number[] = [];
  for (let r = 12; r >= 0; r--) if (mask & (1 << r)) out.push(r);
  return out;
}

/** Packed value of the best five-card non-flush hand from per-rank counts (5 to 7 cards in all). */
export function packFromCounts(counts: readonly number[]): number {
  const byCount: number[][] = [[], [], [], [], []];
  let mask = 0;
  for (let r = 12; r >= 0; r--) {
    const n = counts[r]!;
    if (n > 0) mask |= 1 << r;
    byCount[n]!.push(r);
  }
  const [quads, trips, pairs] = [byCount[4]!, byCount[3]!, byCount[2]!];
  const highestExcept = (...used: number[]): number[] => ranksOfMask(mask).filter((r) => !used.includes(r));
  if (quads.length > 0) return pack(CAT_QUADS, [quads[0]!, highestExcept(quads[0]!)[0]!]);
  if (trips.length > 0) {
    const pairCandidates = [...trips.slice(1), ...pairs].sort((a, b) => b - a);
    if (pairCandidates.length > 0) return pack(CAT_FULL_HOUSE, [trips[0]!, pairCandidates[0]!]);
  }
  const high = straightHigh(mask);
  if (high >= 0) return pack(CAT_STRAIGHT, [high]);
  if (trips.length > 0) return pack(CAT_TRIPS, [trips[0]!, ...highestExcept(trips[0]!).slice(0, 2)]);
  if (pairs.length >= 2) {
    const [p, q] = [pairs[0]!, pairs[1]!];
    return pack(CAT_TWO_PAIR, [p, q, highestExcept(p, q)[0]!]);
  }
  if (pairs.length === 1) return pack(CAT_PAIR, [pairs[0]!, ...highestExcept(pairs[0]!).slice(0, 3)]);
  return pack(CAT_HIGH_CARD, ranksOfMask(mask).slice(0, 5));
}

/** Packed value of the best flush (or straight flush) within a rank mask of one suit with 5+ bits. */
export function packFromFlushMask(mask: number): number {
  const high = straightHigh(mask);
  if (high >= 0) return pack(CAT_STRAIGHT_FLUSH, [high]);
  return pack(CAT_FLUSH, ranksOfMask(mask).slice(0, 5));
}

/** Calls `visit` with the per-rank counts of every rank multiset of `size` cards (at most four per rank). */
function forEachRankMultiset(size: number, visit: (counts: number[]) => void): void {
  const counts = new Array<number>(13).fill(0);
  const recurse = (rank: number, left: number): void => {
    if (rank === 13) {
      if (left === 0) visit(counts);
      return;
    }
    for (let n = 0; n <= 4 && n <= left; n++) {
      counts[rank] = n;
      recurse(rank + 1, left - n);
    }
    counts[rank] = 0;
  };
  recurse(0, size);
}

/** Builds the class list: PACKED_OF_CLASS[value] is the packed description; classOf maps back. */
function buildClasses(): { packedOfClass: Int32Array; classOf: Map<number, number> } {
  const all = new Set<number>();
  forEachRankMultiset(5, (counts) => all.add(packFromCounts(counts)));
  for (let mask = 0; mask < 8192; mask++) {
    if (bitCount(mask) === 5) all.add(packFromFlushMask(mask));
  }
  const sorted = [...all].sort((a, b) => a - b);
  if (sorted.length !== HAND_CLASSES) throw new Error(`expected ${HAND_CLASSES} hand classes, built ${sorted.length}`);
  const packedOfClass = new Int32Array(HAND_CLASSES + 1);
  const classOf = new Map<number, number>();
  sorted.forEach((packed, i) => {
    packedOfClass[i + 1] = packed;
    classOf.set(packed, i + 1);
  });
  return { packedOfClass, classOf };
}

/** Number of set bits in a 32-bit integer. */
export function bitCount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * A perfect hash from the key sums of one hand size to hand values (hash-and-displace): a key picks a
 * bucket with a multiplicative hash, and the bucket's displacement is XORed into the key's low bits to
 * give its slot, so evaluation costs one multiply and two small-table reads.
 */
export interface RankHash {
  /** Odd multiplier for the bucket hash. */
  mult: number;
  /** 32 minus the number of bucket bits. */
  bucketShift: number;
  /** Slot mask, table size minus one. */
  slotMask: number;
  /** Displacement per bucket. */
  disp: Uint16Array;
  /** Hand value per slot. */
  values: Uint16Array;
}

/** Multipliers tried in turn for the bucket hash (odd constants with well-mixed bits). */
const MULTIPLIERS = [0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1, 0xd3a2646c | 1];

/** The smallest displacement that sends every one of `lows` to a free slot, or -1. */
function findDisplacement(lows: readonly number[], occupied: Uint8Array, slotMask: number): number {
  for (let d = 0; d <= slotMask; d++) {
    let fits = true;
    for (let m = 0; m < lows.length; m++) {
      if (occupied[lows[m]! ^ d]) {
        fits = false;
        break;
      }
    }
    if (fits) return d;
  }
  return -1;
}

/** Builds the hash for every rank multiset of `size` cards; throws if two multisets share a key sum. */
function buildRankHash(size: number, tableBits: number): RankHash {
  const keys: number[] = [];
  const values: number[] = [];
  const seen = new Set<number>();
  forEachRankMultiset(size, (counts) => {
    let key = 0;
    for (let r = 0; r < 13; r++) key += counts[r]! * RANK_KEYS[r]!;
    if (seen.has(key)) throw new Error(`rank key collision at ${key}`);
    seen.add(key);
    keys.push(key);
    values.push(classOfPacked(packFromCounts(counts)));
  });
  for (const mult of MULTIPLIERS) {
    const hash = tryDisplace(keys, values, mult, tableBits, tableBits - 2);
    if (hash) return hash;
  }
  throw new Error(`no perfect hash found for ${size}-card rank multisets`);
}

/** One attempt at hash-and-displace with a given multiplier; undefined when some bucket cannot be placed. */
function tryDisplace(keys: number[], values: number[], mult: number, tableBits: number, bucketBits: number): RankHash | undefined {
  const bucketShift = 32 - bucketBits;
  const slotMask = (1 << tableBits) - 1;
  const buckets: number[][] = Array.from({ length: 1 << bucketBits }, () => []);
  keys.forEach((key, i) => buckets[Math.imul(key, mult) >>> bucketShift]!.push(i));
  const order = buckets.map((_, b) => b).sort((a, b) => buckets[b]!.length - buckets[a]!.length || a - b);
  const occupied = new Uint8Array(slotMask + 1);
  const disp = new Uint16Array(1 << bucketBits);
  const table = new Uint16Array(slotMask + 1);
  for (const b of order) {
    const members = buckets[b]!;
    if (members.length === 0) break;
    // XOR keeps distinct low bits distinct, so a bucket whose keys share low bits can never be placed.
    const lows = members.map((i) => keys[i]! & slotMask);
    if (new Set(lows).size !== lows.length) return undefined;
    const d = findDisplacement(lows, occupied, slotMask);
    if (d < 0) return undefined;
    disp[b] = d;
    members.forEach((i, m) => {
      const slot = lows[m]! ^ d;
      occupied[slot] = 1;
      table[slot] = values[i]!;
    });
  }
  return { mult, bucketShift, slotMask, disp, values: table };
}

const classes = buildClasses();

/** Packed description of each hand class, indexed by hand value 1..7462 (index 0 unused). */
export const PACKED_OF_CLASS: Int32Array = classes.packedOfClass;

/** Hand value of a packed description; throws for a description that is not a real hand class. */
export function classOfPacked(packed: number): number {
  const value = classes.classOf.get(packed);
  if (value === undefined) throw new Error(`no hand class for packed value ${packed}`);
  return value;
}

/** Hand value of the best flush within a 13-bit rank mask, for masks with at least five bits. */
export const FLUSH_VALUE = new Uint16Array(8192);
for (let mask = 0; mask < 8192; mask++) {
  if (bitCount(mask) >= 5) FLUSH_VALUE[mask] = classOfPacked(packFromFlushMask(mask));
}

/** Perfect hashes for rank multisets of 5, 6 and 7 cards. */
export const HASH5: RankHash = buildRankHash(5, 13);
export const HASH6: RankHash = buildRankHash(6, 15);
export const HASH7: RankHash = buildRankHash(7, 16);
