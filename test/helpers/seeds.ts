/**
 * Deck seeds for tests that need a particular deal. Cards cannot be chosen through the protocol, so
 * these search the pure engine for a committed seed with the wanted outcome; the test then pins the
 * server's seed source to it (startTestServer's `randomSeed` option).
 */
import { createHash } from 'node:crypto';
import { chips } from '../../shared/money';
import { apply, isComplete, legalActions, result, start } from '../../shared/engine/hand';
import { shuffle } from '../../shared/engine/shuffle';
import type { HandConfig } from '../../shared/engine/types';

/** Heads-up NLHE at 0.05/0.10 in units of 0.01, no rake: the configuration the split seeds are searched under. */
export const HEADS_UP_CONFIG: HandConfig = {
  variant: 'NT', unit: chips('0.01'), smallBlind: chips('0.05'), bigBlind: chips('0.10'), ante: chips(0),
  minBet: chips('0.10'), rakePercent: chips(0), rakeCap: chips(0),
};

/** The first seed (derived from `label`) whose heads-up check-down with the button at seat 0 ends in a two-way split. */
export function findSplitSeed(label: string, config: HandConfig = HEADS_UP_CONFIG): Uint8Array {
  for (let i = 0; i < 10_000; i++) {
    const seed = createHash('sha256').update(`${label}-${i}`).digest();
    let state = start(config, [{ seat: 0, stack: chips('10.00') }, { seat: 1, stack: chips('10.00') }], 0, shuffle(seed));
    while (!isComplete(state)) {
      const legal = legalActions(state)!;
      const next = apply(state, { seat: legal.seat, type: legal.canCheck ? 'check' : 'call' });
      if (!next.ok) throw new Error(next.message);
      state = next.state;
    }
    if (result(state).pots[0]!.winners.length === 2) return seed;
  }
  throw new Error('no split seed found');
}

/** True when everyone shoving (or calling a shove) from `stacks` with the button at `button` ends in two pots, each won by a different single player. */
function shoveSplitsPots(config: HandConfig, seed: Uint8Array, stacks: Array<{ seat: number; stack: string }>, button: number): boolean {
  let state = start(config, stacks.map((s) => ({ seat: s.seat, stack: chips(s.stack) })), button, shuffle(seed));
  while (!isComplete(state)) {
    const legal = legalActions(state)!;
    const shove = legal.canRaise ? 'raise' : legal.canBet ? 'bet' : undefined;
    const next = apply(state, shove && legal.maxTo ? { seat: legal.seat, type: shove, to: legal.maxTo } : { seat: legal.seat, type: legal.canCheck ? 'check' : 'call' });
    if (!next.ok) throw new Error(next.message);
    state = next.state;
  }
  const pots = result(state).pots;
  // One winner per pot, a different one for each: the clearest picture of a side pot.
  const winners = pots.map((p) => (p.winners.length === 1 ? p.winners[0]!.seat : -1));
  return pots.length === 2 && !winners.includes(-1) && winners[0] !== winners[1];
}

/**
 * The first seed (derived from `label`) whose all-in from `stacks` with the button at `button` ends
 * with a main pot and a side pot, each won outright by a different player. (One seed cannot do this
 * for every button: moving the button only hands the same hole cards to other seats.)
 */
export function findSidePotSeed(label: string, stacks: Array<{ seat: number; stack: string }>, button: number, config: HandConfig = HEADS_UP_CONFIG): Uint8Array {
  for (let i = 0; i < 20_000; i++) {
    const seed = createHash('sha256').update(`${label}-${i}`).digest();
    if (shoveSplitsPots(config, seed, stacks, button)) return seed;
  }
  throw new Error('no side-pot seed found');
}
