/** What every bot strategy sees and answers: only the legal actions and the bot's own view of the table. */
import type { ActionType, LegalActionsView, TableView } from '../../../shared/protocol';
import { Money, formatAmount, type Chips } from '../../../shared/money';
import type { Rng } from '../rng';

/** A strategy's answer; `amount` is the total "to" for bet and raise, as a decimal string. */
export interface Decision {
  action: ActionType;
  amount?: string;
}

/** The input to a decision. */
export interface DecisionInput {
  legal: LegalActionsView;
  view: TableView;
  holeCards: readonly string[];
  rng: Rng;
}

/** A playing style. */
export interface Strategy {
  readonly name: string;
  decide(input: DecisionInput): Decision;
}

/** The table unit of a view, as chips. */
export function unitOf(view: TableView): Chips {
  return new Money(view.config.unit);
}

/** A "to" amount between minTo and maxTo (inclusive) at `fraction` of the way, floored to the unit. */
export function amountBetween(legal: LegalActionsView, unit: Chips, fraction: number): string | null {
  if (legal.minTo === null || legal.maxTo === null) return null;
  const min = new Money(legal.minTo);
  const max = new Money(legal.maxTo);
  if (max.lte(min)) return formatAmount(min, unit);
  // The fraction only chooses a whole number of units; the amount itself is computed in decimals.
  const steps = max.minus(min).div(unit).floor();
  const k = steps.mul(Math.min(1, Math.max(0, fraction))).floor();
  return formatAmount(min.plus(k.mul(unit)), unit);
}

/** Check when free, else call, else fold: the safe fallback every strategy can use. */
export function passive(legal: LegalActionsView): Decision {
  if (legal.actions.includes('check')) return { action: 'check' };
  if (legal.actions.includes('call')) return { action: 'call' };
  return { action: 'fold' };
}

/** A bet or raise to `fraction` of the range, if either is legal; otherwise null. */
export function aggressive(legal: LegalActionsView, view: TableView, fraction: number): Decision | null {
  const action = legal.actions.includes('raise') ? 'raise' : legal.actions.includes('bet') ? 'bet' : null;
  if (!action) return null;
  const amount = amountBetween(legal, unitOf(view), fraction);
  return amount === null ? null : { action, amount };
}
