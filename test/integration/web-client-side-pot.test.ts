/**
 * Three-handed in the browser client: two people in Chromium and a socket bot with a shorter stack all
 * go all-in, so the hand has a main pot and a side pot. The result shows both pots with their winners,
 * and "verify" (which must find the player's cards at the right deal positions among three players)
 * says match.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { CHROMIUM_ARGS, ensureChromium } from '../setup/chromium';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { findSidePotSeed, findSplitSeed } from '../helpers/seeds';
import { WAIT_MS, myTurn, newBrowserPlayer, openTable, resultShown, sit, type BrowserPlayer } from '../helpers/browser-players';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

describe('side pots in the browser client', () => {
  let felt: Felt;
  let browser: Browser;
  let bot: TestClient | undefined;
  let stopBot = () => undefined as void;
  beforeAll(async () => {
    // Pinned decks: hand 1 (heads-up check-down) splits, so the stacks stay 10.00, 10.00 and the bot's
    // 5.00; in hand 2 the three-way all-in gives the main pot and the side pot to different players.
    // The button starts at seat 0 (which the split seed expects) and moves to seat 1 for hand 2.
    const stacks = [{ seat: 0, stack: '10.00' }, { seat: 1, stack: '10.00' }, { seat: 2, stack: '5.00' }];
    const seeds = [findSplitSeed('split'), findSidePotSeed('side', stacks, 1)];
    let dealt = 0;
    felt = await startTestServer(
      { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '1000' },
      { randomSeed: () => seeds[dealt++] ?? randomBytes(32) },
    );
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    stopBot();
    bot?.close();
    await browser?.close();
    await felt?.close();
  });

  /** The bot shoves or calls once per turn; it answers each (hand, turn number) once. */
  function runBot(c: TestClient): () => void {
    let stopped = false;
    const answered = new Set<string>();
    void (async () => {
      while (!stopped) {
        await c.until(() => stopped || (c.myTurn() && !answered.has(`${c.latest!.handId}:${c.latest!.turn!.number}`)), 120_000, 'bot turn');
        if (stopped) return;
        const v = c.latest!;
        answered.add(`${v.handId}:${v.turn!.number}`);
        const legal = v.you!.legal!;
        const shove = legal.actions.find((a) => a === 'raise' || a === 'bet');
        const choice = shove && legal.maxTo ? { action: shove, amount: legal.maxTo } : { action: legal.actions.includes('call') ? 'call' : 'check' };
        await c.call('table:act', { tableId: v.tableId, handId: v.handId, requestId: randomUUID(), ...choice });
      }
    })();
    return () => {
      stopped = true;
    };
  }

  async function checkOrCall(p: BrowserPlayer): Promise<void> {
    if (await p.page.locator('#check:not([hidden])').isVisible()) await p.page.locator('#check').click();
    else await p.page.locator('#call').click();
  }

  /** Goes all-in with the quick size when a bet or raise is offered, otherwise calls (or checks). */
  async function shoveInBrowser(p: BrowserPlayer): Promise<void> {
    if (await p.page.locator('#raise:not([hidden]), #bet:not([hidden])').first().isVisible()) {
      await p.page.getByRole('button', { name: 'All-in' }).click();
      await p.page.locator('#raise:not([hidden]), #bet:not([hidden])').first().click();
    } else if (await p.page.locator('#call:not([hidden])').isVisible()) await p.page.locator('#call').click();
    else await p.page.locator('#check').click();
  }

  it('shows a main pot and a side pot with their winners, and verify says match', async () => {
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, {
      name: 'Side Pot Table', variant: 'NT', maxSeats: 3, unit: '0.01', smallBlind: '0.05', bigBlind: '0.10',
      minBuyIn: '5.00', maxBuyIn: '10.00', actionTimeoutMs: 120_000,
    });
    const ann = await newBrowserPlayer(browser, felt.url, 'ann', { width: 1280, height: 900 });
    const ben = await newBrowserPlayer(browser, felt.url, 'ben', { width: 1280, height: 900 });
    for (const p of [ann, ben]) await credit(felt.url, admin, p.playerId, '10.00');
    // The bot takes its seat and sits out before the others sit, and sits in while the first
    // (heads-up) hand runs: whatever the timing, it is dealt in from the second hand exactly.
    const b = await register(felt.url, 'bot');
    await credit(felt.url, admin, b.playerId, '5.00');
    bot = await open(felt.url, b.token, b.playerId);
    expect(await bot.call('table:sit', { tableId, seat: 2, buyIn: '5.00', requestId: randomUUID() })).toMatchObject({ ok: true });
    expect(await bot.call('table:sitout', { tableId })).toMatchObject({ ok: true });
    await openTable(ann, 'Side Pot Table');
    await sit(ann, 0, '10.00');
    await openTable(ben, 'Side Pot Table');
    await sit(ben, 1, '10.00');
    await ann.page.locator('#turn', { hasText: / · \d+ s$/ }).waitFor({ timeout: WAIT_MS });
    expect(await bot.call('table:sitin', { tableId })).toMatchObject({ ok: true });
    stopBot = runBot(bot);

    // Hand 1: ann and ben check or call it down. Hand 2: all three go all-in.
    for (const hand of [1, 2]) {
      const deadline = Date.now() + 90_000;
      while (!(await resultShown(ann, hand)) || !(await resultShown(ben, hand))) {
        if (Date.now() > deadline) throw new Error(`hand ${hand} did not finish`);
        for (const p of [ann, ben]) if (await myTurn(p)) await (hand === 1 ? checkOrCall(p) : shoveInBrowser(p));
        await ann.page.waitForTimeout(100);
      }
    }
    stopBot();
    const pots = await ann.page.locator('#result .pot-line').allTextContents();
    expect(pots).toHaveLength(2);
    // The bot's 5.00 against each of the others makes the main pot; the rest of theirs is the side pot.
    expect(pots[0]).toMatch(/^Main pot 15\.00: .+ wins 15\.00$/);
    expect(pots[1]).toMatch(/^Side pot 1 10\.00: .+ wins 10\.00$/);
    expect(pots[1]).not.toContain(b.username);
    expect(pots[0]!.split(': ')[1]).not.toBe(pots[1]!.split(': ')[1]);
    expect(await ann.page.locator('#result .showdown li').count()).toBe(3);
    await ann.page.getByRole('button', { name: 'Verify the deal' }).click();
    await ann.page.locator('#verify-result.verdict-ok', { hasText: 'Match' }).waitFor({ timeout: WAIT_MS });
    await ben.page.getByRole('button', { name: 'Verify the deal' }).click();
    await ben.page.locator('#verify-result.verdict-ok', { hasText: 'Match' }).waitFor({ timeout: WAIT_MS });
    await ann.page.screenshot({ path: path.join(ARTIFACTS, 'web-side-pot.png'), fullPage: true });
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const p of [ann, ben]) expect(p.problems).toEqual([]);
  }, 240_000);
});
