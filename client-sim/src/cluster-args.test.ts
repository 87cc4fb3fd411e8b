import { parseArgs, UsageError } from './run';
import { sumCounter } from './local-cluster';
import { conservation } from './report';
import { Money } from '../../shared/money';

const ADMIN = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'pw-123456789' };

describe('sim command line for clusters', () => {
  it('spreads --url over several nodes and keeps the first as url', () => {
    const { options } = parseArgs(['--url', 'http://a:1/,http://b:2', '--tables', '2'], ADMIN);
    expect(options.url).toBe('http://a:1');
    expect(options.urls).toEqual(['http://a:1', 'http://b:2']);
  });

  it('reads --nodes and --kill-node-after, and refuses a kill without a local cluster', () => {
    const { options } = parseArgs(['--nodes', '3', '--kill-node-after', '20s', '--lease-ttl', '2s'], {});
    expect(options).toMatchObject({ nodes: 3, killNodeAfterMs: 20_000, leaseTtlMs: 2_000 });
    expect(() => parseArgs(['--kill-node-after', '20s'], {})).toThrow(UsageError);
    expect(() => parseArgs(['--nodes', '1', '--kill-node-after', '20s'], {})).toThrow(/--nodes 2 or more/);
    expect(() => parseArgs(['--nodes', '3', '--url', 'http://a:1'], ADMIN)).toThrow(/exclude/);
    expect(() => parseArgs(['--nodes', '17'], {})).toThrow(/between 1 and 16/);
  });
});

describe('sumCounter', () => {
  it('sums every sample of one counter and nothing else', () => {
    const text = [
      '# HELP felt_fenced_refusals_total Refusals.',
      '# TYPE felt_fenced_refusals_total counter',
      'felt_fenced_refusals_total 3',
      'felt_fenced_refusals_total{kind="settle"} 2',
      'felt_fenced_refusals_total_created 1700000000',
      'felt_fenced_refusals 99',
    ].join('\n');
    expect(sumCounter(text, 'felt_fenced_refusals_total')).toBe(5);
    expect(sumCounter('', 'felt_fenced_refusals_total')).toBe(0);
  });
});

describe('conservation after a node failure', () => {
  const m = (x: string) => new Money(x);
  const account = { username: 'a', credited: m('300'), wallet: m('290'), expectedWallet: m('290'), seat: m('0'), left: true };

  it('takes the ledger rake as the reference when given, and still fails on a gap', () => {
    // 10 went to the house, but only 7 was announced before the node died.
    expect(conservation([account], m('7'), { ok: true }).ok).toBe(false);
    expect(conservation([account], m('7'), { ok: true }, m('10')).ok).toBe(true);
    expect(conservation([account], m('7'), { ok: true }, m('9.99')).ok).toBe(false);
  });
});
