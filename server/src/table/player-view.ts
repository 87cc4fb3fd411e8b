/**
 * The table:state half of the outbound module: every table:state frame is built here and nowhere
 * else (outbound.ts calls it; outbound-messages.ts builds every other message): hole cards appear only
 * in the owner's own `you.holeCards`, other players' cards only once shown at showdown, future board
 * cards never leave the server before they are dealt, and the deck and its seed never leave it at all
 * (only the commitment and, after the hand, openings; see outbound-messages.ts).
 */
import { formatAmount, ZERO, type Chips } from '../../../shared/money';
import { formatCard } from '../../../shared/engine/cards';
import { legalActions } from '../../../shared/engine/hand';
import type { HandState, SeatState } from '../../../shared/engine/types';
import type { LegalActionsView, SeatStatus, SeatView, TableConfigView, TablePhase, TableView } from '../../../shared/protocol';
import type { LiveHand, TableConfig, TableSeat } from './table-types';
import { isConnected, showsSittingOut } from './seat-machine';

/** What the view builder needs from the actor's context. */
export interface ViewSource {
  config: TableConfig;
  seats: ReadonlyArray<TableSeat | null>;
  phase: TablePhase;
  hand: LiveHand | null;
  button: number | null;
  seq: number;
  /** Cards shown at the last showdown, by table seat, kept until the next deal. */
  shownCards: Record<number, string[]>;
}

/** The static part of a table's view. */
export function configView(config: TableConfig): TableConfigView {
  const f = (c: Chips) => formatAmount(c, config.unit);
  return {
    variant: config.variant,
    maxSeats: config.maxSeats,
    smallBlind: f(config.smallBlind),
    bigBlind: f(config.bigBlind),
    ante: f(config.ante),
    minBuyIn: f(config.minBuyIn),
    maxBuyIn: f(config.maxBuyIn),
    unit: config.unit.toString(),
    rakePercent: config.rakePercent.toString(),
    rakeCap: f(config.rakeCap),
    actionTimeoutMs: config.actionTimeoutMs,
    timeBankMs: config.timeBankMs,
  };
}

/** Builds the view of `source` for `viewerId` (null = a watcher who is not seated). */
export function buildView(source: ViewSource, viewerId: string | null): TableView {
  return personalise(buildPublicView(source), source, viewerId);
}

/**
 * The part of the view every viewer shares (no hole cards, no legal actions). Broadcasts build it once
 * and `personalise` it per seated player, instead of rebuilding every seat for every recipient.
 */
export function buildPublicView(source: ViewSource): TableView {
  const { config, hand } = source;
  const engine = hand?.engine;
  const f = (c: Chips) => formatAmount(c, config.unit);
  const engineSeatByTableSeat = new Map<number, SeatState>();
  if (engine) for (const s of engine.seats) engineSeatByTableSeat.set(s.seat, s);
  const seats: SeatView[] = [];
  for (const seat of source.seats) {
    if (!seat || seat.state.kind === 'reserving') continue;
    seats.push(seatView(seat, engineSeatByTableSeat.get(seat.seat), source, f));
  }
  const toAct = engine && engine.toAct !== undefined ? engine.seats[engine.toAct] : undefined;
  return {
    tableId: config.tableId,
    name: config.name,
    config: configView(config),
    phase: source.phase,
    handId: hand?.handId ?? null,
    handNumber: hand?.handNumber ?? null,
    seq: source.seq,
    button: source.button,
    street: engine ? (engine.street === 'complete' ? 'showdown' : engine.street) : null,
    board: engine ? engine.board.map(formatCard) : [],
    pots: engine ? [{ amount: f(collectedPot(engine)) }] : [],
    seats,
    turn: toAct && source.phase === 'hand' && hand ? { seat: toAct.seat, deadline: hand.deadline ?? 0, number: hand.turnNumber, timeBank: !!hand.bank } : null,
    commitment: hand?.commitment ?? null,
    you: null,
  };
}

/** Adds what only `viewerId` may see: their seat, their own hole cards, and their legal actions on their turn. */
export function personalise(base: TableView, source: ViewSource, viewerId: string | null): TableView {
  if (!viewerId) return base;
  const engine = source.hand?.engine;
  const viewerSeat = source.seats.find((s) => s?.playerId === viewerId) ?? null;
  const mine = viewerSeat && engine ? engine.seats.find((s) => s.seat === viewerSeat.seat) : undefined;
  const myTurn = !!mine && !!base.turn && base.turn.seat === mine.seat;
  const f = (c: Chips) => formatAmount(c, source.config.unit);
  return {
    ...base,
    you: {
      playerId: viewerId,
      seat: viewerSeat?.seat ?? null,
      legal: myTurn && engine ? legalView(engine, f) : null,
      holeCards: mine && !mine.folded ? mine.hole.map(formatCard) : [],
    },
  };
}

function seatView(seat: TableSeat, inHand: SeatState | undefined, source: ViewSource, f: (c: Chips) => string): SeatView {
  const base = {
    seat: seat.seat,
    playerId: seat.playerId,
    username: seat.username,
    connected: isConnected(seat),
    timeBankMs: seat.timeBankMs,
  };
  const shown = source.shownCards[seat.seat];
  if (inHand && source.phase !== 'between_hands' && source.phase !== 'waiting') {
    const status: SeatStatus = inHand.folded ? 'folded' : inHand.allIn ? 'all_in' : 'active';
    return {
      ...base,
      stack: f(inHand.stack),
      bet: f(inHand.streetBet),
      status,
      holeCardCount: inHand.folded ? 0 : inHand.hole.length,
      ...(shown ? { shownCards: shown } : {}),
    };
  }
  return {
    ...base,
    stack: f(seat.stack),
    bet: f(ZERO),
    status: showsSittingOut(seat) ? 'sitting_out' : 'waiting',
    holeCardCount: 0,
    ...(shown ? { shownCards: shown } : {}),
  };
}

/** Chips already gathered into the middle (everything contributed minus this street's open bets). */
function collectedPot(engine: HandState): Chips {
  let total = ZERO;
  for (const s of engine.seats) total = total.plus(s.contributed).minus(s.streetBet);
  return total;
}

function legalView(engine: HandState, f: (c: Chips) => string): LegalActionsView | null {
  const legal = legalActions(engine);
  if (!legal) return null;
  const actions: LegalActionsView['actions'] = [];
  if (legal.canFold) actions.push('fold');
  if (legal.canCheck) actions.push('check');
  else if (legal.callAmount.gt(0)) actions.push('call');
  if (legal.canBet) actions.push('bet');
  if (legal.canRaise) actions.push('raise');
  return {
    actions,
    callAmount: f(legal.callAmount),
    minTo: legal.minTo ? f(legal.minTo) : null,
    maxTo: legal.maxTo ? f(legal.maxTo) : null,
  };
}
