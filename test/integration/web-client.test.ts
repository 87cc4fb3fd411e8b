/**
 * The players' client at `/` in real headless Chromium against a real server: two players (one on a
 * phone-sized screen) and one spectator register, get credited by the admin API, sit, and play hands
 * to showdown by clicking, typing and keyboard shortcuts: a split pot (pinned deck seed), an all-in,
 * a reload mid-hand. The spectator's DOM and every WebSocket frame it received are checked for hole
 * cards before showdown, and "verify" must say the deal matched its commitment. Screenshots go to
 * test-artifacts/ for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { CHROMIUM_ARGS, ensureChromium } from '../setup/chromium';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit } from '../helpers/clients';
import { findSplitSeed } from '../helpers/seeds';
import { WAIT_MS, myTurn, newBrowserPlayer, openTable as openNamed, resultShown, sit, type BrowserPlayer as Player } from '../helpers/browser-players';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const openTable = (p: Player) => openNamed(p, 'Browser Table');

describe('table client at / in Chromium', () => {
  let felt: Felt;
  let browser: Browser;
  let admin: string;
  let tableId: string;
  const splitSeed = findSplitSeed('split');
  let dealt = 0;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    felt = await startTestServer(
      { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '1000' },
      // The first deal is a heads-up check-down that splits the pot; later deals are random.
      { randomSeed: () => (dealt++ === 0 ? splitSeed : randomBytes(32)) },
    );
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    tableId = await createTable(felt.url, admin, {
      name: 'Browser Table', variant: 'NT', maxSeats: 2, unit: '0.01', smallBlind: '0.05', bigBlind: '0.10',
      minBuyIn: '5.00', maxBuyIn: '10.00', actionTimeoutMs: 120_000,
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await felt?.close();
  });

  /** Plays check/call for everyone until both see hand `hand`'s result; `during` runs once per loop. */
  async function checkDown(players: Player[], hand: number, during?: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + 90_000;
    let keyboard = true;
    while (!(await resultShown(players[0]!, hand)) || !(await resultShown(players[1]!, hand))) {
      if (Date.now() > deadline) throw new Error(`hand ${hand} did not finish`);
      await during?.();
      for (const p of players) {
        if (!(await myTurn(p))) continue;
        // Alternate the keyboard shortcut (C) and the buttons, so both are exercised.
        if (keyboard) await p.page.keyboard.press('c');
        else if (await p.page.locator('#check:not([hidden])').isVisible()) await p.page.locator('#check').click();
        else await p.page.getByRole('button', { name: /^Call / }).click();
        keyboard = !keyboard;
      }
      await players[0]!.page.waitForTimeout(100);
    }
  }

  it('serves / with the client, a strict CSP and the Socket.IO browser bundle', async () => {
    const res = await fetch(`${felt.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('/play/app.js');
    const io = await fetch(`${felt.url}/play/socket.io.min.js`);
    expect(io.status).toBe(200);
    expect(await io.text()).toContain('Socket.IO');
    expect(await (await fetch(`${felt.url}/play/codes.js`)).text()).toContain('buy_in_out_of_range');
  });

  it('two players and a spectator play hands to showdown; nothing leaks; verify says match', async () => {
    const alice = await newBrowserPlayer(browser, felt.url, 'alice', { width: 1280, height: 900 });
    const bob = await newBrowserPlayer(browser, felt.url, 'bob', { width: 360, height: 780 });
    const spectator = await newBrowserPlayer(browser, felt.url, 'sam', { width: 1024, height: 800 });
    for (const p of [alice, bob]) await credit(felt.url, admin, p.playerId, '20.00');
    // The lobby refreshes by itself: the wallet and the table appear without a reload.
    await alice.page.locator('#wallet', { hasText: 'Wallet 20.00' }).waitFor({ timeout: WAIT_MS });
    await alice.page.locator('#tables tr', { hasText: 'Browser Table' }).waitFor({ timeout: WAIT_MS });
    expect(await alice.page.locator('#tables tr', { hasText: 'Browser Table' }).textContent()).toContain('0/2');
    await alice.page.screenshot({ path: path.join(ARTIFACTS, 'web-lobby.png'), fullPage: true });

    await openTable(spectator);
    // A refusal is worded from the closed list next to the control that caused it: the spectator has
    // no chips, so the server refuses the buy-in and the dialog says why.
    await spectator.page.getByRole('button', { name: 'Sit here (seat 1)' }).click();
    await spectator.page.getByLabel('Buy-in amount').fill('5.00');
    await spectator.page.locator('#buyin-submit').click();
    await spectator.page.locator('#buyin-error', { hasText: 'The balance is too small for this movement.' }).waitFor({ timeout: WAIT_MS });
    await spectator.page.getByRole('button', { name: 'Cancel' }).click();
    await openTable(alice);
    // The amount control keeps to the table's limits: the browser does not send 50.00 (maximum 10.00).
    await alice.page.getByRole('button', { name: 'Sit here (seat 1)' }).click();
    await alice.page.getByLabel('Buy-in amount').fill('50.00');
    await alice.page.locator('#buyin-submit').click();
    expect(await alice.page.locator('#buyin-dialog').getAttribute('open')).not.toBeNull();
    await alice.page.getByRole('button', { name: 'Cancel' }).click();
    await sit(alice, 0, '9.00');
    await openTable(bob);
    await sit(bob, 1, '10.00');
    await spectator.page.locator('.seat[data-seat="1"] .name').waitFor({ timeout: WAIT_MS });

    // Hand 1: check down to a split pot; bob reloads once the flop is out and carries on.
    let reloaded = false;
    let midHandShot = false;
    await checkDown([alice, bob], 1, async () => {
      if ((await alice.page.locator('#board .playing-card').count()) < 3) return;
      if (!midHandShot) {
        midHandShot = true;
        await midHandChecks(alice, bob, spectator);
      }
      if (!reloaded) {
        reloaded = true;
        await bob.page.reload();
        await bob.page.locator('#my-cards .playing-card').nth(1).waitFor({ timeout: WAIT_MS });
        await bob.page.locator('#board .playing-card').nth(2).waitFor({ timeout: WAIT_MS });
        expect(await bob.page.locator('#turn').textContent()).toMatch(/ · \d+ s$/);
      }
    });
    expect(reloaded).toBe(true);
    const pots = await alice.page.locator('#result .pots-list').textContent();
    expect(pots).toContain(`${alice.username} wins 0.10`);
    expect(pots).toContain(`${bob.username} wins 0.10`);
    expect(await alice.page.locator('#result .showdown .playing-card').count()).toBe(4);
    await alice.page.getByRole('button', { name: 'Verify the deal' }).click();
    await alice.page.locator('#verify-result.verdict-ok', { hasText: 'Match' }).waitFor({ timeout: WAIT_MS });
    await spectator.page.locator('#result-title', { hasText: 'Hand #1 result' }).waitFor({ timeout: WAIT_MS });
    await spectator.page.getByRole('button', { name: 'Verify the deal' }).click();
    await spectator.page.locator('#verify-result.verdict-ok', { hasText: 'Match' }).waitFor({ timeout: WAIT_MS });
    await alice.page.screenshot({ path: path.join(ARTIFACTS, 'web-showdown.png'), fullPage: true });

    await alice.page.locator('#seat-note', { hasText: 'Your top-up of 1.00 was added; your stack is 10.00.' }).waitFor({ timeout: WAIT_MS });

    const tab2 = await secondTab(alice);
    await dropAndReconnect(bob);

    // Hand 2: a typed raise, an all-in from the quick size, a call.
    await playAllIn(alice, bob);
    await bob.page.locator('#result-title', { hasText: 'Hand #2 result' }).waitFor({ timeout: WAIT_MS });
    expect(await alice.page.locator('#log').textContent()).toContain('(all-in)');
    await bob.page.getByRole('button', { name: 'Verify the deal' }).click();
    await bob.page.locator('#verify-result.verdict-ok', { hasText: 'Match' }).waitFor({ timeout: WAIT_MS });
    await bob.page.screenshot({ path: path.join(ARTIFACTS, 'web-showdown-phone.png'), fullPage: true });

    await tab2.locator('#result-title', { hasText: 'Hand #2 result' }).waitFor({ timeout: WAIT_MS });
    await tab2.close();
    await seatControlsAndLeave(alice, bob);

    // Back in the lobby: her recent hands, each opening the hand as she may see it.
    await alice.page.getByRole('button', { name: '← Lobby' }).click();
    await alice.page.getByRole('link', { name: 'Hand #1 · Browser Table' }).click();
    await alice.page.locator('#hand-detail h2', { hasText: 'Hand #1 · Browser Table' }).waitFor({ timeout: WAIT_MS });
    const potLine = await alice.page.locator('#hand-detail .pots-list li').first().textContent();
    expect(potLine).toMatch(/^Main pot 0\.20: /);
    for (const p of [alice, bob]) expect(potLine).toContain(`${p.username} wins 0.10`);
    expect(await alice.page.locator('#hand-detail li', { hasText: `${alice.username} is dealt` }).getByRole('img').count()).toBe(2);
    await alice.page.screenshot({ path: path.join(ARTIFACTS, 'web-hand-history.png'), fullPage: true });

    // Log out: back to the sign-in form, and a reload does not sign her in again.
    const token = await alice.page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('felt-token'));
    expect((await fetch(`${felt.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await alice.page.getByRole('button', { name: 'Log out' }).click();
    await alice.page.locator('#signin-view:not([hidden])').waitFor({ timeout: WAIT_MS });
    // The server revoked the token too (the request is sent as the page signs out).
    for (let tries = 0; (await fetch(`${felt.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status !== 401; tries++) {
      if (tries > 100) throw new Error('the token still works after logging out');
      await alice.page.waitForTimeout(100);
    }
    await alice.page.reload();
    await alice.page.locator('#signin-view:not([hidden])').waitFor({ timeout: WAIT_MS });

    expectNoLeak(spectator, [alice, bob]);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const p of [alice, bob, spectator]) expect(p.problems).toEqual([]);
  }, 240_000);

  /** At the flop of hand 1: a pending top-up, screenshots, what the spectator sees, the legal actions. */
  async function midHandChecks(alice: Player, bob: Player, spectator: Player): Promise<void> {
    // A top-up during a hand she is in waits for the hand's end (9.00 + 1.00 = the 10.00 maximum).
    await alice.page.getByRole('button', { name: 'Top up' }).click();
    expect(await alice.page.locator('#buyin-limits').textContent()).toContain('may not go above the table maximum of 10.00');
    await alice.page.getByLabel('Buy-in amount').fill('1.00');
    await alice.page.locator('#buyin-submit').click();
    await alice.page.locator('#seat-note', { hasText: 'Your top-up of 1.00 will be added after this hand.' }).waitFor({ timeout: WAIT_MS });
    await alice.page.screenshot({ path: path.join(ARTIFACTS, 'web-table-mid-hand.png'), fullPage: true });
    await bob.page.screenshot({ path: path.join(ARTIFACTS, 'web-table-phone.png'), fullPage: true });
    // The spectator sees backs only: no face-up card in any seat, and no "your cards".
    expect(await spectator.page.locator('#seats .playing-card.back').count()).toBe(4);
    expect(await spectator.page.locator('#seats .playing-card:not(.back)').count()).toBe(0);
    expect(await spectator.page.locator('#my-cards .playing-card').count()).toBe(0);
    // Cards have text alternatives ("Ace of spades").
    expect(await alice.page.locator('#my-cards').getByRole('img', { name: / of (spades|hearts|diamonds|clubs)$/ }).count()).toBe(2);
    expect(await spectator.page.getByRole('img', { name: 'Face-down card' }).count()).toBe(4);
    // Only the legal actions are offered, and only to the player whose turn it is.
    for (const p of [alice, bob]) {
      const visible = async (id: string) => p.page.locator(id).isVisible();
      expect((await visible('#check')) && (await visible('#call'))).toBe(false);
      expect((await visible('#bet')) && (await visible('#raise'))).toBe(false);
      expect((await visible('#sitout')) && (await visible('#sitin'))).toBe(false);
      expect(await visible('#action-bar')).toBe(await myTurn(p));
    }
  }

  /** A second tab of the same player signs in and shows the same seat and cards. */
  async function secondTab(p: Player): Promise<Page> {
    const tab2 = await p.page.context().newPage();
    await tab2.goto(`${felt.url}/#/table/${tableId}`);
    await tab2.getByLabel('Username').fill(p.username);
    await tab2.getByLabel('Password').fill('correct-horse-1');
    await tab2.getByRole('button', { name: 'Log in' }).click();
    await tab2.locator('.seat.me[data-seat="0"]').waitFor({ timeout: WAIT_MS });
    await tab2.locator('#my-cards .playing-card').nth(1).waitFor({ timeout: WAIT_MS });
    return tab2;
  }

  /**
   * A dropped connection mid-hand (the server loses the player's transport, as a network failure
   * would): the client reconnects by itself and shows the seat, the cards and the turn again.
   */
  async function dropAndReconnect(p: Player): Promise<void> {
    await p.page.locator('#my-cards .playing-card').nth(1).waitFor({ timeout: WAIT_MS });
    const dropped = [...felt.io.sockets.sockets.values()].filter((s) => s.data.playerId === p.playerId);
    expect(dropped.length).toBe(1);
    for (const s of dropped) s.conn.close();
    await p.page.locator('#connection', { hasText: 'Connection lost' }).waitFor({ timeout: WAIT_MS });
    await p.page.locator('#connection:empty').waitFor({ state: 'attached', timeout: WAIT_MS });
    await p.page.locator('#my-cards .playing-card').nth(1).waitFor({ timeout: WAIT_MS });
    await p.page.locator('#turn', { hasText: / · \d+ s$/ }).waitFor({ timeout: WAIT_MS });
    // The server closing the socket itself (as a restart does) is retried by the page too.
    felt.io.in(`player:${p.playerId}`).disconnectSockets(true);
    await p.page.locator('#connection', { hasText: 'Connection lost' }).waitFor({ timeout: WAIT_MS });
    await p.page.locator('#connection:empty').waitFor({ state: 'attached', timeout: WAIT_MS });
    await p.page.locator('.seat.me').waitFor({ timeout: WAIT_MS });
  }

  /**
   * After the all-in: a busted player is sat out; sitting in is refused in words until a top-up; the
   * other sits out and in; both leave, and the two wallets hold the 40.00 credited (no rake here).
   */
  async function seatControlsAndLeave(alice: Player, bob: Player): Promise<void> {
    const stackOf = async (p: Player) => (await p.page.locator('.seat.me .stack').textContent())!.replace('Stack ', '');
    await alice.page.locator('#leave:not([hidden])').waitFor({ timeout: WAIT_MS });
    const busted = (await stackOf(alice)) === '0.00' ? alice : (await stackOf(bob)) === '0.00' ? bob : null;
    if (busted) {
      await busted.page.locator('#sitin:not([hidden])').waitFor({ timeout: WAIT_MS });
      await busted.page.getByRole('button', { name: 'Sit in' }).click();
      await busted.page.locator('#seat-error', { hasText: 'That action is not legal now.' }).waitFor({ timeout: WAIT_MS });
      await busted.page.getByRole('button', { name: 'Top up' }).click();
      await busted.page.getByLabel('Buy-in amount').fill('5.00');
      await busted.page.locator('#buyin-submit').click();
      await busted.page.locator('#seat-note', { hasText: 'Topped up; your stack is 5.00.' }).waitFor({ timeout: WAIT_MS });
    }
    const other = busted === alice ? bob : alice;
    await other.page.getByRole('button', { name: 'Sit out' }).click();
    await other.page.locator('#sitin:not([hidden])').waitFor({ timeout: WAIT_MS });
    let cents = 0;
    for (const p of [alice, bob]) {
      const stack = await stackOf(p);
      await p.page.getByRole('button', { name: 'Leave' }).click();
      await p.page.locator('#seat-note', { hasText: `You left the table with ${stack}.` }).waitFor({ timeout: WAIT_MS });
      await p.page.locator('.seat[data-seat] button', { hasText: 'Sit here' }).first().waitFor({ timeout: WAIT_MS });
    }
    for (const p of [alice, bob]) {
      const wallet = await p.page.locator('#wallet', { hasText: /^Wallet \d+\.\d\d$/ }).textContent();
      cents += Number(wallet!.replace('Wallet ', '').replace('.', ''));
    }
    expect(cents).toBe(4000);
  }

  /** The player to act types a raise; the other goes all-in with the quick size; the first calls. */
  async function playAllIn(alice: Player, bob: Player): Promise<void> {
    const deadline = Date.now() + 60_000;
    const turnOf = async () => ((await myTurn(alice)) ? alice : (await myTurn(bob)) ? bob : null);
    let first = await turnOf();
    while (!first) {
      if (Date.now() > deadline) throw new Error('hand 2 never gave anyone a turn');
      await alice.page.waitForTimeout(100);
      first = await turnOf();
    }
    const second = first === alice ? bob : alice;
    await first.page.getByLabel('Amount', { exact: true }).fill('0.50');
    await first.page.getByRole('button', { name: 'Raise' }).click();
    await second.page.locator('#action-bar:not([hidden]) #raise:not([disabled])').waitFor({ timeout: WAIT_MS });
    await second.page.getByRole('button', { name: 'All-in' }).click();
    expect(await second.page.getByLabel('Amount', { exact: true }).inputValue()).toMatch(/^\d+\.\d\d$/);
    await second.page.getByRole('button', { name: 'Raise' }).click();
    await first.page.locator('#action-bar:not([hidden]) #call:not([disabled])').waitFor({ timeout: WAIT_MS });
    await first.page.getByRole('button', { name: /^Call / }).click();
  }
});

/**
 * No frame the spectator received carries a player's hole card before that hand's showdown, and it
 * never receives the private events at all.
 */
function expectNoLeak(spectator: Player, players: Player[]): void {
  const frames = spectator.frames;
  expect(frames.some((f) => f.includes('"hand:cards"') || f.includes('"hand:openings"'))).toBe(false);
  let checkedHands = 0;
  for (const p of players) {
    for (const f of p.frames) {
      if (!f.startsWith('42["hand:cards"')) continue;
      const msg = (JSON.parse(f.slice(2)) as [string, { handId: string; cards: string[] }])[1];
      const cutoff = frames.findIndex((s) => s.includes(msg.handId) && (s.includes('"showdown"') || s.startsWith('42["hand:result"')));
      const first = frames.findIndex((s) => s.includes(msg.handId));
      expect(first).toBeGreaterThan(0);
      expect(cutoff).toBeGreaterThan(first);
      // From the hand's first frame to its showdown (earlier hands' results may show the same cards).
      for (const s of frames.slice(first, cutoff)) for (const c of msg.cards) expect(s).not.toContain(`"${c}"`);
      checkedHands++;
    }
  }
  expect(checkedHands).toBeGreaterThanOrEqual(4);
}
