/**
 * A tight player: plays on only with strong starting cards (a pair, or two high cards), raising those
 * preflop; otherwise checks when free and folds to any bet. Works for 2-card and 4-card variants by
 * looking at the two highest cards.
 */
import { aggressive, passive, type Decision, type DecisionInput, type Strategy } from './types';

const RANKS = '23456789TJQKA';

/** Rank index of a card like "As" (0 for a deuce, 12 for an ace); -1 when unreadable. */
export function rankOf(card: string): number {
  return RANKS.indexOf(card.charAt(0).toUpperCase());
}

/** True for hole cards worth playing: any pair, or the two highest cards both ten or better. */
export function isStrongStart(holeCards: readonly string[]): boolean {
  const ranks = holeCards.map(rankOf).filter((r) => r >= 0);
  if (ranks.length < 2) return false;
  if (new Set(ranks).size < ranks.length) return true;
  const [a, b] = ranks.sort((x, y) => y - x);
  return a! >= RANKS.indexOf('T') && b! >= RANKS.indexOf('T');
}

/** Raises strong hands preflop, calls with them later, gives up weak ones. */
export const tightStrategy: Strategy = {
  name: 'tight',
  decide({ legal, view, holeCards, rng }: DecisionInput): Decision {
    const strong = isStrongStart(holeCards);
    if (!strong) return legal.actions.includes('check') ? { action: 'check' } : { action: 'fold' };
    if (view.street === 'preflop' && rng.chance(0.7)) return aggressive(legal, view, 0.1) ?? passive(legal);
    return passive(legal);
  },
};
