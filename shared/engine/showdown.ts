/**
 * Settlement of a finished hand: pots, rake, awards, final stacks and the showdown with auto-muck.
 *
 * Auto-muck: players reveal in order starting with the last aggressor of the final betting round (or,
 * without one, the first live player left of the button) and going clockwise. A hand is shown if the
 * player is all-in, if it wins or ties any pot, or if it beats or ties the best hand shown so far;
 * otherwise it is mucked (`shown: false`) and its cards must never be revealed to anyone.
 */
import { type Chips, ZERO, sumChips } from '../money';
import { type Card, formatCards } from './cards';
import { describeHand, evaluate, evaluateOmaha } from './evaluator';
import { type Draft, orderFromButton, writable } from './draft';
import { formatUnits } from './fast-money';
import { type Pot, buildPots, computeRake, contestedPots, potWinners, rakeByPot, splitPot } from './pots';
import { type HandConfig, type HandResult, type PotResult, type ShowdownEntry } from './types';

/** The value of a player's best hand: best five of seven for hold'em, exactly two hole + three board for Omaha. */
export function handValue(config: HandConfig, hole: readonly Card[], board: readonly Card[]): number {
  return config.variant === 'PO' ? evaluateOmaha(hole, board) : evaluate([...hole, ...board]);
}

/** Settles a hand that everyone but one player folded: no showdown, no cards revealed. */
export function settleUncontested(d: Draft): void {
  settle(d, d.seats.map(() => undefined), []);
}

/** Settles a hand at showdown: evaluates every live hand, awards the pots and decides who shows. */
export function settleShowdown(d: Draft): void {
  const values = d.seats.map((s) => (s.folded ? undefined : handValue(d.config, s.hole, d.board)));
  const order = orderFromButton(d);
  const live = order.filter((i) => !d.seats[i]!.folded);
  const aggressor = d.lastAggressor !== undefined && !d.seats[d.lastAggressor]!.folded ? d.lastAggressor : live[0]!;
  const startAt = live.indexOf(aggressor);
  const revealOrder = [...live.slice(startAt), ...live.slice(0, startAt)];
  settle(d, values, revealOrder);
}

function settle(d: Draft, values: (number | undefined)[], revealOrder: number[]): void {
  const unit = d.config.unit;
  const order = orderFromButton(d);
  const pots: Pot[] = contestedPots(buildPots(d.seats.map((s) => ({ amount: s.contributed, folded: s.folded }))), values, order);
  const total = sumChips(pots.map((p) => p.amount));
  const sawFlop = d.board.length >= 3;
  const rake = computeRake(total, d.config, sawFlop);
  const rakes = rakeByPot(pots, rake);
  const payouts: Chips[] = d.seats.map(() => ZERO);
  const winsSomething = new Set<number>();
  const potResults: PotResult[] = pots.map((pot, k) => {
    const winners = potWinners(pot, values, order);
    const shares = splitPot(pot.amount.minus(rakes[k]!), winners, unit);
    for (const w of shares) {
      payouts[w.index] = payouts[w.index]!.plus(w.amount);
      winsSomething.add(w.index);
    }
    return {
      amount: pot.amount,
      rake: rakes[k]!,
      eligibleSeats: pot.eligible.map((i) => d.seats[i]!.seat),
      winners: shares.map((w) => ({ seat: d.seats[w.index]!.seat, amount: w.amount })),
    };
  });
  const showdown = decideShown(d, values, revealOrder, winsSomething);
  for (const e of showdown) {
    d.newEvents.push(
      e.shown
        ? { type: 'showdown', seat: e.seat, shown: true, cards: formatCards(e.cards), description: e.description }
        : { type: 'showdown', seat: e.seat, shown: false },
    );
  }
  if (rake.gt(0)) d.newEvents.push({ type: 'rake', amount: formatUnits(rake, d.unit) });
  potResults.forEach((p, k) => {
    for (const w of p.winners) d.newEvents.push({ type: 'award', seat: w.seat, pot: k, amount: formatUnits(w.amount, d.unit) });
  });
  d.handResult = buildResult(d, potResults, rake, payouts, showdown, total);
  for (let i = 0; i < d.seats.length; i++) {
    const s = writable(d, i);
    s.stack = s.stack.plus(payouts[i]!);
    s.streetBet = ZERO;
    s.pending = false;
  }
  d.street = 'complete';
  d.toAct = undefined;
}

function decideShown(d: Draft, values: (number | undefined)[], revealOrder: number[], winners: Set<number>): ShowdownEntry[] {
  let best = -Infinity;
  return revealOrder.map((i) => {
    const s = d.seats[i]!;
    const value = values[i]!;
    const shown = s.stack.isZero() || winners.has(i) || value >= best;
    if (shown && value > best) best = value;
    return { seat: s.seat, cards: [...s.hole], value, description: describeHand(value), shown };
  });
}

function buildResult(
  d: Draft, pots: PotResult[], rake: Chips, payouts: Chips[], showdown: ShowdownEntry[], total: Chips,
): HandResult {
  const bySeat = (f: (i: number) => Chips): Record<number, Chips> =>
    Object.fromEntries(d.seats.map((s, i) => [s.seat, f(i)]));
  const finalStacks = bySeat((i) => d.seats[i]!.stack.plus(payouts[i]!));
  const netBySeat = bySeat((i) => finalStacks[d.seats[i]!.seat]!.minus(d.seats[i]!.startingStack));
  const paid = sumChips(payouts);
  if (!paid.plus(rake).eq(total)) throw new Error('settle: payouts + rake != pot');
  if (!sumChips(Object.values(netBySeat)).plus(rake).isZero()) throw new Error('settle: net + rake != 0');
  const start = sumChips(d.seats.map((s) => s.startingStack));
  if (!sumChips(Object.values(finalStacks)).plus(rake).eq(start)) throw new Error('settle: final stacks + rake != starting stacks');
  return {
    pots,
    rake,
    uncalledReturns: d.uncalledReturns.map((u) => ({ ...u })),
    payouts: bySeat((i) => payouts[i]!),
    netBySeat,
    finalStacks,
    board: [...d.board],
    showdown,
    wentToShowdown: showdown.length > 0,
    sawFlop: d.board.length >= 3,
  };
}
