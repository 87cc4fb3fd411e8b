/**
 * Deterministic shuffle from a secret 32-byte seed. The server commits to the resulting deck position by
 * position (deck-commitment.ts) and never reveals the seed to players; admins re-derive the deck from the
 * stored seed with this exact algorithm (version "felt-shuffle-v1"):
 *
 * 1. Byte stream: block i (i = 0, 1, 2, …) is HMAC-SHA256(key = the 32 seed bytes,
 *    message = ASCII "felt-shuffle-v1" followed by i as a 4-byte big-endian unsigned integer).
 *    The stream is block 0 ‖ block 1 ‖ …, read as consecutive big-endian uint32 values.
 * 2. Start from the ordered deck 0..51 (card = rank * 4 + suit: 2c, 2d, 2h, 2s, 3c, …, As).
 * 3. Fisher–Yates: for j = 51 down to 1, let n = j + 1 and limit = floor(2^32 / n) * n; draw uint32
 *    values x until x < limit (rejection sampling, so no residue is more likely than another), then
 *    swap deck[j] with deck[x mod n].
 * 4. The resulting deck is dealt from index 0 upwards.
 *
 * node:crypto's HMAC and SHA-256 are pure computations, so this stays free of I/O; randomness for new
 * seeds is passed in by the caller, never taken from a global source here.
 */
import { createHash, createHmac } from 'node:crypto';
import { type Card, DECK_SIZE, orderedDeck } from './cards';

/** Seed length in bytes. */
export const SEED_BYTES = 32;
/** Domain-separation prefix of every HMAC message, naming the algorithm version. */
export const SHUFFLE_DOMAIN = 'felt-shuffle-v1';

const TWO_POW_32 = 0x1_0000_0000;

/** Throws unless `seed` is a 32-byte Uint8Array. */
function assertSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new Error(`a shuffle seed must be ${SEED_BYTES} bytes`);
  }
}

/** Reads big-endian uint32 values from the HMAC block stream of a seed, one block at a time. */
class SeedStream {
  private block = Buffer.alloc(0);
  private position = 0;
  private counter = 0;

  constructor(private readonly seed: Uint8Array) {}

  /** The next uint32 of the stream. */
  nextUint32(): number {
    if (this.position + 4 > this.block.length) {
      const message = Buffer.alloc(SHUFFLE_DOMAIN.length + 4);
      message.write(SHUFFLE_DOMAIN, 0, 'ascii');
      message.writeUInt32BE(this.counter++, SHUFFLE_DOMAIN.length);
      this.block = createHmac('sha256', this.seed).update(message).digest();
      this.position = 0;
    }
    const value = this.block.readUInt32BE(this.position);
    this.position += 4;
    return value;
  }

  /** A uniform integer in [0, n) by rejection sampling, for 1 <= n <= 2^32. */
  uniformBelow(n: number): number {
    const limit = Math.floor(TWO_POW_32 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

/** The deck derived from a 32-byte seed by the algorithm documented at the top of this file. */
export function shuffle(seed: Uint8Array): Card[] {
  assertSeed(seed);
  const deck = orderedDeck();
  const stream = new SeedStream(seed);
  for (let j = DECK_SIZE - 1; j >= 1; j--) {
    const r = stream.uniformBelow(j + 1);
    const tmp = deck[j]!;
    deck[j] = deck[r]!;
    deck[r] = tmp;
  }
  return deck;
}

/** Lowercase hex SHA-256 of the seed bytes: the commitment of hands dealt before the Merkle deck commitment. */
export function commitment(seed: Uint8Array): string {
  assertSeed(seed);
  return createHash('sha256').update(seed).digest('hex');
}

/** True when `commitmentHex` (64 hex characters, any case) is the commitment of `seed`. */
export function verifyCommitment(seed: Uint8Array, commitmentHex: string): boolean {
  if (typeof commitmentHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(commitmentHex)) return false;
  return commitment(seed) === commitmentHex.toLowerCase();
}

/** The seed as 64 lowercase hex characters. */
export function seedToHex(seed: Uint8Array): string {
  assertSeed(seed);
  return Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString('hex');
}

/** Parses exactly 64 hex characters into a seed; throws on anything else (no prefix, spaces or odd length). */
export function seedFromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a seed must be exactly 64 hex characters');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** A fresh seed from the caller's randomness source (production passes crypto.randomBytes). */
export function newSeed(randomBytes: (n: number) => Uint8Array): Uint8Array {
  const bytes = randomBytes(SEED_BYTES);
  assertSeed(bytes);
  return new Uint8Array(bytes);
}
