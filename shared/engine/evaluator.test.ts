import fc from 'fast-check';
import phe from 'phe';
import { type Card, formatCards, parseCards, RANK_CHARS, rankOf, SUIT_CHARS, suitOf } from './cards';
import { bestFive, describeHand, describeHandWithKickers, evaluate, evaluate5, evaluate7, evaluateOmaha, type HandCategory, handCategory } from './evaluator';

const CATEGORIES: HandCategory[] = ['high_card', 'pair', 'two_pair', 'three_of_a_kind', 'straight', 'flush', 'full_house', 'four_of_a_kind', 'straight_flush'];

/** Parses a test hand such as "AsKd7h…", failing loudly on a typo. */
function cards(text: string): Card[] {
  const parsed = parseCards(text);
  if (!parsed) throw new Error(`bad test hand ${text}`);
  return parsed;
}

/**
 * Slow, obviously correct reference: classify five cards naively into [category, ranks…] where the
 * ranks are listed by group size then rank, which is exactly how poker breaks ties.
 */
function reference5(five: readonly Card[]): number[] {
  const ranks = five.map(rankOf).sort((a, b) => b - a);
  const flush = five.every((c) => suitOf(c) === suitOf(five[0]!));
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  const groups = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const shape = groups.map((g) => g[1]).join('');
  const order = groups.map((g) => g[0]);
  let straight = -1;
  if (groups.length === 5 && ranks[0]! - ranks[4]! === 4) straight = ranks[0]!;
  if (ranks.join(',') === '12,3,2,1,0') straight = 3;
  if (straight >= 0 && flush) return [8, straight];
  if (shape === '41') return [7, ...order];
  if (shape === '32') return [6, ...order];
  if (flush) return [5, ...ranks];
  if (straight >= 0) return [4, straight];
  if (shape === '311') return [3, ...order];
  if (shape === '221') return [2, ...order];
  if (shape === '2111') return [1, ...order];
  return [0, ...ranks];
}

/** Lexicographic comparison of reference values. */
function compareRef(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** All k-element subsets of a list. */
function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first!, ...c]), ...combinations(rest, k)];
}

/** Reference best-of-n: the maximum over every five-card subset. */
function referenceBest(hand: readonly Card[]): number[] {
  return combinations(hand, 5).map(reference5).reduce((best, v) => (compareRef(v, best) > 0 ? v : best));
}

/** Reference Omaha: the maximum over every two-from-hole, three-from-board combination. */
function referenceOmaha(hole: readonly Card[], board: readonly Card[]): number[] {
  const all: number[][] = [];
  for (const two of combinations(hole, 2)) for (const three of combinations(board, 3)) all.push(reference5([...two, ...three]));
  return all.reduce((best, v) => (compareRef(v, best) > 0 ? v : best));
}

const distinctCards = (n: number): fc.Arbitrary<Card[]> => fc.uniqueArray(fc.integer({ min: 0, max: 51 }), { minLength: n, maxLength: n });

describe('evaluate: one row per category, strongest first', () => {
  const rows: [string, HandCategory, string][] = [
    ['AsKsQsJsTs2c3d', 'straight_flush', 'Royal Flush'],
    ['9h8h7h6h5h2c3d', 'straight_flush', 'Straight Flush, Nine high'],
    ['5d4d3d2dAd9c9s', 'straight_flush', 'Straight Flush, Five high'],
    ['9c9d9h9sKd2c3d', 'four_of_a_kind', 'Four of a Kind, Nines'],
    ['KcKdKh7s7d2c3h', 'full_house', 'Full House, Kings full of Sevens'],
    ['AhJh8h4h2hKcQd', 'flush', 'Flush, Ace high'],
    ['TcJd9h8s7c2d2h', 'straight', 'Straight, Jack high'],
    ['6c5d4h3s2c9dJh', 'straight', 'Straight, Six high'],
    ['Ac2d3h4s5cJd9h', 'straight', 'Straight, Five high'],
    ['7c7d7hAsKd2c3h', 'three_of_a_kind', 'Three of a Kind, Sevens'],
    ['AcAd4h4s9cJd2h', 'two_pair', 'Two Pair, Aces and Fours'],
    ['QcQd8h5s3c2dJh', 'pair', 'Pair, Queens'],
    ['AcJd9h7s5c3d2h', 'high_card', 'High Card, Ace'],
    ['9cJd8h7s5c3d2h', 'high_card', 'High Card, Jack'],
  ];

  it.each(rows)('%s is %s: %s', (hand, category, description) => {
    const v = evaluate(cards(hand));
    expect(handCategory(v)).toBe(category);
    expect(describeHand(v)).toBe(description);
    expect(compareRef(referenceBest(cards(hand)), [CATEGORIES.indexOf(category)])).toBe(1);
  });

  it('orders the rows strictly from strongest to weakest', () => {
    const values = rows.map(([hand]) => evaluate(cards(hand)));
    for (let i = 1; i < values.length; i++) expect(values[i - 1]!).toBeGreaterThan(values[i]!);
  });
});

describe('evaluate: ties and kickers', () => {
  const cmp = (a: string, b: string): number => Math.sign(evaluate(cards(a)) - evaluate(cards(b)));

  it('ties identical ranks across suits', () => {
    expect(cmp('AsKd9h7c4s', 'AhKc9d7s4h')).toBe(0);
    expect(cmp('KcKdKh7s7d2c3h', 'KsKhKc7h7c2d3s')).toBe(0);
    expect(cmp('AsKsQsJsTs', 'AhKhQhJhTh')).toBe(0);
  });

  it('makes the wheel the lowest straight', () => {
    expect(cmp('6c5d4h3s2c', 'Ac2d3h4s5c')).toBe(1);
    expect(cmp('Ac2d3h4s5c', 'AcAdAhKsQc')).toBe(1);
    expect(cmp('6s5s4s3s2s', 'As2s3s4s5s')).toBe(1);
  });

  it('decides by kickers in order', () => {
    expect(cmp('AsKd9h7c4s', 'AsQd9h7c4s')).toBe(1);
    expect(cmp('AsKd9h7c4s', 'AsKd9h7c3d')).toBe(1);
    expect(cmp('QcQd8h5s3c', 'QhQs8c5d2c')).toBe(1);
    expect(cmp('AcAd4h4s9c', 'AhAs4c4d8c')).toBe(1);
    expect(cmp('AcAd4h4s9c', 'KcKdQhQs9c')).toBe(1);
    expect(cmp('9c9d9h9sKd', '9c9d9h9sQd')).toBe(1);
    expect(cmp('7c7d7hAsKd', '7c7d7hAsQd')).toBe(1);
    expect(cmp('KcKdKh2s2d', 'QcQdQhAsAd')).toBe(1);
  });

  it('uses the best five of seven: board plays, third pair is a kicker', () => {
    expect(cmp('AsKsQdJcTh2c3d', 'AsKsQdJcTh4c5d')).toBe(0);
    expect(describeHand(evaluate(cards('AcAdKhKs2c2dQh')))).toBe('Two Pair, Aces and Kings');
    expect(cmp('AcAdKhKs2c2dQh', 'AcAdKhKs3c3dJh')).toBe(1);
    expect(describeHand(evaluate(cards('KcKdKh7s7d7c3h')))).toBe('Full House, Kings full of Sevens');
  });

  it('evaluates 5 and 6 cards consistently with 7', () => {
    expect(evaluate(cards('AsKsQsJsTs'))).toBe(evaluate(cards('AsKsQsJsTs2c3d')));
    expect(evaluate(cards('AsKsQsJsTs2c'))).toBe(evaluate(cards('AsKsQsJsTs')));
    expect(describeHand(evaluate(cards('2c2d5h5s9c9d')))).toBe('Two Pair, Nines and Fives');
    expect(describeHand(evaluate(cards('9h2h3h4h7hKc')))).toBe('Flush, Nine high');
  });
});

describe('describeHandWithKickers', () => {
  it.each([
    ['AcAd9h4sKc2d3h', 'Pair, Aces, kickers King, Nine, Four'],
    ['AcAdKhKs2c2dQh', 'Two Pair, Aces and Kings, kicker Queen'],
    ['7c7d7hAs2d3cKd', 'Three of a Kind, Sevens, kickers Ace, King'],
    ['9c9d9h9sAdKc2h', 'Four of a Kind, Nines, kicker Ace'],
    ['Ah9c7d4s2hJcTd', 'High Card, Ace, kickers Jack, Ten, Nine, Seven'],
    ['9h2h3h4h7hKc', 'Flush, Nine high, kickers Seven, Four, Three, Two'],
    ['KcKdKh7s7d7c3h', 'Full House, Kings full of Sevens'],
    ['As2d3c4h5s', 'Straight, Five high'],
  ])('%s reads "%s"', (text, description) => {
    expect(describeHandWithKickers(evaluate(cards(text)))).toBe(description);
  });
});

describe('evaluate: invalid input throws', () => {
  it.each([
    ['four cards', [0, 1, 2, 3]],
    ['eight cards', [0, 1, 2, 3, 4, 5, 6, 7]],
    ['a duplicate', [0, 1, 2, 3, 4, 5, 5]],
    ['52', [0, 1, 2, 3, 52]],
    ['-1', [0, 1, 2, 3, -1]],
    ['a fraction', [0, 1, 2, 3, 4.5]],
    ['NaN', [0, 1, 2, 3, Number.NaN]],
  ])('%s', (_name, hand) => {
    expect(() => evaluate(hand)).toThrow();
  });

  it('rejects values that are not hand values', () => {
    for (const bad of [0, 7463, 1.5, -1]) {
      expect(() => describeHand(bad)).toThrow();
      expect(() => handCategory(bad)).toThrow();
    }
  });
});

describe('evaluateOmaha', () => {
  const omaha = (hole: string, board: string): number => evaluateOmaha(cards(hole), cards(board));

  it('needs exactly two hole cards for a flush', () => {
    expect(handCategory(omaha('AhKhQhJh', 'Th2c3d4s9c'))).not.toBe('flush');
    expect(handCategory(omaha('AhKh2c3d', 'QhJh9h4s8c'))).toBe('flush');
  });

  it('does not use one hole card with four board cards to a straight', () => {
    expect(handCategory(omaha('9c2d2h3s', '5c6d7h8sKc'))).toBe('pair');
    expect(handCategory(omaha('9c4d2h3s', '5c6d7h8sKc'))).toBe('straight');
  });

  it('cannot play the board alone, nor three hole cards', () => {
    expect(describeHand(omaha('2c3d7h8s', 'AsKsQsJsTs'))).toBe('High Card, Ace');
    expect(handCategory(omaha('AcAd4h5s', 'AhKcKd3s7c'))).toBe('full_house');
    expect(handCategory(omaha('AcAdAh2s', 'KcKd3h5s7c'))).toBe('two_pair');
    expect(handCategory(omaha('AcAdAhAs', 'KcKd3h5s7c'))).toBe('two_pair');
  });

  it('supports 5- and 6-card holdings and 3- or 4-card boards', () => {
    expect(describeHand(omaha('AhKh2c3d4s', 'QhJhTh'))).toBe('Royal Flush');
    expect(describeHand(omaha('2c3d4s5c6dAs', 'AcAd9h8s'))).toBe('Three of a Kind, Aces');
  });

  it('rejects wrong counts and cards shared between hole and board', () => {
    expect(() => omaha('AhKh2c', 'QhJhTh')).toThrow();
    expect(() => omaha('AhKh2c3d4s5s6s', 'QhJhTh')).toThrow();
    expect(() => omaha('AhKh2c3d', 'QhJh')).toThrow();
    expect(() => omaha('AhKh2c3d', 'QhJhTh9h8h7h')).toThrow();
    expect(() => omaha('AhKh2c3d', 'AhJhTh')).toThrow();
  });
});

describe('bestFive', () => {
  it('returns the five cards making the value, ordered for display', () => {
    expect(formatCards(bestFive(cards('KcKdKh7s7d2c3h')))).toBe('KhKdKc7s7d');
    expect(formatCards(bestFive(cards('Ac2d3h4s5cJd9h')))).toBe('5c4s3h2dAc');
  });

  it('always reproduces the hand value from a subset of the input', () => {
    fc.assert(
      fc.property(distinctCards(7), (hand) => {
        const five = bestFive(hand);
        expect(five).toHaveLength(5);
        expect(five.every((c) => hand.includes(c))).toBe(true);
        expect(evaluate(five)).toBe(evaluate(hand));
      }),
      { numRuns: 500 },
    );
  });
});

describe('agreement with references', () => {
  it('orders random 7-card hands exactly like the enumerating reference', () => {
    fc.assert(
      fc.property(distinctCards(7), distinctCards(7), (a, b) => {
        const ra = referenceBest(a);
        expect(handCategory(evaluate(a))).toBe(CATEGORIES[ra[0]!]);
        expect(Math.sign(evaluate(a) - evaluate(b))).toBe(compareRef(ra, referenceBest(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('orders random 5- and 6-card hands exactly like the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 6 }), distinctCards(12), (n, pool) => {
        const a = pool.slice(0, n);
        const b = pool.slice(6, 6 + n);
        expect(Math.sign(evaluate(a) - evaluate(b))).toBe(compareRef(referenceBest(a), referenceBest(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('orders Omaha hands exactly like enumerating every 2 + 3 combination', () => {
    const omahaDeal = fc.tuple(fc.integer({ min: 4, max: 6 }), fc.integer({ min: 3, max: 5 }), distinctCards(11));
    fc.assert(
      fc.property(omahaDeal, omahaDeal, ([ha, ba, pa], [hb, bb, pb]) => {
        const [holeA, boardA] = [pa.slice(0, ha), pa.slice(6, 6 + ba)];
        const [holeB, boardB] = [pb.slice(0, hb), pb.slice(6, 6 + bb)];
        const expected = compareRef(referenceOmaha(holeA, boardA), referenceOmaha(holeB, boardB));
        expect(Math.sign(evaluateOmaha(holeA, boardA) - evaluateOmaha(holeB, boardB))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives every 5-card hand exactly the class phe gives it (ours + phe = 7463)', () => {
    const code = Array.from({ length: 52 }, (_, c) => phe.cardCode(RANK_CHARS[rankOf(c)]!, SUIT_CHARS[suitOf(c)]!));
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 7 }), distinctCards(7), (n, pool) => {
        const hand = pool.slice(0, n);
        expect(evaluate(hand) + phe.evaluateCardCodes(hand.map((c) => code[c]!))).toBe(7463);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('exhaustive five-card census', () => {
  it('finds the textbook category counts and all 7,462 classes among the 2,598,960 hands', () => {
    const multiplicity = new Int32Array(7463);
    for (let a = 0; a < 48; a++)
      for (let b = a + 1; b < 49; b++)
        for (let c = b + 1; c < 50; c++)
          for (let d = c + 1; d < 51; d++)
            for (let e = d + 1; e < 52; e++) {
              const v = evaluate5(a, b, c, d, e);
              multiplicity[v] = multiplicity[v]! + 1;
            }
    const perCategory = new Map<HandCategory, number>();
    for (let v = 1; v <= 7462; v++) perCategory.set(handCategory(v), (perCategory.get(handCategory(v)) ?? 0) + multiplicity[v]!);
    expect(multiplicity.filter((n) => n > 0)).toHaveLength(7462);
    expect(Object.fromEntries(perCategory)).toEqual({
      high_card: 1302540,
      pair: 1098240,
      two_pair: 123552,
      three_of_a_kind: 54912,
      straight: 10200,
      flush: 5108,
      full_house: 3744,
      four_of_a_kind: 624,
      straight_flush: 40,
    });
  });

  it('agrees between evaluate7 and evaluate on a 7-card sample', () => {
    fc.assert(
      fc.property(distinctCards(7), (h) => {
        expect(evaluate7(h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!)).toBe(evaluate(h));
      }),
      { numRuns: 1000 },
    );
  });
});
