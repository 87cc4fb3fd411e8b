import { DomainError } from '../domain-error';
import { createTableSchema, DEFAULT_ACTION_TIMEOUT_MS, validateTableSpec } from './table-spec';

const BASE = { name: 'T', variant: 'NT', maxSeats: 6, smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' };

function validate(change: Record<string, unknown>) {
  return validateTableSpec(createTableSchema.parse({ ...BASE, ...change }));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not-a-DomainError';
  }
  return undefined;
}

describe('validateTableSpec', () => {
  it('fills defaults: unit 0.01, no ante, no rake, 15 s timer', () => {
    const spec = validate({});
    expect(spec.unit.toString()).toBe('0.01');
    expect(spec.ante.isZero()).toBe(true);
    expect(spec.rakePercent.isZero()).toBe(true);
    expect(spec.rakeCap.isZero()).toBe(true);
    expect(spec.actionTimeoutMs).toBe(DEFAULT_ACTION_TIMEOUT_MS);
  });

  it('keeps amounts exact as decimals', () => {
    const spec = validate({ smallBlind: '0.10', bigBlind: '0.20', minBuyIn: '0.20', maxBuyIn: '999999999.99' });
    expect(spec.maxBuyIn.toFixed(2)).toBe('999999999.99');
    expect(spec.smallBlind.plus(spec.bigBlind).toString()).toBe('0.3');
  });

  it.each([
    [{ ante: '3' }, 'ante above the big blind'],
    [{ unit: '0.05', smallBlind: '0.12' }, 'an amount off the unit grid'],
    [{ unit: '0' }, 'a zero unit'],
    [{ rakePercent: '0.001' }, 'a rake percent finer than 0.01'],
    [{ rakeCap: '0.001' }, 'a rake cap finer than the unit'],
    [{ minBuyIn: '1' }, 'a minimum buy-in below the big blind'],
  ] as Array<[Record<string, unknown>, string]>)('refuses %p (%s) with invalid_amount', (change) => {
    expect(codeOf(() => validate(change))).toBe('invalid_amount');
  });

  it('accepts the boundaries: sb = bb, min = max buy-in = bb, rake 10%', () => {
    expect(codeOf(() => validate({ smallBlind: '2', minBuyIn: '2', maxBuyIn: '2', rakePercent: '10' }))).toBeUndefined();
  });
});
