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
import * as fastMoney from './fast-money';
import { type Pot, buildPots, computeRake, contestedPots, potWinners, rakeByPot, splitPot } from './pots';
import { type HandConfig, type HandResult, type PotResult, type ShowdownEntry } from './types';

// Bound once: tsx/esbuild and swc compile each use of a named import into a getter call (see hand.ts).
const { eq, formatUnits, isPositive, minus, plus } = fastMoney;

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
    const shares = splitPot(minus(pot.amount, rakes[k]!), winners, unit);
    for (const w of shares) {
      payouts[w.index] = plus(payouts[w.index]!, w.amount);
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
  if (isPositive(rake)) d.newEvents.push({ type: 'rake', amount: formatUnits(rake, d.unit) });
  potResults.forEach((p, k) => {
    for (const w of p.winners) d.newEvents.push({ type: 'award', seat: w.seat, pot: k, amount: formatUnits(w.amount, d.unit) });
  });
  const handResult = buildResult(d, potResults, rake, payouts, showdown, total);
  d.handResult = handResult;
  for (let i = 0; i < d.seats.length; i++) {
    const s = writable(d, i);
    // The final stack buildResult worked out (and checked): stack + payout.
    s.stack = handResult.finalStacks[s.seat]!;
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
  const payoutsBySeat: Record<number, Chips> = {};
  const netBySeat: Record<number, Chips> = {};
  const finalStacks: Record<number, Chips> = {};
  let paid: Chips = ZERO;
  let net: Chips = ZERO;
  let start: Chips = ZERO;
  let final: Chips = ZERO;
  for (let i = 0; i < d.seats.length; i++) {
    const s = d.seats[i]!;
    const payout = payouts[i]!;
    const stack = plus(s.stack, payout);
    finalStacks[s.seat] = stack;
    netBySeat[s.seat] = minus(stack, s.startingStack);
    payoutsBySeat[s.seat] = payout;
    paid = plus(paid, payout);
    net = plus(net, netBySeat[s.seat]!);
    start = plus(start, s.startingStack);
    final = plus(final, stack);
  }
  if (!eq(plus(paid, rake), total)) throw new Error('settle: payouts + rake != pot');
  if (!plus(net, rake).isZero()) throw new Error('settle: net + rake != 0');
  if (!eq(plus(final, rake), start)) throw new Error('settle: final stacks + rake != starting stacks');
  return {
    pots,
    rake,
    uncalledReturns: d.uncalledReturns.map((u) => ({ ...u })),
    payouts: payoutsBySeat,
    netBySeat,
    finalStacks,
    board: [...d.board],
    showdown,
    wentToShowdown: showdown.length > 0,
    sawFlop: d.board.length >= 3,
  };
}
