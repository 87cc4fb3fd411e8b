/**
 * Players of the browser client (server/src/web) for Chromium tests: each in its own browser context,
 * registered through the page itself, recording every WebSocket frame the page receives and every
 * page error or console error.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';

/** Generous wait for a condition on a slow, shared machine. */
export const WAIT_MS = 30_000;

/** A signed-in browser tab and every frame its WebSockets received, in order. */
export interface BrowserPlayer {
  page: Page;
  username: string;
  playerId: string;
  frames: string[];
  problems: string[];
}

/** Opens `/` in a new context of `viewport`, registers `name` plus a random suffix and waits for the lobby. */
export async function newBrowserPlayer(browser: Browser, baseUrl: string, name: string, viewport: { width: number; height: number }): Promise<BrowserPlayer> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const p: BrowserPlayer = { page, username: `${name}${randomBytes(3).toString('hex')}`, playerId: '', frames: [], problems: [] };
  page.on('websocket', (ws) => ws.on('framereceived', (f) => p.frames.push(String(f.payload))));
  page.on('pageerror', (e) => p.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') p.problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Username').fill(p.username);
  await page.getByLabel('Password').fill('correct-horse-1');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.locator('#lobby-view:not([hidden])').waitFor({ timeout: WAIT_MS });
  // The lobby shows the player id the admin credits.
  await page.locator('#player-id', { hasText: /^[0-9a-f-]{36}$/ }).waitFor({ timeout: WAIT_MS });
  p.playerId = (await page.locator('#player-id').textContent())!;
  return p;
}

/** Opens the table named `tableName` from the lobby. */
export async function openTable(p: BrowserPlayer, tableName: string): Promise<void> {
  await p.page.getByRole('link', { name: `Open ${tableName}` }).click();
  await p.page.locator('#table-title', { hasText: tableName }).waitFor({ timeout: WAIT_MS });
}

/** Sits at `seat` (0-based) through the buy-in dialog. */
export async function sit(p: BrowserPlayer, seat: number, amount: string): Promise<void> {
  await p.page.getByRole('button', { name: `Sit here (seat ${seat + 1})` }).click();
  await p.page.getByLabel('Buy-in amount').fill(amount);
  await p.page.locator('#buyin-submit').click();
  await p.page.locator(`.seat.me[data-seat="${seat}"]`).waitFor({ timeout: WAIT_MS });
}

/** True when the page offers this player an enabled action now. */
export function myTurn(p: BrowserPlayer): Promise<boolean> {
  return p.page.locator('#action-bar:not([hidden]) [data-action]:not([hidden]):not([disabled])').first().isVisible();
}

/** True when the page shows hand number `hand`'s result. */
export function resultShown(p: BrowserPlayer, hand: number): Promise<boolean> {
  return p.page.locator('#result-title', { hasText: `Hand #${hand} result` }).isVisible();
}
