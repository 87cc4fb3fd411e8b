/**
 * Admin hand-history routes (role admin): search, detail, verify and export of hands, a player's
 * ledger statement, the reconcile report, and the static admin console at /admin. Read-only: nothing
 * here moves chips. Every query string is parsed with a strict zod schema like a body would be.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { staticDir } from '../transport/static-files';
import { z } from 'zod';
import { isUuid } from '../auth/auth.service';
import { reconcile } from '../ledger/reconcile';
import { HttpError, type RouteContext, type RouteResult, type Router } from '../transport/router';
import { parseBody, requireAdmin, type RouteDeps } from '../transport/route-kit';
import { type HandFilter, MAX_PAGE, loadHands, matchingHandIds, playerStatement, searchHands } from '../history/hand-query';
import { type StoredHand, HandRecordError, parseMeta } from '../history/hand-record';
import { verifyStoredHand } from '../history/hand-verify';
import { HeroNotInHandError, pokerStarsFile, pokerStarsFromStored } from '../history/pokerstars-export';
import { phhsText, phhText } from '../history/phh-export';
import { handSteps } from '../history/hand-steps';
import { chips, formatAmount } from '../../../shared/money';
import { chatOfHand } from '../chat/chat-room';
import { redactLiveEvents } from '../table/outbound-messages';

/** Most hands one bulk export may contain. */
export const MAX_EXPORT_HANDS = 1000;

const uuid = z.string().refine(isUuid, 'must be a uuid');
// An ISO 8601 date with an optional time and zone. JavaScript alone would accept `99999` or
// `+275760-09-13` as dates that PostgreSQL cannot store, so the year of the UTC instant must be 1..9999.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const isoDate = z
  .string()
  .max(40)
  .refine((s) => {
    const ms = ISO_DATE.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(ms)) return false;
    const year = new Date(ms).getUTCFullYear();
    return year >= 1 && year <= 9999;
  }, 'must be an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]) in years 1..9999');
// Statement cursors are ledger entry ids, PostgreSQL bigints: at most 2^63 - 1.
const entryCursor = z
  .string()
  .regex(/^[0-9]{1,19}$/)
  .refine((s) => BigInt(s) <= 9223372036854775807n, 'must be a ledger entry id');
const limit = z.string().regex(/^[0-9]{1,4}$/).transform(Number).refine((n) => n >= 1 && n <= MAX_PAGE, `must be 1..${MAX_PAGE}`);
const filterFields = {
  tableId: uuid.optional(),
  playerId: uuid.optional(),
  username: z.string().min(1).max(64).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  status: z.enum(['in_progress', 'settled', 'voided']).optional(),
};
const searchSchema = z.object({ ...filterFields, limit: limit.optional(), cursor: z.string().max(200).optional() }).strict();
const formatField = z.enum(['pokerstars', 'phh']);
const bulkExportSchema = z.object({ ...filterFields, format: formatField, hero: uuid.optional() }).strict();
const exportSchema = z.object({ format: formatField, hero: uuid.optional() }).strict();
const statementSchema = z.object({ limit: limit.optional(), cursor: entryCursor.optional() }).strict();
const emptySchema = z.object({}).strict();

function queryOf<T>(schema: z.ZodType<T>, ctx: RouteContext): T {
  const entries = [...ctx.query.entries()];
  if (new Set(entries.map(([k]) => k)).size !== entries.length) throw new HttpError('invalid_payload', 'a query parameter is repeated');
  return parseBody(schema, Object.fromEntries(entries.filter(([, v]) => v !== '')));
}

function filterOf(q: { tableId?: string; playerId?: string; username?: string; from?: string; to?: string; status?: HandFilter['status'] }): HandFilter {
  return {
    ...(q.tableId ? { tableId: q.tableId } : {}),
    ...(q.playerId ? { playerId: q.playerId.toLowerCase() } : {}),
    ...(q.username ? { username: q.username } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.status ? { status: q.status } : {}),
  };
}

function download(text: string, filename: string): RouteResult {
  return {
    body: text,
    contentType: 'text/plain; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  };
}

/**
 * A hand still being played, with its hole cards removed: an admin (or a stolen admin token) must not
 * be able to read live cards and pass them to a player. They become visible once the hand has ended.
 */
function redactLive(hand: StoredHand): StoredHand {
  // The rule lives with every other "who may see what" rule, in the table's outbound module.
  return hand.status === 'in_progress' ? { ...hand, events: redactLiveEvents(hand.status, hand.events) } : hand;
}

/** The admin's view of one hand: row, config, seats, events, pots and winners, ledger, seed, replayer steps. */
export function handDetail(stored: StoredHand): Record<string, unknown> {
  const hand = redactLive(stored);
  let seats: unknown[] = [];
  let steps: unknown[] = [];
  let config = hand.config;
  // Amounts are shown in the table unit's scale ("149.50", not "149.5"); without a readable config, as stored.
  let f = (x: string) => x;
  try {
    const meta = parseMeta(hand.config);
    const unit = meta.engine.unit;
    f = (x: string) => formatAmount(chips(x), unit);
    seats = meta.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, username: hand.usernames[s.playerId] ?? '', stack: formatAmount(s.stack, unit) }));
    config = scaledConfig(hand.config, f);
    steps = handSteps(hand);
  } catch (e) {
    if (!(e instanceof HandRecordError)) throw e;
  }
  const result = (hand.result ?? null) as { pots?: unknown } | null;
  return {
    handId: hand.handId, handNumber: hand.handNumber, siteHandNumber: hand.siteHandNumber, tableId: hand.tableId, tableName: hand.tableName, status: hand.status,
    buttonSeat: hand.buttonSeat, startedAt: hand.startedAt.toISOString(), endedAt: hand.endedAt?.toISOString() ?? null,
    commitment: hand.commitment, commitmentScheme: hand.commitmentScheme, seed: hand.seed, voidReason: hand.voidReason,
    config, seats, events: hand.events, result: hand.result, pots: result?.pots ?? [],
    transfers: hand.transfers.map((t) => ({
      ...t,
      entries: t.entries.map((e) => ({
        ...e, amount: f(e.amount), balanceAfter: f(e.balanceAfter), username: e.playerId ? hand.usernames[e.playerId] ?? '' : null,
      })),
    })),
    steps,
  };
}

const ENGINE_AMOUNTS = ['smallBlind', 'bigBlind', 'ante', 'minBet', 'smallBet', 'bigBet', 'rakeCap'] as const;

/** The stored hand config with the engine's amounts written in the unit's scale. */
function scaledConfig(config: unknown, f: (x: string) => string): unknown {
  const engine = (config as { engine?: Record<string, unknown> } | null)?.engine;
  if (!engine) return config;
  const scaled = { ...engine };
  for (const k of ENGINE_AMOUNTS) if (typeof scaled[k] === 'string') scaled[k] = f(scaled[k]);
  return { ...(config as object), engine: scaled };
}

async function oneHand(deps: RouteDeps, handId: string | undefined): Promise<StoredHand> {
  if (!handId || !isUuid(handId)) throw new HttpError('hand_not_found');
  const [hand] = await loadHands(deps.dataSource, [handId.toLowerCase()]);
  if (!hand) throw new HttpError('hand_not_found');
  return hand;
}

function exportable(hand: StoredHand): void {
  if (hand.status !== 'settled') throw new HttpError('invalid_payload', `hand ${hand.siteHandNumber} is ${hand.status}; only settled hands can be exported`);
}

/** Refuses a hero who was not dealt into the hand, whatever the format, before anything is written. */
function requireHero(hand: StoredHand, hero: string | undefined): void {
  if (hero === undefined) return;
  let dealt: boolean;
  try {
    dealt = parseMeta(hand.config).seats.some((s) => s.playerId === hero);
  } catch (e) {
    if (e instanceof HandRecordError) throw new HttpError('internal', `hand ${hand.siteHandNumber} cannot be read: ${e.message}`);
    throw e;
  }
  if (!dealt) throw new HttpError('hero_not_in_hand', `player ${hero} was not dealt into hand ${hand.siteHandNumber}`);
}

function exportOne(hand: StoredHand, format: 'pokerstars' | 'phh', hero?: string): string {
  requireHero(hand, hero);
  try {
    return format === 'phh' ? phhText(hand) : `${pokerStarsFromStored(hand, hero)}\n`;
  } catch (e) {
    if (e instanceof HandRecordError) throw new HttpError('internal', `hand ${hand.siteHandNumber} cannot be re-executed: ${e.message}`);
    if (e instanceof HeroNotInHandError) throw new HttpError('hero_not_in_hand', e.message);
    throw e;
  }
}

/** Registers the hand-history admin API and the /admin console. */
export function registerHistoryRoutes(router: Router, deps: RouteDeps): void {
  const { auth, dataSource } = deps;

  router.on('GET', '/api/admin/hands', async (ctx) => {
    await requireAdmin(auth, ctx);
    const q = queryOf(searchSchema, ctx);
    try {
      return { json: await searchHands(dataSource, filterOf(q), q.limit ?? 50, q.cursor) };
    } catch (e) {
      if (e instanceof RangeError) throw new HttpError('invalid_payload', 'cursor is not valid');
      throw e;
    }
  });

  // Registered before /:handId so that "export" is never read as a hand id.
  router.on('GET', '/api/admin/hands/export', async (ctx) => {
    await requireAdmin(auth, ctx);
    const q = queryOf(bulkExportSchema, ctx);
    const hero = q.hero?.toLowerCase();
    // A hero export is the hero's own hands: the hero is the player filter (a different one is a contradiction).
    if (hero && q.playerId && q.playerId.toLowerCase() !== hero) throw new HttpError('invalid_payload', 'hero and playerId name different players');
    const ids = await matchingHandIds(dataSource, { ...filterOf(q), ...(hero ? { playerId: hero } : {}), status: 'settled' }, MAX_EXPORT_HANDS);
    const hands = await loadHands(dataSource, ids);
    const stamp = new Date().toISOString().slice(0, 10);
    if (q.format === 'phh') return download(phhsText(hands), `felt-hands-${stamp}.phhs`);
    return download(pokerStarsFile(hands.map((h) => exportOne(h, 'pokerstars', hero).trimEnd())), `felt-hands-${stamp}.txt`);
  });

  router.on('GET', '/api/admin/hands/:handId', async (ctx) => {
    await requireAdmin(auth, ctx);
    const hand = await oneHand(deps, ctx.params.handId);
    return { json: { ...handDetail(hand), chat: await chatOfHand(dataSource, hand.handId) } };
  });

  router.on('POST', '/api/admin/hands/:handId/verify', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    parseBody(emptySchema, ctx.body ?? {});
    const hand = await oneHand(deps, ctx.params.handId);
    // A verdict lists differing events with their cards, so a live hand is verified only once it ends.
    if (hand.status === 'in_progress') throw new HttpError('invalid_payload', `hand ${hand.siteHandNumber} is still in progress; verify it once it ends`);
    const verdict = verifyStoredHand(hand);
    ctx.log.info({ adminId: admin.playerId, handId: hand.handId, ok: verdict.ok }, 'hand verified');
    return { json: verdict };
  });

  router.on('GET', '/api/admin/hands/:handId/export', async (ctx) => {
    await requireAdmin(auth, ctx);
    const q = queryOf(exportSchema, ctx);
    const hand = await oneHand(deps, ctx.params.handId);
    exportable(hand);
    const ext = q.format === 'phh' ? 'phh' : 'txt';
    return download(exportOne(hand, q.format, q.hero?.toLowerCase()), `felt-hand-${hand.siteHandNumber}.${ext}`);
  });

  router.on('GET', '/api/admin/players/:playerId/ledger', async (ctx) => {
    await requireAdmin(auth, ctx);
    const q = queryOf(statementSchema, ctx);
    const playerId = (ctx.params.playerId ?? '').toLowerCase();
    if (!isUuid(playerId) || !(await auth.playerExists(playerId))) throw new HttpError('player_not_found');
    return { json: { playerId, ...(await playerStatement(dataSource, playerId, q.limit ?? 50, q.cursor)) } };
  });

  router.on('GET', '/api/admin/reconcile', async (ctx) => {
    await requireAdmin(auth, ctx);
    return { json: await reconcile(dataSource) };
  });

  registerConsole(router);
}

/** Content types of the console's files. */
const CONSOLE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'hands.js': 'text/javascript; charset=utf-8',
  'replayer.js': 'text/javascript; charset=utf-8',
  'players.js': 'text/javascript; charset=utf-8',
  'tables.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The console loads only its own script and style and talks only to this origin. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function registerConsole(router: Router): void {
  const dir = staticDir(__dirname, path.join('server', 'src', 'admin', 'public'));
  const serve = (file: string): RouteResult => ({
    body: readFileSync(path.join(dir, file)),
    contentType: CONSOLE_FILES[file]!,
    headers: {
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    },
  });
  router.on('GET', '/admin', () => serve('index.html'));
  for (const file of Object.keys(CONSOLE_FILES)) router.on('GET', `/admin/${file}`, () => serve(file));
}
