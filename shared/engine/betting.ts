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
import * as moneyModule from '../money';
import { type Chips } from '../money';
import * as draftModule from './draft';
import * as fastMoney from './fast-money';
import { type UnitInfo } from './fast-money';
import {
  type HandConfig,
  type HandState,
  type LegalActions,
  type PlayerAction,
  type Rejection,
  type SeatState,
  type Street,
} from './types';

// Values used on every step are bound to local names once: tsx/esbuild (dev server, benches) and swc
// (jest) compile each use of a named import into a getter call, which showed up in profiles here.
const { ZERO } = moneyModule;
const { Snapshot } = draftModule;
const { eq, formatUnits, gt, gte, isMultipleOfUnit, isPositive, lt, lte, min, minus, max, plus, unitInfoOf } = fastMoney;

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

/** A bet/raise range in street totals. */
export interface RaiseRange {
  readonly minTo: Chips;
  readonly maxTo: Chips;
}

/**
 * What the rules say about one player's turn in one state. legalActions and apply both need it, so an
 * engine Snapshot computes it once (see Snapshot.turn).
 */
export interface TurnInfo {
  readonly index: number;
  /** currentBet - streetBet. */
  readonly toCall: Chips;
  /** min(toCall, stack). */
  readonly callAmount: Chips;
  readonly range: RaiseRange | undefined;
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
  return max(config.minBet, config.bigBlind);
}

/** Every chip in the middle: all contributions, including the current street's bets. */
export function totalPot(state: HandState): Chips {
  let total: Chips = ZERO;
  for (const s of state.seats) total = plus(total, s.contributed);
  return total;
}

/** True when a seat can still put chips in: not folded and not all-in. */
export function canAct(seat: SeatState): boolean {
  return !seat.folded && isPositive(seat.stack);
}

/** Whether the player at `index` may bet or raise at all (ignoring the amount). */
function mayRaise(state: HandState, index: number, toCall: Chips): boolean {
  const seat = state.seats[index]!;
  if (lte(seat.stack, toCall)) return false;
  if (state.config.variant === 'FT' && state.raiseCount >= (state.config.maxRaisesPerStreet ?? DEFAULT_MAX_RAISES)) {
    return false;
  }
  // Betting is reopened for a player who already acted only by a full raise since they acted.
  if (seat.acted && lt(toCall, state.minRaise) && !state.config.shortAllInReopens) return false;
  // Someone else live could still put in more than the current bet: stack + streetBet > currentBet.
  // Stacks and street bets are never negative, so either shortcut below implies the sum test.
  const seats = state.seats;
  const bet = state.currentBet;
  for (let j = 0; j < seats.length; j++) {
    const s = seats[j]!;
    if (j === index || s.folded) continue;
    if (gt(s.stack, bet) || (isPositive(s.stack) && gte(s.streetBet, bet))) return true;
    if (gt(plus(s.stack, s.streetBet), bet)) return true;
  }
  return false;
}

function computeRange(state: HandState, index: number, toCall: Chips): RaiseRange | undefined {
  if (!mayRaise(state, index, toCall)) return undefined;
  const seat = state.seats[index]!;
  const allInTo = plus(seat.stack, seat.streetBet);
  const nominal = state.currentBet.isZero()
    ? raiseFloor(state.config, state.street)
    : plus(state.currentBet, state.minRaise);
  const minTo = min(nominal, allInTo);
  let maxTo: Chips;
  switch (state.config.variant) {
    case 'NT':
      maxTo = allInTo;
      break;
    case 'PO': {
      const potAfterCall = plus(totalPot(state), toCall);
      maxTo = min(allInTo, max(minTo, plus(state.currentBet, potAfterCall)));
      break;
    }
    case 'FT':
      maxTo = minTo;
      break;
  }
  return { minTo, maxTo };
}

function computeTurn(state: HandState, index: number): TurnInfo {
  const seat = state.seats[index]!;
  const toCall = minus(state.currentBet, seat.streetBet);
  return { index, toCall, callAmount: min(toCall, seat.stack), range: computeRange(state, index, toCall) };
}

/** The turn facts for `index`: cached on the state when it is the player to act. */
function turnOf(state: HandState, index: number): TurnInfo {
  if (index !== state.toAct) return computeTurn(state, index);
  return Snapshot.turn(state, (s) => computeTurn(s, index));
}

function unitOf(state: HandState): UnitInfo {
  return state instanceof Snapshot ? Snapshot.unit(state) : unitInfoOf(state.config.unit);
}

/** The options of the player to act, or undefined when nobody is to act. */
export function legalActions(state: HandState): LegalActions | undefined {
  const index = state.toAct;
  if (index === undefined || state.street === 'complete') return undefined;
  const seat = state.seats[index]!;
  const t = turnOf(state, index);
  const range = t.range;
  const facingBet = isPositive(state.currentBet);
  const canCheck = t.toCall.isZero();
  if (!range) {
    return { seat: seat.seat, canFold: true, canCheck, callAmount: t.callAmount, canBet: false, canRaise: false };
  }
  return {
    seat: seat.seat, canFold: true, canCheck, callAmount: t.callAmount, canBet: !facingBet, canRaise: facingBet,
    minTo: range.minTo, maxTo: range.maxTo,
  };
}

function reject(code: Rejection['code'], message: string): Rejection {
  return { ok: false, code, message };
}

function accept(index: number, type: PlayerAction['type'], to: Chips, add: Chips, allIn: boolean): ValidatedAction {
  return { ok: true, index, type, to, add, allIn };
}

/** Checks an action against the rules; the caller has already checked that it is this seat's turn. */
export function validateAction(state: HandState, index: number, action: PlayerAction): ValidatedAction | Rejection {
  const seat = state.seats[index]!;
  const t = turnOf(state, index);
  const toCall = t.toCall;
  const unit = unitOf(state);
  const type = action.type;
  if (type === 'fold' || type === 'check' || type === 'call') {
    if (action.to !== undefined) return reject('invalid_amount', `${type} takes no amount`);
    if (type === 'fold') return accept(index, type, seat.streetBet, ZERO, false);
    if (type === 'check') {
      if (!toCall.isZero()) return reject('illegal_action', `cannot check facing a bet of ${formatUnits(state.currentBet, unit)}`);
      return accept(index, type, seat.streetBet, ZERO, false);
    }
    if (toCall.isZero()) return reject('illegal_action', 'nothing to call; check instead');
    const add = t.callAmount;
    return accept(index, type, plus(seat.streetBet, add), add, eq(add, seat.stack));
  }
  if (type !== 'bet' && type !== 'raise') return reject('illegal_action', 'unknown action type');
  const facingBet = isPositive(state.currentBet);
  if (type === 'bet' && facingBet) return reject('illegal_action', 'there is already a bet; raise instead');
  if (type === 'raise' && !facingBet) return reject('illegal_action', 'there is no bet to raise; bet instead');
  const range = t.range;
  if (!range) return reject('illegal_action', `${type} is not allowed now`);
  const to = action.to;
  if (to === undefined || !to.isFinite() || lte(to, ZERO)) return reject('invalid_amount', `${type} needs a positive "to" amount`);
  if (!isMultipleOfUnit(to, unit)) return reject('invalid_amount', `${to.toString()} is not a multiple of the unit ${unit.unit.toString()}`);
  if (lt(to, range.minTo) || gt(to, range.maxTo)) {
    const lo = formatUnits(range.minTo, unit);
    const hi = formatUnits(range.maxTo, unit);
    return reject('invalid_amount', `${type} to ${formatUnits(to, unit)} is outside ${lo}..${hi}`);
  }
  const add = minus(to, seat.streetBet);
  return accept(index, type, to, add, eq(add, seat.stack));
}
