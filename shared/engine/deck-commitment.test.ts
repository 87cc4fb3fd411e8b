import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { formatCard } from './cards';
import {
  DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME, commitDeck, openPositions, positionsOf, verifyOpening, verifySeedCommitment, type DeckOpening,
} from './deck-commitment';
import { commitment as seedSha256, shuffle } from './shuffle';

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const positionArb = fc.integer({ min: 0, max: 51 });
const FIXED_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);

/**
 * The documented algorithm re-derived independently of deck-commitment.ts: the 52 leaves hashed as
 * documented and the RFC 9162 tree for 52 leaves written out by its fixed shape (32 + (16 + 4)).
 */
function referenceRoot(seed: Uint8Array): string {
  const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  const leaves = shuffle(seed).map((card, i) => {
    const salt = createHmac('sha256', seed).update(Buffer.concat([Buffer.from('felt-salt-v1'), Buffer.from([0, 0, 0, i])])).digest();
    return h(Buffer.from([0]), Buffer.from('felt-deck-v1'), Buffer.from([i, card]), salt);
  });
  const perfect = (nodes: Buffer[]): Buffer => (nodes.length === 1 ? nodes[0]! : h(Buffer.from([1]), perfect(nodes.slice(0, nodes.length / 2)), perfect(nodes.slice(nodes.length / 2))));
  const node = (l: Buffer, r: Buffer) => h(Buffer.from([1]), l, r);
  return node(perfect(leaves.slice(0, 32)), node(perfect(leaves.slice(32, 48)), perfect(leaves.slice(48, 52)))).toString('hex');
}

describe('deck commitment (felt-deck-merkle-v1)', () => {
  it('computes the root exactly as documented', () => {
    fc.assert(fc.property(seedArb, (seed) => commitDeck(seed).root === referenceRoot(seed)), { numRuns: 50 });
  });

  it('has a fixed answer for a fixed seed, so other implementations can check themselves', () => {
    const committed = commitDeck(FIXED_SEED);
    expect(committed.root).toBe(referenceRoot(FIXED_SEED));
    expect(committed.root).toBe('5ce2d2bc008fa854c3749d0389679b4604d8c65f94b12c6887359e4a7cf40373');
    expect(openPositions(committed, [0])[0]).toMatchObject({ position: 0, card: '7h', salt: '052939969e411d287821a9c57d30d9ceba8d6ca72a8c2d15cc1983c6592d99c3' });
    expect(committed.deck).toEqual(shuffle(FIXED_SEED));
  });

  it('every opening of every position verifies against the root', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const committed = commitDeck(seed);
        const all = openPositions(committed, committed.deck.map((_, i) => i));
        return all.every((o) => verifyOpening(committed.root, o));
      }),
      { numRuns: 30 },
    );
  });

  it('a wrong card, salt, position, path or root fails', () => {
    fc.assert(
      fc.property(seedArb, positionArb, fc.integer({ min: 1, max: 51 }), fc.nat(), (seed, position, shift, pick) => {
        const committed = commitDeck(seed);
        const opening = openPositions(committed, [position])[0]!;
        const otherCard = formatCard((committed.deck[position]! + shift) % 52);
        const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
        const i = pick % opening.path.length;
        const forged: DeckOpening[] = [
          { ...opening, card: otherCard },
          { ...opening, salt: flip(opening.salt) },
          { ...opening, position: (position + shift) % 52 },
          { ...opening, path: opening.path.map((p, j) => (j === i ? flip(p) : p)) },
          { ...opening, path: opening.path.slice(0, -1) },
          { ...opening, path: [...opening.path, opening.path[0]!] },
          { ...opening, path: [...opening.path].reverse() },
        ];
        // Another seed's opening of the same position, presented against this root.
        const stranger = openPositions(commitDeck(createHash('sha256').update(seed).digest()), [position])[0]!;
        return verifyOpening(committed.root, opening)
          && forged.every((f) => !verifyOpening(committed.root, f))
          && !verifyOpening(committed.root, stranger)
          && !verifyOpening(flip(committed.root), opening);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses malformed openings without throwing', () => {
    const committed = commitDeck(FIXED_SEED);
    const good = openPositions(committed, [3])[0]!;
    const bad: unknown[] = [
      { ...good, card: 'Xx' }, { ...good, salt: 'zz' }, { ...good, position: 52 }, { ...good, position: -1 },
      { ...good, position: 1.5 }, { ...good, path: 'nope' }, { ...good, path: [1] }, null, {},
    ];
    for (const b of bad) expect(verifyOpening(committed.root, b as DeckOpening)).toBe(false);
    expect(verifyOpening(committed.root.toUpperCase(), good)).toBe(false);
  });

  it('finds the positions of dealt cards', () => {
    const committed = commitDeck(FIXED_SEED);
    expect(positionsOf(committed.deck, [committed.deck[7]!, committed.deck[0]!])).toEqual([7, 0]);
    expect(() => positionsOf(committed.deck.slice(1), [committed.deck[0]!])).toThrow();
  });

  it('checks a stored seed against either scheme', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (seed, other) => {
        const root = commitDeck(seed).root;
        const legacy = seedSha256(seed);
        const differs = Buffer.compare(Buffer.from(seed), Buffer.from(other)) !== 0;
        return verifySeedCommitment(DECK_MERKLE_SCHEME, seed, root)
          && verifySeedCommitment(SEED_SHA256_SCHEME, seed, legacy)
          && !verifySeedCommitment(DECK_MERKLE_SCHEME, seed, legacy)
          && !verifySeedCommitment(SEED_SHA256_SCHEME, seed, root)
          && !verifySeedCommitment('unknown', seed, root)
          && (!differs || !verifySeedCommitment(DECK_MERKLE_SCHEME, other, root));
      }),
      { numRuns: 30 },
    );
  });
});
