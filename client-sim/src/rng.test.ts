import { createRng, hash32 } from './rng';

describe('seeded rng', () => {
  it('reproduces the same sequence from the same seed and differs across seeds', () => {
    const a = Array.from({ length: 20 }, createRng(42).next);
    const seq = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(seq(42)).toEqual(seq(42));
    expect(seq(42)).not.toEqual(seq(43));
    expect(a.length).toBe(20);
  });

  it('keeps int() in range and roughly uniform', () => {
    const r = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    expect(() => r.int(0)).toThrow();
  });

  it('forks independent, stable child generators by label', () => {
    const root = createRng(7);
    expect(root.fork('a').next()).toBe(createRng(7).fork('a').next());
    expect(root.fork('a').next()).not.toBe(root.fork('b').next());
    expect(hash32('abc')).toBe(hash32('abc'));
  });
});
