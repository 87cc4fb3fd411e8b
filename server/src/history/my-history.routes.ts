/**
 * A player's own history: the hands they were dealt into, one hand as they may see it (JSON, or
 * PokerStars text with themselves as hero) and their ledger statement. Hands still in progress are
 * not shown here: the live table is where they are played.
 */
import { z } from 'zod';
import { isUuid } from '../auth/auth.service';
import { authenticate, type RouteDeps } from '../transport/route-kit';
import { HttpError, type Router } from '../transport/router';
import { limitParam, queryOf } from '../transport/route-kit';
import { loadHands, playerStatement, searchHands } from './hand-query';
import { HandRecordError } from './hand-record';
import { playerHandView } from './player-hand-view';
import { pokerStarsFromStored } from './pokerstars-export';

const listSchema = z.object({ limit: limitParam.optional(), cursor: z.string().max(200).optional() }).strict();
const handSchema = z.object({ format: z.enum(['json', 'pokerstars']).optional() }).strict();
const statementSchema = z.object({ limit: limitParam.optional(), cursor: z.string().regex(/^[0-9]{1,19}$/).optional() }).strict();

/** Registers GET /api/me/hands, GET /api/me/hands/:handId and GET /api/me/ledger. */
export function registerMyHistoryRoutes(router: Router, deps: RouteDeps): void {
  const { auth, dataSource } = deps;

  router.on('GET', '/api/me/hands', async (ctx) => {
    const me = authenticate(auth, ctx);
    const q = queryOf(listSchema, ctx);
    try {
      const page = await searchHands(dataSource, { playerId: me.playerId.toLowerCase() }, q.limit ?? 50, q.cursor);
      return { json: { hands: page.hands.filter((h) => h.status !== 'in_progress'), nextCursor: page.nextCursor } };
    } catch (e) {
      if (e instanceof RangeError || e instanceof SyntaxError) throw new HttpError('invalid_payload', 'cursor is not valid');
      throw e;
    }
  });

  router.on('GET', '/api/me/hands/:handId', async (ctx) => {
    const me = authenticate(auth, ctx);
    const q = queryOf(handSchema, ctx);
    const handId = (ctx.params.handId ?? '').toLowerCase();
    if (!isUuid(handId)) throw new HttpError('hand_not_found');
    const [hand] = await loadHands(dataSource, [handId]);
    // A hand the caller was not dealt into is answered exactly like a hand that does not exist.
    const view = hand && hand.status !== 'in_progress' ? viewOf(hand, me.playerId.toLowerCase()) : undefined;
    if (!hand || !view) throw new HttpError('hand_not_found');
    if (q.format !== 'pokerstars') return { json: view };
    if (hand.status !== 'settled') throw new HttpError('invalid_payload', `hand ${hand.handNumber} was ${hand.status}; only settled hands have a PokerStars record`);
    return { body: `${pokerStarsFromStored(hand, me.playerId.toLowerCase())}\n`, contentType: 'text/plain; charset=utf-8', headers: { 'cache-control': 'no-store' } };
  });

  router.on('GET', '/api/me/ledger', async (ctx) => {
    const me = authenticate(auth, ctx);
    const q = queryOf(statementSchema, ctx);
    const playerId = me.playerId.toLowerCase();
    return { json: { playerId, ...(await playerStatement(dataSource, playerId, q.limit ?? 50, q.cursor)) } };
  });
}

function viewOf(hand: Parameters<typeof playerHandView>[0], playerId: string): Record<string, unknown> | undefined {
  try {
    return playerHandView(hand, playerId);
  } catch (e) {
    if (e instanceof HandRecordError) return undefined;
    throw e;
  }
}
