/**
 * The admin console in a real headless Chromium against a real server with played hands: sign in,
 * search, open a hand, step through the replayer, verify it and download an export. A screenshot is
 * saved under test-artifacts/ for a human to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../setup/chromium';
import { HISTORY_ADMIN, playHistory, type PlayedHistory } from '../helpers/history-fixture';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

describe('admin console in Chromium', () => {
  let h: PlayedHistory;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  beforeAll(async () => {
    const executablePath = ensureChromium();
    h = await playHistory({ quick: true });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })).newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.felt.close();
  });

  it('serves the console with a restrictive Content-Security-Policy', async () => {
    const res = await fetch(`${h.felt.url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${h.felt.url}/admin/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${h.felt.url}/admin/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('signs in, searches, replays a hand step by step, verifies it and downloads exports', async () => {
    await page.goto(`${h.felt.url}/admin`);
    await page.fill('#login-form [name=username]', HISTORY_ADMIN.ADMIN_USERNAME);
    await page.fill('#login-form [name=password]', HISTORY_ADMIN.ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#hands tbody tr[data-hand]');
    await page.waitForSelector('#reconcile.ok');
    // Filter to one table's settled hands.
    await page.selectOption('#search-form [name=tableId]', h.tables.holdem);
    await page.selectOption('#search-form [name=status]', 'settled');
    await page.fill('#search-form [name=player]', h.players.find((p) => p.tableId === h.tables.holdem)!.username);
    await page.click('#search-button');
    // Polled from here: the page's CSP (rightly) forbids the eval a page-side predicate would need.
    const rows = page.locator('#hands tbody tr[data-hand]');
    for (let tries = 0; ; tries++) {
      const texts = await rows.allTextContents();
      if (texts.length === 2 && texts.every((t) => t.includes('Alcor II') && t.includes('settled'))) break;
      if (tries > 100) throw new Error(`search results never showed the two settled hands: ${JSON.stringify(texts)}`);
      await page.waitForTimeout(100);
    }
    await page.click('#hands tbody tr[data-hand] >> nth=0');
    await page.waitForSelector('#hand-view:not([hidden])');
    expect(await page.textContent('#hand-title')).toMatch(/^Hand #\d+ · Alcor II/);
    const counter = async () => (await page.textContent('#step-counter')) ?? '';
    expect(await counter()).toMatch(/^Step 1 of \d+$/);
    const total = Number(/of (\d+)/.exec(await counter())![1]);
    for (let i = 1; i < total; i++) await page.click('#next-step');
    expect(await counter()).toBe(`Step ${total} of ${total}`);
    expect(await page.isDisabled('#next-step')).toBe(true);
    expect(await page.locator('#board .playing-card').count()).toBe(5);
    expect(await page.textContent('#step-text')).toMatch(/wins/);
    await page.click('#prev-step');
    expect(await counter()).toBe(`Step ${total - 1} of ${total}`);
    expect(await page.locator('#ledger tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.click('#verify');
    await page.waitForSelector('#verify-result .verdict-ok');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-pokerstars')]);
    expect(download.suggestedFilename()).toMatch(/^felt-hand-\d+\.txt$/);
    expect(readFileSync(await download.path(), 'utf8')).toMatch(/^PokerStars Hand #\d+: {2}Hold'em No Limit/);
    const [phh] = await Promise.all([page.waitForEvent('download'), page.click('#export-phh')]);
    expect(readFileSync(await phh.path(), 'utf8')).toMatch(/^variant = 'NT'/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-hand.png'), fullPage: true });
    // A player's ledger statement, from the replayer's seat list.
    await page.click('#replay-seats tbody tr >> nth=0 >> button.link-dark');
    await page.waitForSelector('#player-view:not([hidden])');
    await page.waitForSelector('#statement tbody tr >> nth=2');
    expect(await page.locator('#player-accounts tbody tr').count()).toBe(2);
    expect(await page.textContent('#statement')).toContain('hand_settlement');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-player.png'), fullPage: true });
    await page.click('#player-back');
    await page.click('#back');
    await page.waitForSelector('#search-view:not([hidden])');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-search.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
