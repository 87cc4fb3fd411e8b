/**
 * A small seeded pseudo-random generator (mulberry32) for bot decisions and chaos timing, so that
 * `--seed N` reproduces every choice the simulator makes. It is never used for anything secret: the
 * server shuffles with its own CSPRNG; this only decides what simulated players do.
 */

/** A deterministic source of pseudo-random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** An independent generator derived from this one's seed and `label` (stable across runs). */
  fork(label: string): Rng;
  /** The 32-bit seed this generator started from. */
  readonly seed: number;
}

/** 32-bit FNV-1a of a string, used to derive child seeds from labels. */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Creates a mulberry32 generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  const start = seed >>> 0;
  let state = start;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: start,
    next,
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int: ${n} is not a positive integer`);
      return Math.floor(next() * n);
    },
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('rng.pick: empty array');
      return items[Math.floor(next() * items.length)]!;
    },
    fork: (label) => createRng(hash32(label, start ^ 0x9e3779b9)),
  };
}
