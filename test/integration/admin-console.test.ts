/**
 * The admin console in a real headless Chromium against a real server with played hands: sign in
 * (a wrong password says so), search, open a hand by URL, drive the replayer with keys, street jumps
 * and autoplay, verify and export; find a player, credit and pay out (an over-balance pay-out shows
 * the refusal); open, edit and close a table; and the same pages at 390 px wide. Screenshots are
 * saved under test-artifacts/ for a human to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../setup/chromium';
import { HISTORY_ADMIN, playHistory, type PlayedHistory } from '../helpers/history-fixture';
import { get } from '../helpers/clients';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

/** Polls a condition from the test side: the page's CSP (rightly) forbids the eval a page-side predicate would need. */
async function until(page: Page, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; ; tries++) {
    if (await check()) return;
    if (tries > 150) throw new Error(`never happened: ${what}`);
    await page.waitForTimeout(100);
  }
}

describe('admin console in Chromium', () => {
  let h: PlayedHistory;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      // A refused request (the over-balance pay-out, the wrong password) is logged by Chromium itself.
      if (m.type() === 'error' && !/status of 4(0[019]|29)/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  };
  beforeAll(async () => {
    const executablePath = ensureChromium();
    h = await playHistory({ quick: true });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    watch(page);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.felt.close();
  });

  async function signIn(p: Page, password = HISTORY_ADMIN.ADMIN_PASSWORD): Promise<void> {
    await p.fill('#login-form [name=username]', HISTORY_ADMIN.ADMIN_USERNAME);
    await p.fill('#login-form [name=password]', password);
    await p.click('#login-form button[type=submit]');
  }

  it('serves the console and every module with a restrictive Content-Security-Policy', async () => {
    const res = await fetch(`${h.felt.url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const file of ['app.js', 'api.js', 'hands.js', 'replayer.js', 'players.js', 'tables.js']) {
      expect((await fetch(`${h.felt.url}/admin/${file}`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
    expect((await fetch(`${h.felt.url}/admin/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('says a wrong password is wrong, and an expired session is expired', async () => {
    await page.goto(`${h.felt.url}/admin`);
    await signIn(page, 'not-the-password');
    await until(page, 'the login error', async () => ((await page.textContent('#login-error')) ?? '') !== '');
    expect(await page.textContent('#login-error')).toBe('Wrong username or password.');
    expect(await page.isVisible('#login-view')).toBe(true);
    // The login limiter (429 rate_limited with Retry-After) is shown as such; the answer is staged in
    // the browser because this server's limiter would need many real failures first.
    await page.route('**/api/auth/login', (r) => r.fulfill({
      status: 429, headers: { 'retry-after': '30' }, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; slow down.' } }),
    }));
    await signIn(page, 'not-the-password');
    await until(page, 'the limiter message', async () => ((await page.textContent('#login-error')) ?? '').startsWith('Too many'));
    expect(await page.textContent('#login-error')).toBe('Too many sign-in attempts; try again in 30 seconds.');
    await page.unroute('**/api/auth/login');
    // A stored token that stopped working is the one case that reads "session expired".
    await page.evaluate("sessionStorage.setItem('felt-admin-token', 'v1.bogus.token')");
    await page.reload();
    await until(page, 'the expiry message', async () => ((await page.textContent('#login-error')) ?? '') !== '');
    expect(await page.textContent('#login-error')).toBe('Your session expired; sign in again.');
    await signIn(page);
    await page.waitForSelector('#hands tbody tr[data-hand]');
    await page.waitForSelector('#reconcile.ok');
  }, 60_000);

  it('searches, opens a hand by URL after a reload, steps it with keys, street jumps and autoplay, verifies and exports', async () => {
    await page.selectOption('#search-form [name=tableId]', h.tables.holdem);
    await page.selectOption('#search-form [name=status]', 'settled');
    await page.fill('#search-form [name=player]', h.players.find((p) => p.tableId === h.tables.holdem)!.username);
    await page.click('#search-button');
    const rows = page.locator('#hands tbody tr[data-hand]');
    await until(page, 'the two settled hands', async () => {
      const texts = await rows.allTextContents();
      return texts.length === 2 && texts.every((t) => t.includes('Alcor II') && t.includes('settled'));
    });
    const handId = (await rows.nth(0).getAttribute('data-hand'))!;
    await rows.nth(0).locator('td').nth(3).click();
    await page.waitForSelector('#hand-view:not([hidden])');
    expect(new URL(page.url()).hash).toBe(`#/hand/${handId}`);
    // The link survives a reload (and so can be pasted into a support ticket).
    await page.reload();
    await page.waitForSelector('#hand-view:not([hidden])');
    await until(page, 'the hand title', async () => /^Hand #\d+ · Alcor II/.test((await page.textContent('#hand-title')) ?? ''));
    const counter = async () => (await page.textContent('#step-counter')) ?? '';
    expect(await counter()).toMatch(/^Step 1 of \d+$/);
    const total = Number(/of (\d+)/.exec(await counter())![1]);
    expect(await page.locator('#action-log li[data-step]').count()).toBe(total);
    // Seats read as the API numbers them.
    const detail = (await get(`${h.felt.url}/api/admin/hands/${handId}`, h.admin)).body;
    const apiSeats = detail.seats.map((s: { seat: number }) => String(s.seat));
    expect(await page.locator('#replay-seats tbody tr td:first-child').allTextContents()).toEqual(
      apiSeats.map((s: string) => (Number(s) === detail.buttonSeat ? `${s} (D)` : s)));
    await page.keyboard.press('ArrowRight');
    expect(await counter()).toBe(`Step 2 of ${total}`);
    // A post or action step highlights the seat it is about.
    expect(await page.locator('#replay-seats tr.acting').count()).toBe(1);
    await page.keyboard.press('End');
    expect(await counter()).toBe(`Step ${total} of ${total}`);
    expect(await page.isDisabled('#next-step')).toBe(true);
    expect(await page.locator('#board .playing-card').count()).toBe(5);
    expect(await page.textContent('#step-text')).toMatch(/wins/);
    await page.keyboard.press('ArrowLeft');
    expect(await counter()).toBe(`Step ${total - 1} of ${total}`);
    await page.click('#street-jumps button[data-street=flop]');
    expect(await page.locator('#board .playing-card').count()).toBe(3);
    expect(await page.textContent('#step-text')).toMatch(/^flop: /);
    await page.keyboard.press('Home');
    expect(await counter()).toBe(`Step 1 of ${total}`);
    await page.click('#autoplay');
    await until(page, 'autoplay to move on', async () => /^Step ([3-9]|\d\d)/.test(await counter()));
    await page.click('#autoplay');
    expect(await page.getAttribute('#autoplay', 'aria-pressed')).toBe('false');
    await page.click('#action-log li[data-step] >> nth=0');
    expect(await counter()).toBe(`Step 1 of ${total}`);
    expect(await page.locator('#ledger tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.click('#verify');
    await page.waitForSelector('#verify-result .verdict-ok');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-pokerstars')]);
    expect(download.suggestedFilename()).toMatch(/^felt-hand-\d+\.txt$/);
    expect(readFileSync(await download.path(), 'utf8')).toMatch(/^PokerStars Hand #\d+: {2}Hold'em No Limit/);
    const [phh] = await Promise.all([page.waitForEvent('download'), page.click('#export-phh')]);
    expect(readFileSync(await phh.path(), 'utf8')).toMatch(/^variant = 'NT'/);
    await page.keyboard.press('End');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-hand.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);

  it('finds a player, credits and pays out from the console, and a refused pay-out says why', async () => {
    const someone = h.players.find((p) => p.tableId === h.tables.holdem)!;
    await page.click('#nav a[data-section=players]');
    await page.fill('#player-search [name=query]', someone.username.slice(0, 6));
    await page.click('#player-search-button');
    await page.waitForSelector(`#players tbody tr[data-player="${someone.playerId}"]`);
    await page.click(`#players tbody tr[data-player="${someone.playerId}"] a`);
    await page.waitForSelector('#player-view:not([hidden])');
    expect(new URL(page.url()).hash).toBe(`#/player/${someone.playerId}`);
    const balance = async () => (await page.textContent('#player-balance')) ?? '';
    await until(page, 'the balance', async () => /^\d+\.\d\d$/.test(await balance()));
    const cents = async () => Math.round(Number(await balance()) * 100);
    const before = await cents();
    expect((await get(`${h.felt.url}/api/admin/players/${someone.playerId}`, h.admin)).body.balance).toBe(await balance());
    await until(page, 'the summary', async () => ((await page.textContent('#player-summary')) ?? '').includes('Hands played'));
    expect(await page.textContent('#player-summary')).toMatch(/Hands played\d+/);
    // Seat lines name their table, never a bare id.
    await until(page, 'the statement', async () => (await page.locator('#statement tbody tr').count()) > 2);
    expect(await page.textContent('#statement')).toContain('Alcor II');
    expect(await page.textContent('#statement')).not.toContain(h.tables.holdem);
    await page.fill('#credit-form [name=amount]', '25.50');
    await page.click('#credit-form button');
    await until(page, 'the credit', async () => (await cents()) === before + 2550);
    expect(await page.textContent('#credit-form .notice')).toContain('Credited 25.50');
    await page.fill('#debit-form [name=amount]', String((before + 2550) / 100 + 1));
    await page.fill('#debit-form [name=reason]', 'withdrawal');
    await page.click('#debit-form button');
    await until(page, 'the refusal', async () => ((await page.textContent('#debit-form .notice')) ?? '') !== '');
    expect(await page.textContent('#debit-form .notice')).toBe('Refused: the wallet holds less than that amount. Nothing was moved.');
    expect(await cents()).toBe(before + 2550);
    await page.fill('#debit-form [name=amount]', '10');
    await page.click('#debit-form button');
    await until(page, 'the pay-out', async () => (await cents()) === before + 1550);
    expect((await get(`${h.felt.url}/api/admin/players/${someone.playerId}`, h.admin)).body.balance).toBe(await balance());
    await until(page, 'the statement line', async () => ((await page.textContent('#statement tbody tr >> nth=0')) ?? '').includes('debit'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-player.png'), fullPage: true });
    await page.click('#player-hands');
    await page.waitForSelector('#search-view:not([hidden])');
    expect(new URL(page.url()).hash).toBe(`#/hands?playerId=${someone.playerId}`);
    await until(page, 'the player\'s hands', async () => (await page.locator('#hands tbody tr[data-hand]').count()) > 0);
    for (const text of await page.locator('#hands tbody tr[data-hand] td:nth-child(4)').allTextContents()) expect(text).toContain(someone.username);
    expect(problems).toEqual([]);
  }, 60_000);

  it('opens, edits and closes a table from the console', async () => {
    // A running table's page shows what happens there: its latest hands, each a link.
    await page.goto(`${h.felt.url}/admin#/table/${h.tables.holdem}`);
    await until(page, 'the recent hands', async () => (await page.locator('#table-recent tbody tr[data-hand]').count()) >= 2);
    expect(await page.textContent('#table-title')).toMatch(/^Alcor II · NT 1\/2$/);
    await page.click('#nav a[data-section=tables]');
    await page.waitForSelector('#tables tbody tr[data-table]');
    const form = '#create-table';
    await page.fill(`${form} [name=name]`, 'Console Table');
    await page.fill(`${form} [name=smallBlind]`, '1');
    await page.fill(`${form} [name=bigBlind]`, '2');
    await page.fill(`${form} [name=minBuyIn]`, '40');
    await page.fill(`${form} [name=maxBuyIn]`, '200');
    await page.click(`${form} button[type=submit]`);
    await until(page, 'the new table', async () => ((await page.textContent('#tables')) ?? '').includes('Console Table'));
    const tableId = (await page.locator('#tables tbody tr', { hasText: 'Console Table' }).getAttribute('data-table'))!;
    await page.click(`#tables tbody tr[data-table="${tableId}"] a`);
    await page.waitForSelector('#table-view:not([hidden])');
    expect(new URL(page.url()).hash).toBe(`#/table/${tableId}`);
    await until(page, 'the edit form', async () => (await page.inputValue('#table-edit [name=bigBlind]')) === '2.00' || (await page.inputValue('#table-edit [name=bigBlind]')) === '2');
    await page.fill('#table-edit [name=name]', 'Console Table II');
    await page.fill('#table-edit [name=bigBlind]', '4');
    await page.click('#table-edit button[type=submit]');
    await until(page, 'the save', async () => ((await page.textContent('#table-notice')) ?? '').startsWith('Saved'));
    const listed = (await get(`${h.felt.url}/api/tables`)).body.tables.find((t: { tableId: string }) => t.tableId === tableId);
    expect(listed).toMatchObject({ name: 'Console Table II' });
    expect(Number(listed.bigBlind)).toBe(4);
    // A refused edit shows the server's reason in plain words.
    await page.fill('#table-edit [name=minBuyIn]', '500');
    await page.click('#table-edit button[type=submit]');
    await until(page, 'the refusal', async () => ((await page.getAttribute('#table-notice', 'class')) ?? '').includes('error'));
    expect(await page.textContent('#table-notice')).toBe('That amount is not valid: minBuyIn must not exceed maxBuyIn');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-table.png'), fullPage: true });
    page.once('dialog', (d) => void d.accept());
    await page.click('#close-table');
    await until(page, 'the close', async () => ((await page.textContent('#table-notice')) ?? '').includes('closed'));
    expect((await get(`${h.felt.url}/api/tables`)).body.tables.some((t: { tableId: string }) => t.tableId === tableId)).toBe(false);
    await page.reload();
    await until(page, 'the closed page', async () => ((await page.textContent('#table-title')) ?? '') === 'Closed table');
    expect(problems).toEqual([]);
  }, 60_000);

  it('is usable at 390 px wide: nothing wider than the screen, pages reachable', async () => {
    const narrow = await browser.newPage({ viewport: { width: 390, height: 844 } });
    watch(narrow);
    const someone = h.players.find((p) => p.tableId === h.tables.holdem)!;
    const hand = (await get(`${h.felt.url}/api/admin/hands?tableId=${h.tables.holdem}&status=settled`, h.admin)).body.hands[0];
    await narrow.goto(`${h.felt.url}/admin#/hand/${hand.handId}`);
    await signIn(narrow);
    const pages: Array<[string, string]> = [
      [`#/hand/${hand.handId}`, 'hand'], [`#/player/${someone.playerId}`, 'player'], ['#/tables', 'tables'], ['#/hands', 'search'],
    ];
    for (const [hash, name] of pages) {
      await narrow.goto(`${h.felt.url}/admin${hash}`);
      await narrow.waitForSelector(`#${name === 'search' ? 'search' : name}-view:not([hidden])`);
      await narrow.waitForTimeout(300);
      await narrow.screenshot({ path: path.join(ARTIFACTS, `admin-console-390-${name}.png`), fullPage: true });
      const width = await narrow.evaluate<number>('document.documentElement.scrollWidth');
      expect({ name, width }).toEqual({ name, width: 390 });
    }
    await narrow.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
