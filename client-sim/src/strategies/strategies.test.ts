import type { LegalActionsView, TableView } from '../../../shared/protocol';
import { Money } from '../../../shared/money';
import { createRng, type Rng } from '../rng';
import { callingStationStrategy } from './calling-station';
import { drawMixed } from './mixed';
import { randomStrategy } from './random';
import { isStrongStart, tightStrategy } from './tight';
import { amountBetween, type Strategy } from './types';
import { strategyFor } from './index';

function view(unit: string, street: TableView['street'] = 'preflop'): TableView {
  return {
    tableId: 't', name: 'n', phase: 'hand', handId: 'h', handNumber: 1, seq: 1, button: 0, street, board: [], pots: [], seats: [],
    turn: { seat: 0, deadline: 0, number: 1, timeBank: false }, commitment: null, you: null,
    config: { variant: 'NT', maxSeats: 6, smallBlind: '1', bigBlind: '2', ante: '0', minBuyIn: '40', maxBuyIn: '200', unit, rakePercent: '5', rakeCap: '3', actionTimeoutMs: 1000, timeBankMs: 0 },
  };
}

/** A random but internally consistent set of legal actions. */
function randomLegal(rng: Rng, unit: string): LegalActionsView {
  const u = new Money(unit);
  const facingBet = rng.chance(0.5);
  const canRaise = rng.chance(0.7);
  const minTo = u.mul(2 + rng.int(20));
  const maxTo = minTo.plus(u.mul(rng.int(500)));
  const actions: LegalActionsView['actions'] = ['fold'];
  actions.push(facingBet ? 'call' : 'check');
  if (canRaise) actions.push(facingBet ? 'raise' : 'bet');
  return { actions, callAmount: facingBet ? u.mul(2).toFixed() : '0', minTo: canRaise ? minTo.toFixed() : null, maxTo: canRaise ? maxTo.toFixed() : null };
}

const ALL: Strategy[] = [randomStrategy, tightStrategy, callingStationStrategy];
const HANDS = [['As', 'Ad'], ['7c', '2d'], ['Kh', 'Qh'], ['9s', '8s', '7d', '2c'], ['Ah', 'Kd', '3c', '3d']];

describe('strategies', () => {
  it.each(ALL.map((s) => [s.name, s] as const))('%s only ever answers with a legal action and a legal amount', (_name, strategy) => {
    const rng = createRng(7);
    for (let i = 0; i < 2_000; i++) {
      const unit = rng.pick(['1', '0.01', '0.05']);
      const legal = randomLegal(rng, unit);
      const d = strategy.decide({ legal, view: view(unit, rng.pick(['preflop', 'flop', 'river'] as const)), holeCards: rng.pick(HANDS), rng });
      expect(legal.actions).toContain(d.action);
      if (d.action === 'bet' || d.action === 'raise') {
        const amount = new Money(d.amount!);
        expect(amount.gte(legal.minTo!)).toBe(true);
        expect(amount.lte(legal.maxTo!)).toBe(true);
        expect(amount.mod(unit).isZero()).toBe(true);
      } else {
        expect(d.amount).toBeUndefined();
      }
    }
  });

  it('random never folds when checking is free', () => {
    const rng = createRng(3);
    const legal: LegalActionsView = { actions: ['fold', 'check', 'bet'], callAmount: '0', minTo: '2', maxTo: '100' };
    for (let i = 0; i < 500; i++) expect(randomStrategy.decide({ legal, view: view('1'), holeCards: [], rng }).action).not.toBe('fold');
  });

  it('calling station checks or calls, never folds or raises', () => {
    const rng = createRng(4);
    expect(callingStationStrategy.decide({ legal: { actions: ['fold', 'call', 'raise'], callAmount: '2', minTo: '4', maxTo: '9' }, view: view('1'), holeCards: [], rng })).toEqual({ action: 'call' });
    expect(callingStationStrategy.decide({ legal: { actions: ['fold', 'check', 'bet'], callAmount: '0', minTo: '2', maxTo: '9' }, view: view('1'), holeCards: [], rng })).toEqual({ action: 'check' });
  });

  it('tight folds weak cards to a bet and plays pairs and high cards', () => {
    const rng = createRng(5);
    const facing: LegalActionsView = { actions: ['fold', 'call', 'raise'], callAmount: '2', minTo: '4', maxTo: '100' };
    expect(tightStrategy.decide({ legal: facing, view: view('1'), holeCards: ['7c', '2d'], rng }).action).toBe('fold');
    expect(isStrongStart(['As', 'Ad'])).toBe(true);
    expect(isStrongStart(['Kh', 'Th'])).toBe(true);
    expect(isStrongStart(['Kh', '9h'])).toBe(false);
    expect(isStrongStart(['9s', '8s', '7d', '7c'])).toBe(true);
    const strong = Array.from({ length: 50 }, () => tightStrategy.decide({ legal: facing, view: view('1'), holeCards: ['As', 'Ad'], rng }).action);
    expect(strong).not.toContain('fold');
    expect(strong).toContain('raise');
  });

  it('amountBetween stays on the unit grid between minTo and maxTo', () => {
    const legal: LegalActionsView = { actions: ['raise'], callAmount: '1', minTo: '2.00', maxTo: '10.05' };
    expect(amountBetween(legal, new Money('0.05'), 0)).toBe('2.00');
    expect(amountBetween(legal, new Money('0.05'), 1)).toBe('10.05');
    expect(amountBetween(legal, new Money('0.05'), 0.5)).toBe('6.00');
    expect(amountBetween({ ...legal, minTo: null }, new Money('0.05'), 0.5)).toBeNull();
  });

  it('mixed draws every style, reproducibly from the seed', () => {
    const names = (seed: number) => Array.from({ length: 40 }, (_, i) => drawMixed(createRng(seed).fork(`b${i}`)).name);
    expect(names(9)).toEqual(names(9));
    expect(new Set(names(9))).toEqual(new Set(['random', 'tight', 'calling-station']));
    expect(strategyFor('tight', createRng(1)).name).toBe('tight');
  });
});
