/**
 * Pots, uncalled bets, rake and split awards. Pure functions over contributions; players are
 * identified by their index in the hand's seat list.
 *
 * Rules:
 * - The uncalled part of the largest street bet (largest minus second largest, folded players
 *   included) goes back to its bettor before pots are built; it is never raked.
 * - Pots are layered by contribution level. Folded players' chips stay in the layers they reached but
 *   they are not eligible. Adjacent layers with the same eligible players are merged. A layer nobody
 *   live reached (only possible when a folded player put in more than every live player) is merged
 *   into the pot below it.
 * - Rake = min(cap if > 0, round-half-up(total * percent / 100) to the unit), only if the flop was
 *   dealt. It is taken from the main pot first, then the side pots in order.
 * - Before awarding, live players who cannot win any pot are dropped from contention and adjacent pots
 *   left with the same contenders are combined (as PokerKit does when it kills losing hands). This
 *   changes nothing but the odd units: it avoids splitting two pots separately between the same
 *   winners, which would hand out more odd units than one combined split.
 * - A split pot gives each winner floor(pot / n) in units; the leftover units go one each to the
 *   winners in seat order starting left of the button.
 */
import * as moneyModule from '../money';
import { type Chips, roundHalfUpToUnit, splitEvenly } from '../money';
import * as fastMoney from './fast-money';
import { type HandConfig } from './types';

// Values used on every step are bound to local names once: tsx/esbuild (dev server, benches) and swc
// (jest) compile each use of a named import into a getter call, which showed up in profiles here.
const { ZERO } = moneyModule;
const { cmp, eq, gt, gte, isMultipleOfUnit, isPositive, lte, min, plus, unitInfoOf } = fastMoney;

/** A pot: amount and the indices of the players who may win it. */
export interface Pot {
  amount: Chips;
  eligible: number[];
}

/** One player's contribution to the hand. */
export interface Contribution {
  amount: Chips;
  folded: boolean;
}

/** The uncalled part of the largest street bet, or undefined when the largest bet was matched. */
export function uncalledBet(streetBets: readonly Chips[]): { index: number; amount: Chips } | undefined {
  if (streetBets.length < 2) return undefined;
  let top = -1;
  for (let i = 0; i < streetBets.length; i++) {
    if (top < 0 || gt(streetBets[i]!, streetBets[top]!)) top = i;
  }
  let second: Chips = ZERO;
  for (let i = 0; i < streetBets.length; i++) {
    if (i !== top && gt(streetBets[i]!, second)) second = streetBets[i]!;
  }
  // Usually the top bet was matched: no subtraction needed to know that nothing comes back.
  if (!gt(streetBets[top]!, second)) return undefined;
  const amount = streetBets[top]!.minus(second);
  return isPositive(amount) ? { index: top, amount } : undefined;
}

/**
 * The usual ending: every live player put in the same, largest amount. Every layer then has the same
 * eligible players (all live ones), so the layers merge into one pot holding every chip; undefined
 * otherwise.
 */
function singlePot(contributions: readonly Contribution[]): Pot[] | undefined {
  let top: Chips | undefined;
  let total: Chips = ZERO;
  for (const c of contributions) {
    if (top === undefined || gt(c.amount, top)) top = c.amount;
    total = plus(total, c.amount);
  }
  if (!top || !isPositive(top)) return undefined;
  const eligible: number[] = [];
  for (let i = 0; i < contributions.length; i++) {
    const c = contributions[i]!;
    if (c.folded) continue;
    if (!eq(c.amount, top)) return undefined;
    eligible.push(i);
  }
  return eligible.length > 0 ? [{ amount: total, eligible }] : undefined;
}

/** Main and side pots from each player's total contribution (after uncalled bets were returned). */
export function buildPots(contributions: readonly Contribution[]): Pot[] {
  const single = singlePot(contributions);
  if (single) return single;
  const sorted: Chips[] = [];
  for (const c of contributions) if (isPositive(c.amount)) sorted.push(c.amount);
  sorted.sort(cmp);
  const levels: Chips[] = [];
  for (const a of sorted) if (levels.length === 0 || !eq(levels[levels.length - 1]!, a)) levels.push(a);
  const pots: Pot[] = [];
  let previous: Chips = ZERO;
  for (const level of levels) {
    let amount: Chips = ZERO;
    const eligible: number[] = [];
    for (let i = 0; i < contributions.length; i++) {
      const c = contributions[i]!;
      // Only a contribution above the previous level has a part in this one.
      if (gt(c.amount, previous)) {
        const part = min(c.amount, level).minus(previous);
        if (isPositive(part)) amount = plus(amount, part);
      }
      if (!c.folded && gte(c.amount, level)) eligible.push(i);
    }
    previous = level;
    const last = pots[pots.length - 1];
    if (last && (eligible.length === 0 || sameMembers(last.eligible, eligible))) {
      last.amount = last.amount.plus(amount);
    } else if (eligible.length === 0) {
      throw new Error('buildPots: a pot with no eligible player and no pot below it');
    } else {
      pots.push({ amount, eligible });
    }
  }
  let total: Chips = ZERO;
  for (const c of contributions) total = plus(total, c.amount);
  let potted: Chips = ZERO;
  for (const p of pots) potted = plus(potted, p.amount);
  if (!eq(potted, total)) throw new Error('buildPots: pots do not add up to contributions');
  return pots;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The rake of a hand: percent of the total pot, rounded half up to the unit, capped, and zero without a flop. */
export function computeRake(total: Chips, config: Pick<HandConfig, 'rakePercent' | 'rakeCap' | 'unit'>, sawFlop: boolean): Chips {
  if (!sawFlop || lte(config.rakePercent, ZERO)) return ZERO;
  const raw = roundHalfUpToUnit(total.mul(config.rakePercent).div(100), config.unit);
  const capped = isPositive(config.rakeCap) ? min(raw, config.rakeCap) : raw;
  return min(capped, total);
}

/** Splits the rake across pots, main pot first; returns the rake taken from each pot. */
export function rakeByPot(pots: readonly Pot[], rake: Chips): Chips[] {
  let left = rake;
  const out = pots.map((p) => {
    const take = min(left, p.amount);
    left = left.minus(take);
    return take;
  });
  if (!left.isZero()) throw new Error('rakeByPot: rake exceeds the pots');
  return out;
}

/**
 * Splits `amount` among `winners`, which must already be in award order (seat order starting left of
 * the button). Returns each winner's share; the shares add up to `amount` exactly.
 */
export function splitPot(amount: Chips, winners: readonly number[], unit: Chips): { index: number; amount: Chips }[] {
  if (winners.length === 0) throw new Error('splitPot: no winners');
  if (winners.length === 1) {
    // One winner takes the pot as it is; splitEvenly would only check that it is a whole number of units.
    if (!isMultipleOfUnit(amount, unitInfoOf(unit))) throw new Error(`amount ${amount.toString()} is not a multiple of unit ${unit.toString()}`);
    return [{ index: winners[0]!, amount }];
  }
  const { share, leftoverUnits } = splitEvenly(amount, winners.length, unit);
  const out = winners.map((index, k) => ({ index, amount: k < leftoverUnits ? share.plus(unit) : share }));
  let paid: Chips = ZERO;
  for (const w of out) paid = paid.plus(w.amount);
  if (!eq(paid, amount)) throw new Error('splitPot: shares do not add up');
  return out;
}

/**
 * The winners of a pot: the eligible players with the best hand value, in award order. `order` lists
 * every player index starting left of the button; `values` holds each live player's hand value.
 */
export function potWinners(pot: Pot, values: readonly (number | undefined)[], order: readonly number[]): number[] {
  if (pot.eligible.length === 1) return [...pot.eligible];
  let best = -Infinity;
  for (const i of pot.eligible) {
    const v = values[i];
    if (v === undefined) throw new Error(`potWinners: no hand value for player ${i}`);
    if (v > best) best = v;
  }
  return order.filter((i) => pot.eligible.includes(i) && values[i] === best);
}

/**
 * Drops live players who win no pot from every pot's contenders, then combines adjacent pots left with
 * the same contenders. Amounts are unchanged in total; only how odd units fall can differ.
 */
export function contestedPots(pots: readonly Pot[], values: readonly (number | undefined)[], order: readonly number[]): Pot[] {
  const canWin = new Set(pots.flatMap((p) => potWinners(p, values, order)));
  const out: Pot[] = [];
  for (const pot of pots) {
    const eligible = pot.eligible.filter((i) => canWin.has(i));
    const last = out[out.length - 1];
    if (last && sameMembers(last.eligible, eligible)) last.amount = last.amount.plus(pot.amount);
    else out.push({ amount: pot.amount, eligible });
  }
  return out;
}
