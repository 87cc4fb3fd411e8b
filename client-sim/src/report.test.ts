import { Money, ZERO } from '../../shared/money';
import { buildReport, conservation, formatReport, type AccountEnd } from './report';
import { renderBar } from './progress';
import { parseArgs, parseDuration, UNLIMITED_HANDS, UsageError } from './run';
import { SimStats } from './stats';

const m = (s: string) => new Money(s);
const acct = (over: Partial<AccountEnd> = {}): AccountEnd => ({ username: 'b', credited: m('300'), wallet: m('290'), expectedWallet: m('290'), seat: ZERO, left: true, ...over });

describe('conservation verdict', () => {
  it('passes when credited = wallets + seats + rake and the rake matches the results', () => {
    const v = conservation([acct(), acct({ credited: m('150.00'), wallet: m('151.50'), expectedWallet: m('151.50') })], m('8.50'), { ok: true, totalSum: '0' });
    expect(v).toMatchObject({ ok: true, credited: '450', wallets: '441.5', houseRake: '8.5', rakeFromResults: '8.5' });
  });

  it('fails on a single cent of drift between the house rake and the announced rake', () => {
    expect(conservation([acct()], m('9.99'), null).ok).toBe(false);
    expect(conservation([acct()], m('10'), null).ok).toBe(true);
  });

  it('fails when a bot wallet differs from its own accounting, a bot did not leave, or the server reports drift', () => {
    expect(conservation([acct({ expectedWallet: m('290.01') })], m('10'), null).walletMismatches).toHaveLength(1);
    expect(conservation([acct({ expectedWallet: m('290.01') })], m('10'), null).ok).toBe(false);
    expect(conservation([acct({ left: false, wallet: m('190'), expectedWallet: m('190'), seat: m('100') })], m('10'), null).ok).toBe(false);
    expect(conservation([acct()], m('10'), { ok: false }).ok).toBe(false);
  });
});

describe('report', () => {
  it('marks the run failed on any unexpected rejection even when money balances', () => {
    const stats = new SimStats();
    stats.ackLatency.record(2);
    stats.ackLatency.record(4);
    stats.rejection('not_your_turn', true);
    const okReport = buildReport(stats, 2, conservation([acct()], m('10'), { ok: true }), {});
    expect(okReport.ok).toBe(true);
    expect(okReport.ackLatencyMs.count).toBe(2);
    stats.rejection('internal', false);
    const bad = buildReport(stats, 2, conservation([acct()], m('10'), { ok: true }), {});
    expect(bad.ok).toBe(false);
    expect(bad.rejections.internal).toEqual({ expected: 0, unexpected: 1 });
    expect(formatReport(bad)).toContain('FAIL');
  });

  it('counts each hand once and times settlement from the last ack of that hand', () => {
    const stats = new SimStats();
    stats.actionAcked('t', 'h1', 3, true);
    expect(stats.handSettled('t', 'h1', '1.50')).toBe(true);
    expect(stats.handSettled('t', 'h1', '1.50')).toBe(false);
    expect(stats.rakeFromResults.toFixed()).toBe('1.5');
    expect(stats.settlementLatency.count).toBe(1);
  });

  it('renders a bounded progress bar', () => {
    const line = renderBar({ hands: 50, target: 100, done: 0.5, handsPerSecond: 10, actionsPerSecond: 80, p99Ms: 12.3, errors: 0 }, 100);
    expect(line).toMatch(/^\[#+\.+\] 50\/100 hands/);
    expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('command line', () => {
  it('parses durations and flags', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1500ms')).toBe(1_500);
    const { options, json } = parseArgs(['--tables', '3', '--seats', '9', '--hands', '50', '--variant', 'PO', '--strategy', 'tight', '--chaos', '--seed', '5', '--json', 'o.json']);
    expect(options).toMatchObject({ tables: 3, seats: 9, hands: 50, variant: 'PO', strategy: 'tight', chaos: true, seed: 5 });
    expect(json).toBe('o.json');
    expect(parseArgs(['--duration', '5s']).options.hands).toBe(UNLIMITED_HANDS);
    expect(parseArgs(['--duration', '5s', '--hands', '7']).options.hands).toBe(7);
  });

  it('refuses bad input and --url without admin credentials', () => {
    expect(() => parseArgs(['--seats', '11'])).toThrow(UsageError);
    expect(() => parseArgs(['--variant', 'XX'])).toThrow(UsageError);
    expect(() => parseArgs(['--url', 'http://x'], {})).toThrow(/ADMIN_USERNAME/);
    expect(parseArgs(['--url', 'http://x/'], { ADMIN_USERNAME: 'a', ADMIN_PASSWORD: 'b' }).options.url).toBe('http://x');
  });
});
