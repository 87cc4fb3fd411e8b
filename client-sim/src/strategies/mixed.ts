/** A table of mixed styles: each bot draws one of the other strategies once, from its own seeded generator. */
import type { Rng } from '../rng';
import { callingStationStrategy } from './calling-station';
import { randomStrategy } from './random';
import { tightStrategy } from './tight';
import type { Strategy } from './types';

/** The strategies a mixed table draws from, with weights (random play dominates to reach all streets). */
const POOL: ReadonlyArray<[Strategy, number]> = [
  [randomStrategy, 2],
  [tightStrategy, 1],
  [callingStationStrategy, 1],
];

/** Draws one concrete strategy for a bot. */
export function drawMixed(rng: Rng): Strategy {
  const total = POOL.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [strategy, weight] of POOL) {
    r -= weight;
    if (r < 0) return strategy;
  }
  return POOL[0]![0];
}
