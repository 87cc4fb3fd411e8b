/**
 * Betting rules for no-limit (NT), pot-limit (PO) and fixed-limit (FT): what the player to act may do
 * and whether a requested action is legal. Pure functions of a HandState; applying the action is
 * hand.ts's job.
 *
 * Rules, chosen to match both the house rules and PokerKit (the oracle of the PHH corpus):
 * - The amount to call is the largest street bet; blinds count as bets, antes do not.
 * - The minimum raise increment is the largest full bet or raise increment of the street, at least
 *   the big blind (FT: exactly the street's bet size). A short all-in does not change it.
 * - A player who has already acted this street may raise again only if the bet they now face grew by
 *   at least a full raise since they acted; a short all-in alone does not reopen the betting. Short
 *   all-ins that add up to a full raise do reopen it (TDA rule 47). `config.shortAllInReopens` turns
 *   this rule off for PHH replay, because PokerKit (the corpus oracle) lets any raise reopen.
 * - A raise is pointless (so refused) when no other live player could put in more chips.
 * - An all-in for less than the minimum is always allowed; otherwise a bet or raise must be at least
 *   the minimum even if it puts every opponent all-in (the excess comes back as an uncalled bet).
 * - PL maximum "to" = current bet + pot after calling. FT caps voluntary bets+raises per street at
 *   `maxRaisesPerStreet` (default 4, blinds not counted, as PokerKit does).
 */
import { type Chips, ZERO, isMultipleOf, maxChips, minChips, sumChips, formatAmount } from '../money';
import {
  type HandConfig,
  type HandState,
  type LegalActions,
  type PlayerAction,
  type Rejection,
  type SeatState,
  type Street,
} from './types';

/** The default FT cap of voluntary bets and raises per street. */
export const DEFAULT_MAX_RAISES = 4;

/** A validated action, ready for hand.ts to apply. `add` is what leaves the stack. */
export interface ValidatedAction {
  ok: true;
  index: number;
  type: PlayerAction['type'];
  to: Chips;
  add: Chips;
  allIn: boolean;
}

/** The fixed-limit bet size of a street: small bet pre-flop and on the flop, big bet on turn and river. */
export function fixedBetSize(config: HandConfig, street: Street): Chips {
  const small = config.smallBet ?? config.bigBlind;
  const big = config.bigBet ?? small.mul(2);
  return street === 'turn' || street === 'river' ? big : small;
}

/** The smallest bet or raise increment on a street (before any raise made it larger). */
export function raiseFloor(config: HandConfig, street: Street): Chips {
  if (config.variant === 'FT') return fixedBetSize(config, street);
  return maxChips(config.minBet, config.bigBlind);
}

/** Every chip in the middle: all contributions, including the current street's bets. */
export function totalPot(state: HandState): Chips {
  return sumChips(state.seats.map((s) => s.contributed));
}

/** True when a seat can still put chips in: not folded and not all-in. */
export function canAct(seat: SeatState): boolean {
  return !seat.folded && seat.stack.gt(0);
}

/** Whether the player at `index` may bet or raise at all (ignoring the amount). */
function mayRaise(state: HandState, index: number): boolean {
  const seat = state.seats[index]!;
  const toCall = state.currentBet.minus(seat.streetBet);
  if (seat.stack.lte(toCall)) return false;
  if (state.config.variant === 'FT' && state.raiseCount >= (state.config.maxRaisesPerStreet ?? DEFAULT_MAX_RAISES)) {
    return false;
  }
  // Betting is reopened for a player who already acted only by a full raise since they acted.
  if (seat.acted && toCall.lt(state.minRaise) && !state.config.shortAllInReopens) return false;
  return state.seats.some((s, j) => j !== index && !s.folded && s.stack.plus(s.streetBet).gt(state.currentBet));
}

/** The bet/raise range (street totals) for the player at `index`, or undefined when they may not raise. */
export function raiseRange(state: HandState, index: number): { minTo: Chips; maxTo: Chips } | undefined {
  if (!mayRaise(state, index)) return undefined;
  const seat = state.seats[index]!;
  const allInTo = seat.stack.plus(seat.streetBet);
  const nominal = state.currentBet.isZero()
    ? raiseFloor(state.config, state.street)
    : state.currentBet.plus(state.minRaise);
  const minTo = minChips(nominal, allInTo);
  let maxTo: Chips;
  switch (state.config.variant) {
    case 'NT':
      maxTo = allInTo;
      break;
    case 'PO': {
      const potAfterCall = totalPot(state).plus(state.currentBet.minus(seat.streetBet));
      maxTo = minChips(allInTo, maxChips(minTo, state.currentBet.plus(potAfterCall)));
      break;
    }
    case 'FT':
      maxTo = minTo;
      break;
  }
  return { minTo, maxTo };
}

/** The options of the player to act, or undefined when nobody is to act. */
export function legalActions(state: HandState): LegalActions | undefined {
  const index = state.toAct;
  if (index === undefined || state.street === 'complete') return undefined;
  const seat = state.seats[index]!;
  const toCall = state.currentBet.minus(seat.streetBet);
  const range = raiseRange(state, index);
  const facingBet = state.currentBet.gt(0);
  return {
    seat: seat.seat,
    canFold: true,
    canCheck: toCall.isZero(),
    callAmount: minChips(toCall, seat.stack),
    canBet: range !== undefined && !facingBet,
    canRaise: range !== undefined && facingBet,
    ...(range ? { minTo: range.minTo, maxTo: range.maxTo } : {}),
  };
}

function reject(code: Rejection['code'], message: string): Rejection {
  return { ok: false, code, message };
}

/** Checks an action against the rules; the caller has already checked that it is this seat's turn. */
export function validateAction(state: HandState, index: number, action: PlayerAction): ValidatedAction | Rejection {
  const seat = state.seats[index]!;
  const toCall = state.currentBet.minus(seat.streetBet);
  const unit = state.config.unit;
  const base = { ok: true as const, index, type: action.type };
  if (action.type === 'fold' || action.type === 'check' || action.type === 'call') {
    if (action.to !== undefined) return reject('invalid_amount', `${action.type} takes no amount`);
    if (action.type === 'fold') return { ...base, to: seat.streetBet, add: ZERO, allIn: false };
    if (action.type === 'check') {
      if (!toCall.isZero()) return reject('illegal_action', `cannot check facing a bet of ${formatAmount(state.currentBet, unit)}`);
      return { ...base, to: seat.streetBet, add: ZERO, allIn: false };
    }
    if (toCall.isZero()) return reject('illegal_action', 'nothing to call; check instead');
    const add = minChips(toCall, seat.stack);
    return { ...base, to: seat.streetBet.plus(add), add, allIn: add.eq(seat.stack) };
  }
  if (action.type !== 'bet' && action.type !== 'raise') return reject('illegal_action', 'unknown action type');
  const facingBet = state.currentBet.gt(0);
  if (action.type === 'bet' && facingBet) return reject('illegal_action', 'there is already a bet; raise instead');
  if (action.type === 'raise' && !facingBet) return reject('illegal_action', 'there is no bet to raise; bet instead');
  const range = raiseRange(state, index);
  if (!range) return reject('illegal_action', `${action.type} is not allowed now`);
  const to = action.to;
  if (to === undefined || !to.isFinite() || to.lte(0)) return reject('invalid_amount', `${action.type} needs a positive "to" amount`);
  if (!isMultipleOf(to, unit)) return reject('invalid_amount', `${to.toString()} is not a multiple of the unit ${unit.toString()}`);
  if (to.lt(range.minTo) || to.gt(range.maxTo)) {
    const lo = formatAmount(range.minTo, unit);
    const hi = formatAmount(range.maxTo, unit);
    return reject('invalid_amount', `${action.type} to ${formatAmount(to, unit)} is outside ${lo}..${hi}`);
  }
  const add = to.minus(seat.streetBet);
  return { ...base, to, add, allIn: add.eq(seat.stack) };
}
