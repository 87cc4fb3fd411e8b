/** A random player: any legal action, sized anywhere in the legal range, but never folds when checking is free. */
import { aggressive, passive, type Decision, type DecisionInput, type Strategy } from './types';

/** Chooses uniformly among the legal actions (bets mostly small, sometimes all-in). */
export const randomStrategy: Strategy = {
  name: 'random',
  decide({ legal, view, rng }: DecisionInput): Decision {
    const choices = legal.actions.filter((a) => !(a === 'fold' && legal.actions.includes('check')));
    if (choices.length === 0) return passive(legal);
    const action = rng.pick(choices);
    if (action === 'bet' || action === 'raise') {
      // Mostly near the minimum so hands last a few streets; now and then the maximum (an all-in in no-limit).
      const fraction = rng.chance(0.1) ? 1 : rng.next() * 0.25;
      return aggressive(legal, view, fraction) ?? passive(legal);
    }
    return { action };
  },
};
