/**
 * Admin hand history over hands played through the real server: search and paging, detail, verify
 * (including tampering with the stored ledger and result), exports (PokerStars; PHH round trip through
 * `npm run phh -- verify`), the player statement and the reconcile report.
 *
 * Tampering: ledger_entry is append-only by trigger, so the test disables the table's USER triggers
 * (the append-only and zero-sum ones; the test connects as the cluster owner) for one UPDATE, then
 * re-enables them. The hand's result summary has no trigger and is tampered directly.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { get, post } from '../helpers/clients';
import { playHistory, type PlayedHistory } from '../helpers/history-fixture';
import { run } from '../../scripts/hands-cli';
import { randomBytes } from 'node:crypto';
import { startWithEvents } from '../../shared/engine/hand';
import { commitment, seedFromHex, seedToHex, shuffle } from '../../shared/engine/shuffle';
import { DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME, commitDeck } from '../../shared/engine/deck-commitment';
import { appendHandEvents, startHand } from '../../server/src/persistence/hands';
import { voidHand } from '../../server/src/ledger/transactions';
import { parseMeta } from '../../server/src/history/hand-record';

const runFile = promisify(execFile);

/** The JSON shapes the tests read (the API's answers, loosely typed). */
interface Row { handId: string; handNumber: string; siteHandNumber: string; tableId: string; tableName: string; status: string; startedAt: string; pot: string | null; players: Array<{ playerId: string; username: string }>; winners: unknown[] }
interface Ev { seq: number; type: string; payload: { amount?: string; allIn?: boolean } }
interface Pot { amount: string; winners: Array<{ amount: string }> }
interface Transfer { kind: string; entries: Array<{ accountKind: string; amount: string }> }
interface Detail { config: { engine: Record<string, string> }; seats: unknown[]; events: Ev[]; pots: Pot[]; seed: string; commitment: string; commitmentScheme: string; result: { rake: string }; transfers: Transfer[]; steps: Array<{ board: string[] }> }
interface Line { kind: string; account: string; amount: string; balanceAfter: string }

async function text(url: string, token: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('admin hand history', () => {
  let h: PlayedHistory;
  let base: string;
  beforeAll(async () => {
    h = await playHistory();
    base = h.felt.url;
  }, 180_000);
  afterAll(async () => {
    await h?.felt.close();
  });

  async function allHands(query = ''): Promise<Row[]> {
    const out: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${base}/api/admin/hands?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`, h.admin);
      expect(res.status).toBe(200);
      out.push(...res.body.hands);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  it('answers only admins, and refuses malformed queries', async () => {
    expect((await get(`${base}/api/admin/hands`)).status).toBe(401);
    expect((await get(`${base}/api/admin/hands`, h.players[0]!.token)).status).toBe(403);
    expect((await get(`${base}/api/admin/reconcile`, h.players[0]!.token)).status).toBe(403);
    for (const q of ['limit=201', 'limit=0', 'status=done', 'tableId=nope', 'bogus=1', 'cursor=xyz', 'from=yesterday']) {
      const res = await get(`${base}/api/admin/hands?${q}`, h.admin);
      expect({ q, status: res.status, code: res.body.error?.code }).toEqual({ q, status: 400, code: 'invalid_payload' });
    }
    expect((await get(`${base}/api/admin/hands/00000000-0000-4000-8000-000000000000`, h.admin)).status).toBe(404);
  });

  it('searches with filters and pages with an opaque cursor without gaps or repeats', async () => {
    const settled = await allHands('&status=settled');
    const holdem = settled.filter((x) => x.tableId === h.tables.holdem);
    expect(holdem.length).toBe(3);
    expect(settled.filter((x) => x.tableId === h.tables.limit).length).toBe(2);
    expect(settled.filter((x) => x.tableId === h.tables.omaha).length).toBe(2);
    const voided = await allHands('&status=voided');
    expect(voided.length).toBeGreaterThanOrEqual(3);
    const byTable = await allHands(`&tableId=${h.tables.holdem}&status=settled`);
    expect(byTable.map((x) => x.handId).sort()).toEqual(holdem.map((x) => x.handId).sort());
    const row = holdem[0]!;
    expect(row).toMatchObject({ tableName: 'Alcor II', status: 'settled' });
    expect(row.players).toHaveLength(2);
    expect(row.players[0]!.username).toMatch(/^h/);
    expect(Number(row.pot)).toBeGreaterThan(0);
    expect(row.winners.length).toBeGreaterThan(0);
    // Paging two at a time returns every hand exactly once, newest first.
    const all = await allHands();
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${base}/api/admin/hands?limit=2${cursor ? `&cursor=${cursor}` : ''}`, h.admin);
      expect(res.body.hands.length).toBeLessThanOrEqual(2);
      paged.push(...(res.body.hands as Row[]).map((x) => x.handId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((x) => x.handId));
    const times = all.map((x) => Date.parse(x.startedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const player = h.players[0]!.playerId;
    const mine = await allHands(`&playerId=${player}`);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((x) => x.players.some((p) => p.playerId === player))).toBe(true);
    const byName = await allHands(`&username=${h.players[0]!.username.toUpperCase()}`);
    expect(byName.map((x) => x.handId)).toEqual(mine.map((x) => x.handId));
    expect(await allHands('&username=nobody-at-all')).toEqual([]);
    const future = await allHands(`&from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    expect(future).toEqual([]);
  });

  it('shows a hand in full: config, seats, events in order, pots, ledger and seed', async () => {
    const rows = await allHands(`&tableId=${h.tables.sidePots}&status=settled`);
    const details = await Promise.all(rows.map((row) => get(`${base}/api/admin/hands/${row.handId}`, h.admin)));
    const bodies = details.map((r) => r.body as Detail);
    expect(details.every((r) => r.status === 200)).toBe(true);
    const d = bodies.sort((a, b) => b.pots.length - a.pots.length)[0]!;
    expect(d.config.engine).toMatchObject({ variant: 'NT', unit: '0.01', rakePercent: '5' });
    expect(d.events.map((e) => e.seq)).toEqual(d.events.map((_, i) => i));
    expect(d.events[0]!.type).toBe('start');
    // Three-way all-in: whoever wins, the pots hold every called chip and pay out all but the rake.
    const money = (x: string) => Math.round(Number(x) * 100);
    const called = d.events.filter((e) => e.type === 'post' || e.type === 'action').reduce((s: number, e) => s + money(e.payload.amount ?? '0'), 0)
      - d.events.filter((e) => e.type === 'uncalled_return').reduce((s: number, e) => s + money(e.payload.amount ?? '0'), 0);
    expect(d.pots.reduce((s: number, p) => s + money(p.amount), 0)).toBe(called);
    const paid = d.pots.flatMap((p) => p.winners).reduce((s: number, w) => s + money(w.amount), 0);
    expect(paid + money(d.result.rake)).toBe(called);
    expect(d.seats.length).toBe(3);
    expect(d.events.filter((e) => e.payload.allIn).length).toBeGreaterThanOrEqual(2);
    expect(d.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(d.commitment).toBe(commitDeck(seedFromHex(d.seed)).root);
    expect(d.commitmentScheme).toBe(DECK_MERKLE_SCHEME);
    const settlement = d.transfers.find((t) => t.kind === 'hand_settlement')!;
    expect(Number(settlement.entries.find((e) => e.accountKind === 'house_rake')!.amount)).toBe(Number(d.result.rake));
    expect(Number(d.result.rake)).toBeGreaterThan(0);
    expect(d.steps.length).toBe(d.events.length);
    expect(d.steps.at(-1)!.board).toHaveLength(5);
  });

  it('verifies every settled and voided hand', async () => {
    const hands = await allHands();
    for (const row of hands) {
      const res = await post(`${base}/api/admin/hands/${row.handId}/verify`, {}, h.admin);
      expect(res.status).toBe(200);
      expect({ hand: row.handNumber, status: row.status, differences: res.body.differences }).toEqual({ hand: row.handNumber, status: row.status, differences: [] });
      expect(res.body.ok).toBe(true);
      if (row.status === 'settled') expect(res.body.checked).toContain('the Merkle root of the seed\'s deck equals the commitment');
    }
    expect((await post(`${base}/api/admin/hands/${hands[0]!.handId}/verify`, { extra: 1 }, h.admin)).status).toBe(400);
  });

  it('exports PokerStars text, per hand (with a hero) and in bulk', async () => {
    const row = (await allHands(`&tableId=${h.tables.holdem}&status=settled`))[0]!;
    const hero = row.players[0]!;
    const one = await text(`${base}/api/admin/hands/${row.handId}/export?format=pokerstars&hero=${hero.playerId}`, h.admin);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-disposition')).toContain(`felt-hand-${row.siteHandNumber}.txt`);
    expect(one.body).toMatch(new RegExp(`^PokerStars Hand #${row.siteHandNumber}:  Hold'em No Limit \\(1/2\\) - \\d{4}/\\d\\d/\\d\\d \\d+:\\d\\d:\\d\\d ET\n`));
    expect(one.body).toContain("Table 'Alcor II' 6-max Seat #");
    expect(one.body.match(/^Dealt to /gm)).toHaveLength(1);
    expect(one.body).toContain(`Dealt to ${hero.username} [`);
    expect(one.body).toContain('*** SUMMARY ***');
    const bulk = await text(`${base}/api/admin/hands/export?format=pokerstars`, h.admin);
    expect(bulk.status).toBe(200);
    const settledCount = (await allHands('&status=settled')).length;
    expect(bulk.body.match(/^PokerStars Hand #/gm)).toHaveLength(settledCount);
    // Trackers drop repeated hand numbers, so a bulk export over several tables must have none.
    const numbers = [...bulk.body.matchAll(/^PokerStars Hand #(\d+):/gm)].map((m) => m[1]);
    expect(new Set(numbers).size).toBe(settledCount);
    // Without a hero, no hole cards are dealt face up: only hands shown down are printed.
    expect(bulk.body).not.toMatch(/^Dealt to /m);
    expect(bulk.body).toContain("Hold'em Limit (2/4)");
    expect(bulk.body).toContain('Omaha Pot Limit (1/2)');
    // Side pots are named only when the result has more than one pot (which depends on the cards).
    for (const row of await allHands(`&tableId=${h.tables.sidePots}&status=settled`)) {
      const d = (await get(`${base}/api/admin/hands/${row.handId}`, h.admin)).body;
      const ps = (await text(`${base}/api/admin/hands/${row.handId}/export?format=pokerstars`, h.admin)).body;
      expect(ps).toContain(`Rake $${d.result.rake}`);
      if (d.pots.length > 1) expect(ps).toMatch(/Total pot \$\d+\.\d\d Main pot \$\d+\.\d\d\. Side pot/);
      else expect(ps).toMatch(/collected \$\d+\.\d\d from pot/);
    }
    const voided = (await allHands('&status=voided'))[0]!;
    expect((await text(`${base}/api/admin/hands/${voided.handId}/export?format=phh`, h.admin)).status).toBe(400);
  });

  it('numbers every hand site-wide, increasing as hands start, beside the per-table number', async () => {
    const oldestFirst = (await allHands()).reverse();
    const site = oldestFirst.map((x) => BigInt(x.siteHandNumber));
    expect(new Set(site).size).toBe(site.length);
    // Tables deal concurrently, so the order across tables is the sequence's; within a table it follows the table's count.
    for (const tableId of new Set(oldestFirst.map((x) => x.tableId))) {
      const mine = oldestFirst.filter((x) => x.tableId === tableId).sort((a, b) => Number(a.handNumber) - Number(b.handNumber));
      expect(mine.every((x, i) => i === 0 || BigInt(x.siteHandNumber) > BigInt(mine[i - 1]!.siteHandNumber))).toBe(true);
    }
    // The per-table numbers repeat across tables (every table starts at 1), which is why exports use the site one.
    expect(oldestFirst.filter((x) => x.handNumber === '1').length).toBeGreaterThan(1);
    const row = oldestFirst.find((x) => x.status === 'settled')!;
    const d = (await get(`${base}/api/admin/hands/${row.handId}`, h.admin)).body;
    expect([d.handNumber, d.siteHandNumber]).toEqual([row.handNumber, row.siteHandNumber]);
    const phh = (await text(`${base}/api/admin/hands/${row.handId}/export?format=phh`, h.admin)).body;
    expect(phh).toContain(`\nhand = ${row.siteHandNumber}\n`);
    expect(phh).toContain(`\n_table_hand_number = ${row.handNumber}\n`);
  });

  it('refuses a hero who was not dealt in, and exports in bulk for a hero', async () => {
    const row = (await allHands(`&tableId=${h.tables.holdem}&status=settled`))[0]!;
    const stranger = h.players.find((p) => !row.players.some((x) => x.playerId === p.playerId))!;
    for (const format of ['pokerstars', 'phh']) {
      const res = await get(`${base}/api/admin/hands/${row.handId}/export?format=${format}&hero=${stranger.playerId}`, h.admin);
      expect({ format, status: res.status, code: res.body.error?.code }).toEqual({ format, status: 400, code: 'hero_not_in_hand' });
    }
    const hero = row.players[0]!;
    const bulk = await text(`${base}/api/admin/hands/export?format=pokerstars&hero=${hero.playerId}`, h.admin);
    expect(bulk.status).toBe(200);
    const heroHands = await allHands(`&playerId=${hero.playerId}&status=settled`);
    expect(heroHands.length).toBeGreaterThan(0);
    expect(bulk.body.match(/^PokerStars Hand #/gm)).toHaveLength(heroHands.length);
    expect(bulk.body.match(/^Dealt to /gm)).toHaveLength(heroHands.length);
    expect(bulk.body.match(new RegExp(`^Dealt to ${hero.username} \\[`, 'gm'))).toHaveLength(heroHands.length);
    const clash = await get(`${base}/api/admin/hands/export?format=pokerstars&hero=${hero.playerId}&playerId=${stranger.playerId}`, h.admin);
    expect([clash.status, clash.body.error?.code]).toEqual([400, 'invalid_payload']);
  });

  it('shows, verifies and exports a split pot', async () => {
    const [row] = await allHands(`&tableId=${h.tables.split}&status=settled`);
    const d = (await get(`${base}/api/admin/hands/${row!.handId}`, h.admin)).body as Detail;
    expect(d.pots).toHaveLength(1);
    expect(d.pots[0]!.winners.map((w) => w.amount)).toEqual(['0.10', '0.10']);
    expect((await post(`${base}/api/admin/hands/${row!.handId}/verify`, {}, h.admin)).body).toMatchObject({ ok: true, differences: [] });
    const ps = (await text(`${base}/api/admin/hands/${row!.handId}/export?format=pokerstars`, h.admin)).body;
    expect(ps.match(/ collected \$0\.10 from pot$/gm)).toHaveLength(2);
    expect(ps.match(/^Seat \d: .* showed \[.*\] and won \(\$0\.10\) with /gm)).toHaveLength(2);
    expect(ps).toContain('Total pot $0.20 | Rake $0.00');
  });

  it('records, verifies and exports a hand ended by the action timer', async () => {
    const rows = await allHands(`&tableId=${h.tables.slow}&status=settled`);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const d = (await get(`${base}/api/admin/hands/${rows.at(-1)!.handId}`, h.admin)).body as Detail;
    const i = d.events.findIndex((e) => e.type === 'timeout');
    expect(i).toBeGreaterThan(0);
    expect(d.events[i + 1]).toMatchObject({ type: 'action', payload: { action: 'fold' } });
    expect((await post(`${base}/api/admin/hands/${rows.at(-1)!.handId}/verify`, {}, h.admin)).body).toMatchObject({ ok: true });
    const ps = (await text(`${base}/api/admin/hands/${rows.at(-1)!.handId}/export?format=pokerstars`, h.admin)).body;
    expect(ps).toMatch(/^(\S+) has timed out\n\1: folds$/m);
  });

  it('exports PHH that `npm run phh -- verify` replays to the same finishing stacks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'felt-phh-'));
    const files: string[] = [];
    // Raked hands are left out: the PHH replayer has no rake, so their finishing stacks differ by the rake.
    const tables = [h.tables.split, h.tables.holdem, h.tables.limit, h.tables.omaha, h.tables.slow];
    let expected = 1;
    for (const tableId of tables) expected += (await allHands(`&tableId=${tableId}&status=settled`)).length;
    for (const tableId of tables) {
      const res = await text(`${base}/api/admin/hands/export?format=phh&tableId=${tableId}`, h.admin);
      expect(res.status).toBe(200);
      expect(res.body).toContain('finishing_stacks = [');
      const file = path.join(dir, `${tableId}.phhs`);
      writeFileSync(file, res.body);
      files.push(file);
    }
    const row = (await allHands(`&tableId=${h.tables.holdem}&status=settled`))[0]!;
    const single = await text(`${base}/api/admin/hands/${row.handId}/export?format=phh`, h.admin);
    expect(single.body).toMatch(/^variant = 'NT'\n/);
    expect(single.body).toContain("table = 'Alcor II'");
    const file = path.join(dir, 'one.phh');
    writeFileSync(file, single.body);
    files.push(file);
    const { stdout } = await runFile('npm', ['run', '-s', 'phh', '--', 'verify', ...files], { cwd: path.join(__dirname, '../..') });
    expect(stdout.trim().split('\n').at(-1)).toBe(`${expected} passed, 0 failed`);
  }, 60_000);

  it('serves a player statement with running balances, paginated', async () => {
    const player = h.players[0]!.playerId;
    const first = await get(`${base}/api/admin/players/${player}/ledger?limit=2`, h.admin);
    expect(first.status).toBe(200);
    expect((first.body.accounts as Array<{ kind: string }>).map((a) => a.kind).sort()).toEqual(['seat', 'wallet']);
    expect(first.body.lines).toHaveLength(2);
    const all: Line[] = [...(first.body.lines as Line[])];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await get(`${base}/api/admin/players/${player}/ledger?limit=2&cursor=${cursor}`, h.admin);
      all.push(...next.body.lines);
      cursor = next.body.nextCursor;
    }
    expect(all.map((l) => l.kind)).toEqual(expect.arrayContaining(['credit', 'buy_in', 'hand_settlement', 'cash_out']));
    const wallet = all.filter((l) => l.account === 'wallet').reverse();
    let running = 0;
    for (const l of wallet) {
      running += Number(l.amount);
      expect(Number(l.balanceAfter)).toBeCloseTo(running, 6);
    }
    expect((await get(`${base}/api/admin/players/00000000-0000-4000-8000-000000000000/ledger`, h.admin)).status).toBe(404);
  });

  it('reports the reconciliation as JSON', async () => {
    const res = await get(`${base}/api/admin/reconcile`, h.admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, drift: [], unbalancedTransfers: [] });
  });

  it('`npm run hands` verifies every hand and exports a table', async () => {
    const lines: string[] = [];
    expect(await run(['verify', '--all'], h.felt.dataSource, (l) => lines.push(l))).toBe(0);
    const hands = await allHands();
    expect(lines).toHaveLength(hands.length + 1);
    expect(lines.at(-1)).toBe(`${hands.length} verified, 0 with differences`);
    expect(lines.slice(0, -1).every((l) => l.startsWith('OK   hand '))).toBe(true);
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'felt-hands-')), 'limit.txt');
    const exported: string[] = [];
    expect(await run(['export', '--format', 'pokerstars', '--table', h.tables.limit, '--out', out], h.felt.dataSource, (l) => exported.push(l))).toBe(0);
    expect(exported).toEqual([`wrote 2 hands to ${out}`]);
    expect(readFileSync(out, 'utf8').match(/^PokerStars Hand #\d+: {2}Hold'em Limit/gm)).toHaveLength(2);
    // With --hero: only the hero's hands, numbered site-wide, with the hero's cards and no one else's.
    const limitRows = await allHands(`&tableId=${h.tables.limit}&status=settled`);
    const hero = limitRows[0]!.players[0]!;
    const heroLines: string[] = [];
    expect(await run(['export', '--format', 'pokerstars', '--table', h.tables.limit, '--hero', hero.playerId], h.felt.dataSource, (l) => heroLines.push(l))).toBe(0);
    const heroText = heroLines.join('\n');
    const heroRows = limitRows.filter((x) => x.players.some((p) => p.playerId === hero.playerId));
    expect([...heroText.matchAll(/^PokerStars Hand #(\d+):/gm)].map((m) => m[1]).sort()).toEqual(heroRows.map((x) => x.siteHandNumber).sort());
    expect(heroText.match(/^Dealt to /gm)).toHaveLength(heroRows.length);
    const outsider = h.players.find((p) => !limitRows[0]!.players.some((x) => x.playerId === p.playerId))!;
    await expect(run(['export', '--format', 'phh', '--hand', limitRows[0]!.handId, '--hero', outsider.playerId], h.felt.dataSource, () => undefined)).rejects.toThrow(/hero_not_in_hand/);
    // The npm script itself, as an operator runs it.
    const { stdout } = await runFile('npm', ['run', '-s', 'hands', '--', 'verify', '--table', h.tables.omaha], {
      cwd: path.join(__dirname, '../..'), env: { ...process.env, DATABASE_URL: h.felt.config.DATABASE_URL },
    });
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^[1-9][0-9]* verified, 0 with differences$/);
    expect(await run(['verify'], h.felt.dataSource, () => undefined).catch((e: Error) => e.message)).toBe('choose --hand, --table or --all');
  }, 60_000);

  it('hides the hole cards of a live hand, and verifies it once voided (no money moved) under the older sha256(seed) commitment', async () => {
    const ds = h.felt.dataSource;
    const source = (await allHands(`&tableId=${h.tables.holdem}&status=settled`))[0]!;
    const stored = (await get(`${base}/api/admin/hands/${source.handId}`, h.admin)).body as Detail & { buttonSeat: number };
    const seed = randomBytes(32);
    const deck = shuffle(seed);
    const { handId } = await startHand(ds, {
      tableId: h.tables.holdem, buttonSeat: stored.buttonSeat, commitment: commitment(seed), commitmentScheme: SEED_SHA256_SCHEME,
      config: stored.config,
    });
    // The table's own first rows: start, posts and the deal of this seed's deck.
    const meta = parseMeta(stored.config);
    const { events } = startWithEvents(meta.engine, meta.seats.map((x) => ({ seat: x.seat, stack: x.stack })), stored.buttonSeat, deck);
    const start = stored.events[0]!;
    await appendHandEvents(ds, handId, [
      { seq: 0, type: 'start', payload: { ...start.payload, commitment: commitment(seed) } },
      ...events.map((e, i) => ({ seq: i + 1, type: e.type, payload: e })),
    ]);
    const live = (await get(`${base}/api/admin/hands/${handId}`, h.admin)).body as Detail;
    const deals = live.events.filter((e) => e.type === 'deal_hole');
    expect(deals).toHaveLength(2);
    expect(deals.every((e) => (e.payload as { cards?: string }).cards === '')).toBe(true);
    expect(JSON.stringify(live)).not.toContain((events.find((e) => e.type === 'deal_hole') as { cards: string }).cards);
    expect((await post(`${base}/api/admin/hands/${handId}/verify`, {}, h.admin)).status).toBe(400);
    await voidHand(ds, { handId, reason: 'test void', idempotencyKey: `void:${handId}`, seed: seedToHex(seed) });
    const verdict = await post(`${base}/api/admin/hands/${handId}/verify`, {}, h.admin);
    expect(verdict.body).toMatchObject({ ok: true, status: 'voided', differences: [] });
    expect(verdict.body.checked).toContain('sha256(seed) equals the commitment');
  });

  it('finds tampering with a stored ledger amount or the stored result', async () => {
    const row = (await allHands(`&tableId=${h.tables.holdem}&status=settled`))[0]!;
    const ds = h.felt.dataSource;
    const [entry] = (await ds.query(
      `SELECT e.id FROM ledger_entry e JOIN transfer t ON t.id = e.transfer_id JOIN account a ON a.id = e.account_id
       WHERE t.hand_id = $1 AND a.kind = 'seat' ORDER BY e.id LIMIT 1`,
      [row.handId],
    )) as Array<{ id: string }>;
    await ds.transaction(async (em) => {
      await em.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
      await em.query('UPDATE ledger_entry SET amount = amount + 1 WHERE id = $1', [entry!.id]);
      await em.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');
    });
    const res = await post(`${base}/api/admin/hands/${row.handId}/verify`, {}, h.admin);
    expect(res.body.ok).toBe(false);
    expect((res.body.differences as Array<{ field: string }>).some((d) => d.field.startsWith('ledger.net.'))).toBe(true);
    const other = (await allHands(`&tableId=${h.tables.limit}&status=settled`))[0]!;
    await ds.query(`UPDATE hand SET result = jsonb_set(result, '{rake}', '"5"') WHERE id = $1`, [other.handId]);
    const res2 = await post(`${base}/api/admin/hands/${other.handId}/verify`, {}, h.admin);
    expect(res2.body.differences).toEqual([{ field: 'result.rake', expected: '0', actual: '5' }]);
    expect((await get(`${base}/api/admin/reconcile`, h.admin)).body.ok).toBe(false);
    const lines: string[] = [];
    expect(await run(['verify', '--hand', row.handId], h.felt.dataSource, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/^FAIL hand .* ledger\.net\./);
  });
});
