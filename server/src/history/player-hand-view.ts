/**
 * A finished hand as one of its players may see it afterwards: their own hole cards, the board, every
 * action, and only the cards that were shown at showdown. Folded and mucked hands of other players are
 * never part of it (the same rule the live table follows).
 */
import { formatAmount } from '../../../shared/money';
import { parseMeta, type StoredEvent, type StoredHand } from './hand-record';

interface ShowdownEntry {
  seat: number;
  shown?: boolean;
  cards?: unknown;
  description?: string;
}

/** What of one stored event the player at `seat` may see; null when nothing. */
function visibleEvent(e: StoredEvent, seat: number): StoredEvent | null {
  const eventSeat = e.payload.seat;
  if (e.type === 'deal_hole') return eventSeat === seat ? e : null;
  if (e.type === 'showdown' && eventSeat !== seat && e.payload.shown !== true) {
    const { cards: _hidden, description: _alsoHidden, ...rest } = e.payload;
    return { ...e, payload: rest };
  }
  return e;
}

/** The player's view of a finished hand they were dealt into; undefined when they were not. */
export function playerHandView(hand: StoredHand, playerId: string): Record<string, unknown> | undefined {
  const meta = parseMeta(hand.config);
  const mine = meta.seats.find((s) => s.playerId === playerId);
  if (!mine) return undefined;
  const result = (hand.result ?? null) as { board?: unknown; rake?: unknown; pots?: unknown; net?: Record<string, string>; showdown?: ShowdownEntry[] } | null;
  const showdown = (result?.showdown ?? []).filter((s) => s.shown === true || s.seat === mine.seat);
  return {
    handId: hand.handId,
    handNumber: hand.handNumber,
    tableId: hand.tableId,
    tableName: hand.tableName,
    status: hand.status,
    startedAt: hand.startedAt.toISOString(),
    endedAt: hand.endedAt?.toISOString() ?? null,
    buttonSeat: hand.buttonSeat,
    voidReason: hand.voidReason,
    yourSeat: mine.seat,
    seats: meta.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, username: hand.usernames[s.playerId] ?? '', stack: formatAmount(s.stack, meta.engine.unit) })),
    events: hand.events.flatMap((e) => visibleEvent(e, mine.seat) ?? []),
    result: result ? { board: result.board ?? [], rake: result.rake ?? null, pots: result.pots ?? [], net: result.net ?? {}, showdown } : null,
  };
}
