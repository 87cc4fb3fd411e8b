/** Unit tests of the ledger's pure helpers: canonical hashing, amount validation, retry and error mapping. */
import { chips } from '../../../shared/money';
import { canonicalJson } from '../../../shared/canonical-json';
import { paramsHash, replayOf } from './idempotency';
import { normalizeAmount, positiveAmount, requireKey } from './amounts';
import { withRetry } from './retry';
import { LedgerError, toLedgerError } from './errors';

describe('canonical parameters', () => {
  it('hashes equal objects equally whatever the key order, and different ones differently', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }] })).toBe('{"a":[2,{"c":null,"d":"x"}],"b":1}');
    expect(paramsHash({ a: '1', b: '2' })).toBe(paramsHash({ b: '2', a: '1' }));
    expect(paramsHash({ a: '1' })).not.toBe(paramsHash({ a: '1.0' }));
    expect(paramsHash({ a: '1' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('replays only the same kind and hash', () => {
    const stored = { id: '7', kind: 'credit', paramsHash: 'h', result: { walletBalance: '5' } };
    expect(replayOf(stored, 'credit', 'h')).toEqual({ walletBalance: '5', transferId: '7' });
    expect(() => replayOf(stored, 'credit', 'other')).toThrow(LedgerError);
    expect(() => replayOf(stored, 'buy_in', 'h')).toThrow(/different credit/);
  });
});

describe('amounts and keys', () => {
  it('normalises equal amounts to the same text and refuses bad ones', () => {
    expect(normalizeAmount(chips('10.50')).toString()).toBe('10.5');
    expect(normalizeAmount(chips(0).neg()).isNegative()).toBe(false);
    expect(() => positiveAmount(chips(0))).toThrow(LedgerError);
    expect(() => normalizeAmount(chips('1e15'))).toThrow(/malformed, negative, too large/);
    expect(() => normalizeAmount(chips('0.000000001'))).toThrow(LedgerError);
    expect(() => requireKey('')).toThrow(LedgerError);
    expect(requireKey('k')).toBe('k');
  });
});

describe('retry', () => {
  it('retries serialization failures and deadlocks a bounded number of times', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('deadlock'), { code: calls === 1 ? '40P01' : '40001' });
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    const always = () => {
      calls++;
      return Promise.reject(Object.assign(new Error('serialization'), { code: '40001' }));
    };
    await expect(withRetry(always, { attempts: 4, baseDelayMs: 1 })).rejects.toThrow('serialization');
    expect(calls).toBe(4);
    calls = 0;
    await expect(withRetry(() => (calls++, Promise.reject(Object.assign(new Error('other'), { code: '23505' }))))).rejects.toThrow('other');
    expect(calls).toBe(1);
  });

  it('maps database errors to typed codes', () => {
    expect(toLedgerError(Object.assign(new Error('x'), { code: '23514', constraint: 'account_non_negative' })).code).toBe('insufficient_funds');
    expect(toLedgerError({ driverError: { code: '23503', constraint: 'account_player_id_fkey' } }).code).toBe('player_not_found');
    expect(toLedgerError(new Error('boom')).code).toBe('internal');
  });
});
