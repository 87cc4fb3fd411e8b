/** Strategy lookup by CLI name. */
import type { Rng } from '../rng';
import { callingStationStrategy } from './calling-station';
import { drawMixed } from './mixed';
import { randomStrategy } from './random';
import { tightStrategy } from './tight';
import type { Strategy } from './types';

/** Names accepted by --strategy. */
export const STRATEGY_NAMES = ['random', 'tight', 'calling-station', 'mixed'] as const;
/** One of STRATEGY_NAMES. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The strategy a bot plays for the chosen name ("mixed" draws one per bot from `rng`). */
export function strategyFor(name: StrategyName, rng: Rng): Strategy {
  switch (name) {
    case 'random':
      return randomStrategy;
    case 'tight':
      return tightStrategy;
    case 'calling-station':
      return callingStationStrategy;
    case 'mixed':
      return drawMixed(rng);
  }
}

export type { Strategy, Decision, DecisionInput } from './types';
