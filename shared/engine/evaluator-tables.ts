/**
 * Lookup tables for the hand evaluator, built once at module load (tens of milliseconds) so that the
 * hot path is a handful of array reads with no allocation.
 *
 * A hand value is the index of its equivalence class among the 7,462 distinct five-card poker hands,
 * 1 (7-5-4-3-2 offsuit) .. 7462 (royal flush), so comparing two values compares the hands and equal
 * values tie exactly. Each class also has a "packed" description, category << 20 followed by five
 * 4-bit ranks in order of significance (zero-padded), which `describeHand` decodes.
 *
 * Non-flush hands depend only on the multiset of ranks. Every rank has a key (RANK_KEYS) chosen so
 * that two different rank multisets of the same size (at most four of a rank, at most seven cards)
 * never have the same key sum; the sum is then mapped into a dense table by a hash-and-displace
 * perfect hash (see RankHash), which keeps the tables small enough to stay in the CPU cache: 128 KiB
 * of values and 32 KiB of displacements for seven cards. Flushes are detected from a per-card suit
 * counter and looked up by the 13-bit mask of ranks in the flush suit. With at most seven cards a
 * flush excludes quads and full houses, so the flush lookup alone decides such a hand.
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

/** The high rank of the best straight in a 13-bit rank mask (3 for the wheel), or -1 when there is none. */
export function straightHigh(mask: number): number {
  for (let high = 12; high >= 4; high--) {
    const run = 0x1f << (high - 4);
    if ((mask & run) === run) return high;
  }
  const wheel = 0x100f; // A, 2, 3, 4, 5
  return (mask & wheel) === wheel ? 3 : -1;
}

/** Appends the `count` highest ranks of `mask` to a packed prefix (4 bits each), padding with zeros to five ranks in all. */
function packKickers(prefix: number, used: number, mask: number, count: number): number {
  let value = prefix;
  let left = count;
  for (let r = 12; r >= 0 && left > 0; r--) {
    if (mask & (1 << r)) {
      value = value * 16 + r;
      left--;
    }
  }
  for (let i = used + count - left; i < 5; i++) value *= 16;
  return value;
}

/** Packed value of the best five-card non-flush hand from per-rank counts (5 to 7 cards in all). */
export function packFromCounts(counts: ArrayLike<number>): number {
  let mask = 0;
  let quad = -1;
  let trip = -1;
  let trip2 = -1;
  let pair = -1;
  let pair2 = -1;
  for (let r = 12; r >= 0; r--) {
    const n = counts[r]!;
    if (n === 0) continue;
    mask |= 1 << r;
    // Ranks arrive highest first, so the first rank seen of each group size is the best one.
    if (n === 4 && quad < 0) quad = r;
    else if (n === 3 && trip < 0) trip = r;
    else if (n === 3 && trip2 < 0) trip2 = r;
    else if (n === 2 && pair < 0) pair = r;
    else if (n === 2 && pair2 < 0) pair2 = r;
  }
  if (quad >= 0) return packKickers(CAT_QUADS * 16 + quad, 1, mask & ~(1 << quad), 1);
  const fullPair = Math.max(trip2, pair);
  if (trip >= 0 && fullPair >= 0) return packKickers((CAT_FULL_HOUSE * 16 + trip) * 16 + fullPair, 2, 0, 0);
  const high = straightHigh(mask);
  if (high >= 0) return packKickers(CAT_STRAIGHT * 16 + high, 1, 0, 0);
  if (trip >= 0) return packKickers(CAT_TRIPS * 16 + trip, 1, mask & ~(1 << trip), 2);
  if (pair2 >= 0) return packKickers((CAT_TWO_PAIR * 16 + pair) * 16 + pair2, 2, mask & ~(1 << pair) & ~(1 << pair2), 1);
  if (pair >= 0) return packKickers(CAT_PAIR * 16 + pair, 1, mask & ~(1 << pair), 3);
  return packKickers(CAT_HIGH_CARD, 0, mask, 5);
}

/** Packed value of the best flush (or straight flush) within a rank mask of one suit with 5+ bits. */
export function packFromFlushMask(mask: number): number {
  const high = straightHigh(mask);
  if (high >= 0) return packKickers(CAT_STRAIGHT_FLUSH * 16 + high, 1, 0, 0);
  return packKickers(CAT_FLUSH, 0, mask, 5);
}

/** Calls `visit` with the per-rank counts of every rank multiset of `size` cards (at most four per rank). */
function forEachRankMultiset(size: number, visit: (counts: number[]) => void): void {
  const counts = new Array<number>(13).fill(0);
  const recurse = (rank: number, left: number): void => {
    // Higher ranks are all zero here, so a complete multiset is visited without walking them.
    if (left === 0) {
      visit(counts);
      return;
    }
    if (rank === 13 || left > 4 * (13 - rank)) return;
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
 * A perfect hash from the key sums of one hand size to hand values (hash-and-displace): h = key * mult
 * (mod 2^32); the top bits of h pick a bucket and the bucket's displacement is XORed into the low bits
 * of h to give the slot, so evaluation costs one multiply and two small-table reads. The low bits of h
 * are a bijection of the key's low bits (mult is odd) but spread them more evenly than the raw key,
 * whose structured low bits would leave some XOR blocks crowded and make the build search long.
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

/** The smallest displacement that sends each of the first `n` lows to a free slot, or -1. */
function findDisplacement(lows: Int32Array, n: number, occupied: Uint8Array, slotMask: number): number {
  for (let d = 0; d <= slotMask; d++) {
    let m = 0;
    while (m < n && !occupied[lows[m]! ^ d]) m++;
    if (m === n) return d;
  }
  return -1;
}

/** True when two of the first `n` values are equal (n is a handful, so the quadratic scan is cheapest). */
function hasDuplicate(values: Int32Array, n: number): boolean {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (values[i] === values[j]) return true;
  return false;
}

/** Bucket numbers ordered by decreasing size, given prefix sums of bucket sizes. */
function bucketsBySizeDescending(start: Int32Array): Int32Array {
  const bucketCount = start.length - 1;
  let largest = 0;
  for (let b = 0; b < bucketCount; b++) largest = Math.max(largest, start[b + 1]! - start[b]!);
  const firstOfSize = new Int32Array(largest + 2);
  for (let b = 0; b < bucketCount; b++) {
    const slot = largest - (start[b + 1]! - start[b]!) + 1;
    firstOfSize[slot] = firstOfSize[slot]! + 1;
  }
  for (let i = 0; i <= largest; i++) firstOfSize[i + 1] = firstOfSize[i + 1]! + firstOfSize[i]!;
  const order = new Int32Array(bucketCount);
  for (let b = 0; b < bucketCount; b++) order[firstOfSize[largest - (start[b + 1]! - start[b]!)]!++] = b;
  return order;
}

/** Builds the hash for every rank multiset of `size` cards; throws if two multisets share a key sum. */
function buildRankHash(size: number, tableBits: number, firstMultiplier: number): RankHash {
  const keyList: number[] = [];
  const valueList: number[] = [];
  forEachRankMultiset(size, (counts) => {
    let key = 0;
    for (let r = 0; r < 13; r++) key += counts[r]! * RANK_KEYS[r]!;
    keyList.push(key);
    valueList.push(classOfPacked(packFromCounts(counts)));
  });
  const keys = Int32Array.from(keyList);
  const values = Uint16Array.from(valueList);
  // The multiplier known to work for this size goes first; the others are fallbacks, so a change that
  // broke it would cost build time rather than correctness.
  for (const mult of [firstMultiplier, ...MULTIPLIERS.filter((m) => m !== firstMultiplier)]) {
    const hash = tryDisplace(keys, values, mult, tableBits, tableBits - 2);
    if (hash) return hash;
  }
  // Two multisets with the same key sum also share a bucket and low bits under every multiplier, so a
  // broken RANK_KEYS ends here rather than in a table that silently confuses two hands.
  throw new Error(`no perfect hash found for ${size}-card rank multisets (colliding rank keys?)`);
}

/** One attempt at hash-and-displace with a given multiplier; undefined when some bucket cannot be placed. */
function tryDisplace(keys: Int32Array, values: Uint16Array, mult: number, tableBits: number, bucketBits: number): RankHash | undefined {
  const bucketShift = 32 - bucketBits;
  const slotMask = (1 << tableBits) - 1;
  const bucketCount = 1 << bucketBits;
  // Buckets in compressed form: members of bucket b are members[start[b] .. start[b + 1]).
  const start = new Int32Array(bucketCount + 1);
  for (const key of keys) {
    const b = Math.imul(key, mult) >>> bucketShift;
    start[b + 1] = start[b + 1]! + 1;
  }
  for (let b = 0; b < bucketCount; b++) start[b + 1] = start[b + 1]! + start[b]!;
  const fill = start.slice(0, bucketCount);
  const members = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) members[fill[Math.imul(keys[i]!, mult) >>> bucketShift]!++] = i;
  // Largest buckets first, while the table is still empty enough to take them (a counting sort by size).
  const order = bucketsBySizeDescending(start);
  const occupied = new Uint8Array(slotMask + 1);
  const disp = new Uint16Array(bucketCount);
  const table = new Uint16Array(slotMask + 1);
  const lows = new Int32Array(64);
  for (const b of order) {
    const n = start[b + 1]! - start[b]!;
    if (n === 0) break;
    for (let m = 0; m < n; m++) lows[m] = Math.imul(keys[members[start[b]! + m]!]!, mult) & slotMask;
    // XOR keeps distinct low bits distinct, so a bucket whose keys share low bits can never be placed.
    if (n > lows.length || hasDuplicate(lows, n)) return undefined;
    const d = findDisplacement(lows, n, occupied, slotMask);
    if (d < 0) return undefined;
    disp[b] = d;
    for (let m = 0; m < n; m++) {
      const slot = lows[m]! ^ d;
      occupied[slot] = 1;
      table[slot] = values[members[start[b]! + m]!]!;
    }
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

/** Perfect hashes for rank multisets of 5 and 7 cards (six cards are evaluated as five-card subsets). */
export const HASH5: RankHash = buildRankHash(5, 13, 0x85ebca6b);
export const HASH7: RankHash = buildRankHash(7, 16, 0x9e3779b1);
