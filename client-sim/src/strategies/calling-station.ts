/** A calling station: never folds and never raises; checks when it can, calls otherwise. */
import { passive, type Decision, type DecisionInput, type Strategy } from './types';

/** Checks or calls, whatever the cards. */
export const callingStationStrategy: Strategy = {
  name: 'calling-station',
  decide({ legal }: DecisionInput): Decision {
    return passive(legal);
  },
};
