/**
 * Hand steps of the table actor: deal, record, act, time out, settle, void. Functions return the
 * context changes for `assign`; side effects are broadcasts and queued history rows. Settlement is
 * checked twice: the engine asserts chip conservation after every step, and after the ledger commits
 * we assert that every seat's committed balance equals its starting stack plus its engine net.
 */
import { type Chips } from '../../../shared/money';
import { formatCard } from '../../../shared/engine/cards';
import { apply, isComplete, legalActions } from '../../../shared/engine/hand';
import type { ApplyResult, HandEvent, HandResult, PlayerAction } from '../../../shared/engine/types';
import type { ErrorCode } from '../../../shared/codes';
import { SeatDriftError } from '../ledger/errors';
import { seatOf, seatedPlayerIds, updateSeat } from './seating';
import type { TableContext } from './table-machine';
import { broadcastState } from './outbound';
import { dealHand, publicEvent, resultMessage, resultSummary, settlementDeltas, startEventPayload, toRows } from './hand-flow';
import { handOpenings, openingsMessage } from './hand-flow';
import { DECK_MERKLE_SCHEME } from '../../../shared/engine/deck-commitment';
import { handConfigOf, type TableEvent, type LiveHand } from './table-types';
import { serialiseHandConfig } from './hand-flow';

type ActEvent = Extract<TableEvent, { type: 'player.act' }>;
type TryAnswer = ApplyResult | { ok: false; code: ErrorCode; message: string };

/** Consecutive timeouts after which a player is sat out. */
export const MAX_CONSECUTIVE_TIMEOUTS = 2;

/** Deals the next hand into the context (the hand row is written next, by recordHandStart). */
export function startHand(context: TableContext): Partial<TableContext> {
  const handNumber = context.lastHandNumber + 1;
  const { hand, button } = dealHand(
    context.config,
    context.seats,
    context.button,
    handNumber,
    '',
    context.deps.randomSeed(),
    context.deps.now(),
  );
  return { hand, button, lastHandNumber: handNumber, shownCards: {}, seq: context.seq + 1 };
}

/** Writes the hand row (status in_progress, commitment) and the deal before anything of the hand is shown. */
export async function recordHandStart(context: TableContext): Promise<{ handId: string }> {
  const hand = requireHand(context);
  const { rows } = toRows(hand, hand.engine.events);
  return context.deps.ledger.startHand({
    tableId: context.config.tableId,
    handNumber: hand.handNumber,
    buttonSeat: context.button!,
    commitment: hand.commitment,
    commitmentScheme: DECK_MERKLE_SCHEME,
    config: {
      tableName: context.config.name,
      maxSeats: context.config.maxSeats,
      // The exact engine configuration, so a hand can be re-executed later with the same rules.
      engine: serialiseHandConfig(handConfigOf(context.config)),
      seats: startEventPayload(context.config, hand, context.button!).seats,
    },
    events: [
      { seq: 0, type: 'start', payload: startEventPayload(context.config, hand, context.button!) },
      ...rows.map(({ seq, type, payload }) => ({ seq, type, payload })),
    ],
    seatStacks: hand.engine.seats.map((s) => ({ playerId: hand.playerBySeat[s.seat]!, stack: s.startingStack })),
  });
}

/**
 * Forgets a hand whose row could not be written: nothing of it was shown and no chips moved. A seat
 * that disagrees with the ledger is a broken invariant: rethrowing stops the actor (the table halts).
 */
export function dropUnstartedHand(_context: TableContext, error: unknown): Partial<TableContext> {
  if (error instanceof SeatDriftError) throw error;
  return { hand: null };
}

/** After the hand row and the deal are stored: send each player their cards and announce the posts. */
export function announceHand(context: TableContext, handId: string): Partial<TableContext> {
  const hand = { ...requireHand(context), handId };
  // The deal's rows were written with the hand row itself (recordHandStart).
  const nextSeq = hand.nextEventSeq + hand.engine.events.length;
  for (const s of hand.engine.seats) {
    const playerId = hand.playerBySeat[s.seat]!;
    context.deps.broadcaster.cards(playerId, { tableId: context.config.tableId, handId: hand.handId, cards: s.hole.map(formatCard), commitment: hand.commitment });
  }
  publish(context, hand, hand.engine.events, 1);
  context.deps.logger.info({ handId: hand.handId, handNumber: hand.handNumber, players: hand.engine.seats.length }, 'hand started');
  return { hand: { ...hand, nextEventSeq: nextSeq } };
}

/**
 * Entering a turn: set the deadline and show the new state. At the deal everyone gets a full view;
 * after that only the player now to act (who needs legal actions) and the one who just acted (whose
 * offer is withdrawn) get new views, because everyone already received the action or the new street
 * as a hand:event. Frames per action dominate the server's cost under load (see the closing notes of
 * bench:flood), so nothing is sent twice.
 */
export function beginTurn(context: TableContext): Partial<TableContext> {
  const hand = requireHand(context);
  if (isComplete(hand.engine)) return {};
  const toAct = hand.engine.toAct === undefined ? undefined : hand.engine.seats[hand.engine.toAct];
  const turnPlayerId = toAct ? hand.playerBySeat[toAct.seat] ?? null : null;
  // The same turn goes on on the time bank: a new deadline for everyone to see, but no new turn number.
  const banking = !!hand.bank && !hand.bank.announced && hand.bank.playerId === turnPlayerId;
  const fullView = hand.announcedStreet === null || banking;
  const next: LiveHand = {
    ...hand,
    deadline: context.deps.now() + (banking ? hand.bank!.grantedMs : context.config.actionTimeoutMs),
    announcedStreet: hand.engine.street,
    turnPlayerId,
    turnNumber: banking ? hand.turnNumber : hand.turnNumber + 1,
    bank: banking ? { ...hand.bank!, announced: true } : hand.bank,
  };
  const seq = context.seq + 1;
  // The player who acted last on a street is often first on the next: they get one view, not two.
  const only = fullView ? undefined : [...new Set([hand.turnPlayerId, turnPlayerId])].filter((p): p is string => !!p);
  broadcastState({ ...context, hand: next, seq }, 'hand', only);
  return { hand: next, seq };
}

/** True once the engine says the hand is over. */
export function isHandComplete(context: TableContext): boolean {
  return !!context.hand && isComplete(context.hand.engine);
}

/** True when the player to act asked to leave: they fold without waiting for the timer. */
export function turnPlayerAway(context: TableContext): boolean {
  const engine = context.hand?.engine;
  if (!engine || engine.toAct === undefined) return false;
  const playerId = context.hand!.playerBySeat[engine.seats[engine.toAct]!.seat];
  return !!playerId && !!seatOf(context.seats, playerId)?.leaving;
}

// The guard validates an action and the transition's action commits it; caching the engine's answer
// per event object means the pure engine runs once per request.
const tried = new WeakMap<ActEvent, TryAnswer>();

/** Validates a player's action against the current hand without changing anything. */
export function tryAct(context: TableContext, event: ActEvent): TryAnswer {
  const cached = tried.get(event);
  if (cached) return cached;
  const hand = context.hand;
  let answer: TryAnswer;
  if (!hand || hand.handId !== event.handId) answer = { ok: false, code: 'stale_hand', message: 'that hand is not the current hand' };
  else {
    const seat = Object.entries(hand.playerBySeat).find(([, p]) => p === event.playerId)?.[0];
    if (seat === undefined) answer = { ok: false, code: 'not_seated', message: 'you are not in this hand' };
    else {
      const action: PlayerAction = { seat: Number(seat), type: event.action, ...(event.to ? { to: event.to } : {}) };
      answer = apply(hand.engine, action);
    }
  }
  tried.set(event, answer);
  return answer;
}

/** Commits an accepted action: new engine state, history rows, public events, the ack. */
export function commitAct(context: TableContext, event: ActEvent): Partial<TableContext> {
  const answer = tried.get(event) ?? tryAct(context, event);
  if (!answer.ok) throw new Error('commitAct without an accepted action');
  const hand = advance(context, answer.state, answer.events);
  event.reply({ ok: true, seq: context.seq + 1 });
  let seats = updateSeat(context.seats, event.playerId, { timeouts: 0 });
  const bank = context.hand?.bank;
  // What the player did not use of their time bank goes back into it.
  if (bank && bank.playerId === event.playerId) {
    seats = updateSeat(seats, event.playerId, { timeBankMs: Math.min(bank.grantedMs, Math.max(0, (context.hand!.deadline ?? 0) - context.deps.now())) });
  }
  return { hand: { ...hand, bank: null }, seats };
}

/** True when the player whose action timer just ran out still has time in their bank. */
export function canUseTimeBank(context: TableContext): boolean {
  const hand = context.hand;
  if (!hand || hand.bank || !hand.turnPlayerId) return false;
  return (seatOf(context.seats, hand.turnPlayerId)?.timeBankMs ?? 0) > 0;
}

/** The action timer ran out: the player draws their whole time bank (the rest is refunded when they act). */
export function startTimeBank(context: TableContext): Partial<TableContext> {
  const hand = requireHand(context);
  const playerId = hand.turnPlayerId!;
  const grantedMs = seatOf(context.seats, playerId)!.timeBankMs;
  context.deps.logger.info({ handId: hand.handId, playerId, grantedMs }, 'time bank started');
  return { hand: { ...hand, bank: { playerId, grantedMs, announced: false } }, seats: updateSeat(context.seats, playerId, { timeBankMs: 0 }) };
}

/** Answers a refused action with its code. */
export function rejectAct(context: TableContext, event: ActEvent): void {
  const answer = tried.get(event) ?? tryAct(context, event);
  if (answer.ok) throw new Error('rejectAct on an accepted action');
  const code: ErrorCode = answer.code === 'hand_complete' ? 'stale_hand' : answer.code;
  event.reply({ ok: false, error: { code, message: answer.message } });
}

/** The action timer fired: check if possible, else fold; repeated timeouts sit the player out. */
export function applyTimeout(context: TableContext): Partial<TableContext> {
  const hand = requireHand(context);
  const legal = legalActions(hand.engine);
  if (!legal) return {};
  const playerId = hand.playerBySeat[legal.seat]!;
  const seat = seatOf(context.seats, playerId)!;
  const timeouts = seat.timeouts + 1;
  context.deps.logger.info({ handId: hand.handId, playerId, seat: legal.seat, timeouts }, 'action timed out');
  context.writer.push([{ handId: hand.handId, seq: hand.nextEventSeq, type: 'timeout', payload: { type: 'timeout', seat: legal.seat } }]);
  context.deps.broadcaster.event(context.config.tableId, seatedPlayerIds(context.seats), {
    tableId: context.config.tableId, handId: hand.handId, seq: hand.nextEventSeq, type: 'timeout', seat: legal.seat,
  });
  const withSeq = { ...hand, nextEventSeq: hand.nextEventSeq + 1, bank: null };
  const forced = forceAction(withSeq, legal.seat, legal.canCheck ? 'check' : 'fold');
  const next = advance({ ...context, hand: withSeq }, forced.state, forced.events);
  return {
    hand: next,
    seats: updateSeat(context.seats, playerId, { timeouts, sittingOut: seat.sittingOut || timeouts >= MAX_CONSECUTIVE_TIMEOUTS }),
  };
}

/** Folds (or checks, when folding is not offered) for a player who is leaving. */
export function autoFoldAway(context: TableContext): Partial<TableContext> {
  const hand = requireHand(context);
  const legal = legalActions(hand.engine);
  if (!legal) return {};
  const forced = forceAction(hand, legal.seat, legal.canFold ? 'fold' : 'check');
  return { hand: { ...advance(context, forced.state, forced.events), bank: null } };
}

function forceAction(hand: LiveHand, seat: number, type: 'fold' | 'check') {
  const answer = apply(hand.engine, { seat, type });
  if (!answer.ok) throw new Error(`forced ${type} refused: ${answer.message}`);
  return answer;
}

/** Moves the hand to a new engine state: queue its events for storage and publish the public ones. */
function advance(context: TableContext, engine: LiveHand['engine'], events: HandEvent[]): LiveHand {
  const hand = requireHand(context);
  const { rows, nextSeq } = toRows(hand, events);
  context.writer.push(rows);
  publish(context, hand, events, hand.nextEventSeq);
  return { ...hand, engine, nextEventSeq: nextSeq };
}

function publish(context: TableContext, hand: LiveHand, events: readonly HandEvent[], firstSeq: number): void {
  const seated = seatedPlayerIds(context.seats);
  events.forEach((e, i) => {
    const msg = publicEvent(context.config.tableId, hand.handId, firstSeq + i, e);
    if (msg) context.deps.broadcaster.event(context.config.tableId, seated, msg);
  });
}

/** What the settle promise returns to the actor. */
export interface SettleOutput {
  result: HandResult;
  seatBalances: Record<string, string>;
  latencyMs: number;
}

/** Settles the hand in one ledger transaction that also stores the rest of its history. */
export async function settle(context: TableContext): Promise<SettleOutput> {
  const started = context.deps.now();
  const hand = requireHand(context);
  const { result, deltas, rake } = settlementDeltas(hand);
  const { seatBalances } = await context.deps.ledger.settleHand({
    handId: hand.handId,
    idempotencyKey: `settle:${hand.handId}`,
    deltas,
    rake,
    seed: hand.seedHex,
    result: resultSummary(context.config, hand, result),
    events: context.writer.pending(hand.handId),
  });
  context.writer.clear(hand.handId);
  return { result, seatBalances, latencyMs: context.deps.now() - started };
}

/** After commit: check the ledger against the engine, update stacks, announce the result. */
export function applySettlement(context: TableContext, output: SettleOutput): Partial<TableContext> {
  const hand = requireHand(context);
  let seats = context.seats;
  const stacks: Array<{ seat: number; playerId: string; stack: Chips }> = [];
  for (const s of hand.engine.seats) {
    const playerId = hand.playerBySeat[s.seat]!;
    const committed = output.seatBalances[playerId];
    const expected = s.startingStack.plus(output.result.netBySeat[s.seat]!);
    if (committed === undefined || !expected.eq(committed)) {
      throw new Error(`settlement drift at seat ${s.seat}: ledger ${committed ?? 'missing'} != engine ${expected.toString()}`);
    }
    seats = updateSeat(seats, playerId, { stack: expected });
    stacks.push({ seat: s.seat, playerId, stack: expected });
  }
  const shownCards: Record<number, string[]> = {};
  for (const entry of output.result.showdown) if (entry.shown) shownCards[entry.seat] = entry.cards.map(formatCard);
  const openings = handOpenings(hand, output.result);
  const message = resultMessage(context.config, hand, output.result, stacks, openings);
  context.deps.broadcaster.result(context.config.tableId, seatedPlayerIds(seats), message);
  // Each player alone gets the openings of their own hole cards, so they can check them against the root.
  for (const [playerId, own] of openings.byPlayer) {
    context.deps.broadcaster.openings(playerId, openingsMessage(context.config.tableId, hand, own));
  }
  context.deps.metrics?.handSettled?.(context.config.variant, output.latencyMs);
  context.deps.logger.info({ handId: hand.handId, handNumber: hand.handNumber, rake: message.rake, settleMs: output.latencyMs }, 'hand settled');
  return { hand: null, seats, shownCards, seq: context.seq + 1 };
}

/** Voids the current hand in the ledger (nothing moved during the hand, so stacks stay as they were). */
export async function voidCurrentHand(context: TableContext, reason: string): Promise<void> {
  const hand = requireHand(context);
  const events = context.writer.pending(hand.handId);
  await context.deps.ledger.voidHand({ handId: hand.handId, reason, idempotencyKey: `void:${hand.handId}`, seed: hand.seedHex, events });
  context.writer.clear(hand.handId);
}

/** After a void: forget the hand; the committed stacks are the ones from before it. */
export function afterVoid(context: TableContext): Partial<TableContext> {
  const hand = requireHand(context);
  context.deps.logger.warn({ handId: hand.handId, handNumber: hand.handNumber }, 'hand voided');
  context.deps.metrics?.handVoided?.(context.config.variant);
  context.deps.broadcaster.event(context.config.tableId, seatedPlayerIds(context.seats), {
    tableId: context.config.tableId, handId: hand.handId, seq: hand.nextEventSeq, type: 'voided', reason: `${context.voidReason ?? 'settlement failed'}; no chips moved`,
  });
  return { hand: null, seq: context.seq + 1, voidReason: null };
}

function requireHand(context: TableContext): LiveHand {
  if (!context.hand) throw new Error('no hand in progress');
  return context.hand;
}
