/**
 * Admin player routes: find a player by username prefix, see one player (balance, seats held, recent
 * transfers) and pay a player out (debit: wallet → house_cash). Money moves only through the ledger.
 */
import { z } from 'zod';
import { type Chips, ZERO, chips, roundHalfUpToUnit } from '../../../shared/money';
import { debit } from '../ledger/transactions';
import { positiveHouseAmount, rethrowLedger } from './wallet-input';
import { findAdminPlayer, heldSeatsOf, recentTransfersOf, searchPlayers, setChatMuted, type AdminPlayerRow } from '../persistence/player.repository';
import { HandEntity } from '../persistence/entities/hand.entity';
import { LedgerEntryEntity } from '../persistence/entities/ledger-entry.entity';
import { HOUSE_UNIT, formatHouseAmount } from '../auth/house-unit';
import { isUuid } from '../auth/auth.service';
import { HttpError, type Router } from '../transport/router';
import { parseBody, requireAdmin, type RouteDeps } from '../transport/route-kit';
import { limitParam, queryOf } from '../transport/route-kit';

/** Recent transfers shown with one player. */
export const RECENT_TRANSFERS = 20;

// A cursor is the last username of the previous page (usernames are unique case-insensitively).
const usernameText = z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'may hold only A-Z a-z 0-9 _ . -');
const searchSchema = z.object({ query: usernameText.optional(), limit: limitParam.optional(), cursor: usernameText.optional() }).strict();
const debitSchema = z
  .object({
    amount: z.string().max(40),
    idempotencyKey: z.string().min(1).max(100),
    reason: z.string().trim().min(1).max(200),
  })
  .strict();

function playerView(row: AdminPlayerRow): Record<string, unknown> {
  return {
    playerId: row.id,
    username: row.username,
    role: row.role,
    balance: formatHouseAmount(chips(row.balance ?? '0')),
    createdAt: row.created_at.toISOString(),
    chatMuted: row.chat_muted,
  };
}

/** The pots of a stored hand result, as far as the summary needs them. */
interface ResultPots {
  pots?: Array<{ rake?: string; winners?: Array<{ playerId?: string; amount?: string }> }>;
}

/**
 * The rake a player paid in one hand: of every pot they won a share of, the pot's rake split in
 * proportion to the winners' shares. Rake is taken from the pot its winners collect, so this is the
 * part of the house's rake that came out of this player's winnings.
 */
export function rakePaidIn(result: ResultPots | null, playerId: string): Chips {
  let paid = ZERO;
  for (const pot of result?.pots ?? []) {
    const winners = pot.winners ?? [];
    const mine = winners.filter((w) => w.playerId === playerId).reduce((sum, w) => sum.plus(chips(w.amount ?? '0')), ZERO);
    const all = winners.reduce((sum, w) => sum.plus(chips(w.amount ?? '0')), ZERO);
    if (mine.isZero() || all.isZero()) continue;
    paid = paid.plus(chips(pot.rake ?? '0').times(mine).dividedBy(all));
  }
  return paid;
}

/** Money totals of one player, for the console's statement header; read-only. */
async function playerSummary(dataSource: RouteDeps['dataSource'], playerId: string): Promise<Record<string, unknown>> {
  // The seat entries of hand settlements are each hand's net result for the player (won minus put in).
  const totals = await dataSource
    .getRepository(LedgerEntryEntity)
    .createQueryBuilder('e')
    .innerJoin('e.account', 'a')
    .innerJoin('e.transfer', 't')
    .select(`coalesce(sum(e.amount) FILTER (WHERE t.kind = 'hand_settlement' AND a.kind = 'seat'), 0)::text`, 'net')
    .addSelect(`coalesce(sum(e.amount) FILTER (WHERE t.kind = 'credit' AND a.kind = 'wallet'), 0)::text`, 'credited')
    .addSelect(`coalesce(-sum(e.amount) FILTER (WHERE t.kind = 'debit' AND a.kind = 'wallet'), 0)::text`, 'paidOut')
    .where('a.player_id = :playerId', { playerId })
    .getRawOne<{ net: string; credited: string; paidOut: string }>();
  // Hands dealt to the player are the ones whose stored seat list names them (voided hands included);
  // the containment test uses the GIN index hand_seats_gin_idx.
  const hands = await dataSource
    .getRepository(HandEntity)
    .createQueryBuilder('h')
    .select('h.status', 'status')
    .addSelect('h.result', 'result')
    .where(`h.config->'seats' @> jsonb_build_array(jsonb_build_object('playerId', CAST(:playerId AS text)))`, { playerId })
    .getRawMany<{ status: string; result: ResultPots | null }>();
  const rakePaid = hands.filter((h) => h.status === 'settled').reduce((sum, h) => sum.plus(rakePaidIn(h.result, playerId)), ZERO);
  const cents = (x: Chips) => formatHouseAmount(roundHalfUpToUnit(x, HOUSE_UNIT));
  return {
    net: cents(chips(totals?.net ?? '0')),
    rakePaid: cents(rakePaid),
    handsPlayed: hands.filter((h) => h.status === 'settled').length,
    handsVoided: hands.filter((h) => h.status === 'voided').length,
    credited: cents(chips(totals?.credited ?? '0')),
    paidOut: cents(chips(totals?.paidOut ?? '0')),
  };
}

/** Registers GET /api/admin/players, GET /api/admin/players/:playerId (+ /summary) and POST …/debit. */
export function registerPlayerRoutes(router: Router, deps: RouteDeps): void {
  const { auth, dataSource } = deps;

  router.on('GET', '/api/admin/players', async (ctx) => {
    await requireAdmin(auth, ctx);
    const q = queryOf(searchSchema, ctx);
    const limit = q.limit ?? 50;
    const rows = await searchPlayers(dataSource, { prefix: q.query ?? '', cursor: q.cursor ?? null, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { json: { players: page.map(playerView), nextCursor: rows.length > limit ? page.at(-1)!.username.toLowerCase() : null } };
  });

  router.on('GET', '/api/admin/players/:playerId', async (ctx) => {
    await requireAdmin(auth, ctx);
    const playerId = (ctx.params.playerId ?? '').toLowerCase();
    if (!isUuid(playerId)) throw new HttpError('player_not_found');
    const row = await findAdminPlayer(dataSource, playerId);
    if (!row) throw new HttpError('player_not_found');
    const seatAccounts = await heldSeatsOf(dataSource, playerId);
    const transfers = await recentTransfersOf(dataSource, playerId, RECENT_TRANSFERS);
    const live = deps.seatsOf?.(playerId) ?? [];
    return {
      json: {
        ...playerView(row),
        // The live seat where this node runs the table; else the number recorded at buy-in, which every
        // node can read (the table may run on another node).
        seats: seatAccounts.map(({ seatNumber, ...s }) => ({ ...s, seat: live.find((l) => l.tableId === s.tableId)?.seat ?? seatNumber })),
        recentTransfers: transfers.map((t) => ({
          transferId: t.id,
          kind: t.kind,
          tableId: t.tableId,
          handId: t.handId,
          reason: t.reason,
          result: t.result,
          createdAt: t.createdAt.toISOString(),
        })),
      },
    };
  });

  router.on('GET', '/api/admin/players/:playerId/summary', async (ctx) => {
    await requireAdmin(auth, ctx);
    const playerId = (ctx.params.playerId ?? '').toLowerCase();
    if (!isUuid(playerId) || !(await auth.playerExists(playerId))) throw new HttpError('player_not_found');
    return { json: { playerId, ...(await playerSummary(dataSource, playerId)) } };
  });

  router.on('POST', '/api/admin/players/:playerId/mute', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    const { muted } = parseBody(z.object({ muted: z.boolean() }).strict(), ctx.body);
    const playerId = (ctx.params.playerId ?? '').toLowerCase();
    if (!isUuid(playerId) || !(await setChatMuted(dataSource, playerId, muted))) throw new HttpError('player_not_found');
    ctx.log.info({ adminId: admin.playerId, playerId, muted }, 'chat mute changed');
    return { json: { playerId, chatMuted: muted } };
  });

  router.on('POST', '/api/admin/players/:playerId/debit', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    const body = parseBody(debitSchema, ctx.body);
    const amount = positiveHouseAmount(body.amount);
    const playerId = (ctx.params.playerId ?? '').toLowerCase();
    if (!isUuid(playerId) || !(await auth.playerExists(playerId))) throw new HttpError('player_not_found');
    try {
      // The same key namespace rule as credits: the prefix keeps admin keys apart from the table server's.
      const idempotencyKey = `admin-debit:${body.idempotencyKey}`;
      const result = await debit(dataSource, { playerId, amount, idempotencyKey, actorId: admin.playerId, reason: body.reason });
      ctx.log.info({ adminId: admin.playerId, playerId, amount: body.amount, transferId: result.transferId }, 'admin debit');
      return { json: { transferId: String(result.transferId), balance: formatHouseAmount(result.walletBalance) } };
    } catch (error) {
      rethrowLedger(error);
    }
  });
}
