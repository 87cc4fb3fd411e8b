/**
 * Hand steps of the table actor: deal, record, act, time out, settle, void. Each step is a pure
 * function of the context (and event) returning an OpResult: the context patch for `assign` and the
 * effects (messages, history rows, replies, log lines) the machine runs afterwards. The two async
 * steps (recordHandStart, settle, voidCurrentHand) are the bodies of promise actors. Settlement is
 * checked twice: the engine asserts chip conservation after every step, and after the ledger commits
 * we assert that every seat's committed balance equals its starting stack plus its engine net.
 */
import { formatAmount, type Chips, ZERO } from '../../../shared/money';
import { apply, isComplete, legalActions } from '../../../shared/engine/hand';
import type { ApplyResult, HandEvent, HandResult, PlayerAction } from '../../../shared/engine/types';
import type { ErrorCode } from '../../../shared/codes';
import { SeatDriftError } from '../ledger/errors';
import { seatOf, seatedPlayerIds, transitionSeat, updateSeat } from './seating';
import { NO_OP, type OpResult, type TableContext } from './table-context';
import { viewSource } from './outbound';
import { dealHand, resultSummary, serialiseHandConfig, settlementDeltas, startEventPayload, toRows } from './hand-flow';
import { DECK_MERKLE_SCHEME } from '../../../shared/engine/deck-commitment';
import { formatCard } from '../../../shared/engine/cards';
import { handConfigOf, type TableEvent, type LiveHand } from './table-types';
import type { TableEffect } from './table-effects';

type ActEvent = Extract<TableEvent, { type: 'player.act' }>;
type TryAnswer = ApplyResult | { ok: false; code: ErrorCode; message: string };

/** Consecutive timeouts after which a player is sat out. */
export const MAX_CONSECUTIVE_TIMEOUTS = 2;

/** Deals the next hand into the context (the hand row is written next, by recordHandStart). */
export function startHand(context: TableContext): OpResult {
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
  return { patch: { hand, button, lastHandNumber: handNumber, shownCards: {}, seq: context.seq + 1 }, effects: [] };
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
export function dropUnstartedHand(_context: TableContext, error: unknown): OpResult {
  if (error instanceof SeatDriftError) throw error;
  return { patch: { hand: null }, effects: [] };
}

/** After the hand row and the deal are stored: send each player their cards and announce the posts. */
export function announceHand(context: TableContext, handId: string): OpResult {
  const hand = { ...requireHand(context), handId };
  // The deal's rows were written with the hand row itself (recordHandStart).
  const nextSeq = hand.nextEventSeq + hand.engine.events.length;
  const tableId = context.config.tableId;
  return {
    patch: { hand: { ...hand, nextEventSeq: nextSeq } },
    effects: [
      { kind: 'cards', tableId, hand },
      { kind: 'handEvents', tableId, handId, seated: seatedPlayerIds(context.seats), firstSeq: 1, events: hand.engine.events },
      { kind: 'log', level: 'info', fields: { handId, handNumber: hand.handNumber, players: hand.engine.seats.length }, msg: 'hand started' },
    ],
  };
}

/**
 * Entering a turn: set the deadline and show the new state. At the deal everyone gets a full view;
 * after that only the player now to act (who needs legal actions) and the one who just acted (whose
 * offer is withdrawn) get new views, because everyone already received the action or the new street
 * as a hand:event. Frames per action dominate the server's cost under load (see the closing notes of
 * bench:flood), so nothing is sent twice.
 */
export function beginTurn(context: TableContext): OpResult {
  const hand = requireHand(context);
  if (isComplete(hand.engine)) return NO_OP;
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
  const view = viewSource({ ...context, hand: next, seq }, 'hand');
  return { patch: { hand: next, seq }, effects: [{ kind: 'state', view, ...(only ? { only } : {}) }] };
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
  return !!playerId && seatOf(context.seats, playerId)?.state.kind === 'leaving';
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
    else if (event.turn !== undefined && event.turn !== hand.turnNumber) {
      // The action was decided on another turn's view: applying it here would be a decision the player
      // never made on this turn (a delayed action reaching the player's next turn in the same hand).
      answer = { ok: false, code: 'not_your_turn', message: `that turn is over: the action was for turn ${event.turn}, the hand is at turn ${hand.turnNumber}` };
    } else {
      const action: PlayerAction = { seat: Number(seat), type: event.action, ...(event.to ? { to: event.to } : {}) };
      answer = apply(hand.engine, action);
    }
  }
  tried.set(event, answer);
  return answer;
}

/** Commits an accepted action: new engine state, history rows, public events, the ack. */
export function commitAct(context: TableContext, event: ActEvent): OpResult {
  const answer = tried.get(event) ?? tryAct(context, event);
  if (!answer.ok) throw new Error('commitAct without an accepted action');
  const { hand, effects } = advance(context, requireHand(context), answer.state, answer.events);
  effects.push({ kind: 'reply', reply: event.reply, answer: { ok: true, seq: context.seq + 1 } });
  let seats = transitionSeat(context.seats, event.playerId, { type: 'acted' });
  const bank = context.hand?.bank;
  // What the player did not use of their time bank goes back into it.
  if (bank && bank.playerId === event.playerId) {
    seats = updateSeat(seats, event.playerId, { timeBankMs: Math.min(bank.grantedMs, Math.max(0, (context.hand!.deadline ?? 0) - context.deps.now())) });
  }
  return { patch: { hand: { ...hand, bank: null }, seats }, effects };
}

/** True when the player whose action timer just ran out still has time in their bank. */
export function canUseTimeBank(context: TableContext): boolean {
  const hand = context.hand;
  if (!hand || hand.bank || !hand.turnPlayerId) return false;
  return (seatOf(context.seats, hand.turnPlayerId)?.timeBankMs ?? 0) > 0;
}

/** The action timer ran out: the player draws their whole time bank (the rest is refunded when they act). */
export function startTimeBank(context: TableContext): OpResult {
  const hand = requireHand(context);
  const playerId = hand.turnPlayerId!;
  const grantedMs = seatOf(context.seats, playerId)!.timeBankMs;
  return {
    patch: { hand: { ...hand, bank: { playerId, grantedMs, announced: false } }, seats: updateSeat(context.seats, playerId, { timeBankMs: 0 }) },
    effects: [{ kind: 'log', level: 'info', fields: { handId: hand.handId, playerId, grantedMs }, msg: 'time bank started' }],
  };
}

/** Answers a refused action with its code. */
export function rejectAct(context: TableContext, event: ActEvent): OpResult {
  const answer = tried.get(event) ?? tryAct(context, event);
  if (answer.ok) throw new Error('rejectAct on an accepted action');
  const code: ErrorCode = answer.code === 'hand_complete' ? 'stale_hand' : answer.code;
  return { patch: {}, effects: [{ kind: 'reply', reply: event.reply, answer: { ok: false, error: { code, message: answer.message } } }] };
}

/** A player.act while no hand waits for actions. */
export function rejectStale(event: ActEvent): OpResult {
  return { patch: {}, effects: [{ kind: 'reply', reply: event.reply, answer: { ok: false, error: { code: 'stale_hand', message: 'no hand is waiting for actions' } } }] };
}

/** The action timer fired: check if possible, else fold; repeated timeouts sit the player out. */
export function applyTimeout(context: TableContext): OpResult {
  const hand = requireHand(context);
  const legal = legalActions(hand.engine);
  if (!legal) return NO_OP;
  const playerId = hand.playerBySeat[legal.seat]!;
  const seats = transitionSeat(context.seats, playerId, { type: 'timedOut', now: context.deps.now(), maxTimeouts: MAX_CONSECUTIVE_TIMEOUTS });
  const timeouts = seatOf(seats, playerId)!.timeouts;
  const tableId = context.config.tableId;
  const head: TableEffect[] = [
    { kind: 'log', level: 'info', fields: { handId: hand.handId, playerId, seat: legal.seat, timeouts }, msg: 'action timed out' },
    { kind: 'history', rows: [{ handId: hand.handId, seq: hand.nextEventSeq, type: 'timeout', payload: { type: 'timeout', seat: legal.seat } }] },
    { kind: 'handNotice', tableId, handId: hand.handId, seated: seatedPlayerIds(context.seats), seq: hand.nextEventSeq, notice: { type: 'timeout', seat: legal.seat } },
  ];
  const withSeq = { ...hand, nextEventSeq: hand.nextEventSeq + 1, bank: null };
  const forced = forceAction(withSeq, legal.seat, legal.canCheck ? 'check' : 'fold');
  const { hand: next, effects } = advance(context, withSeq, forced.state, forced.events);
  return {
    patch: { hand: next, seats },
    effects: [...head, ...effects],
  };
}

/** Folds (or checks, when folding is not offered) for a player who is leaving. */
export function autoFoldAway(context: TableContext): OpResult {
  const hand = requireHand(context);
  const legal = legalActions(hand.engine);
  if (!legal) return NO_OP;
  const forced = forceAction(hand, legal.seat, legal.canFold ? 'fold' : 'check');
  const { hand: next, effects } = advance(context, hand, forced.state, forced.events);
  return { patch: { hand: { ...next, bank: null } }, effects };
}

function forceAction(hand: LiveHand, seat: number, type: 'fold' | 'check') {
  const answer = apply(hand.engine, { seat, type });
  if (!answer.ok) throw new Error(`forced ${type} refused: ${answer.message}`);
  return answer;
}

/** Moves `hand` to a new engine state: its events become history rows and public hand events. */
function advance(context: TableContext, hand: LiveHand, engine: LiveHand['engine'], events: HandEvent[]): { hand: LiveHand; effects: TableEffect[] } {
  const { rows, nextSeq } = toRows(hand, events);
  const effects: TableEffect[] = [
    { kind: 'history', rows },
    { kind: 'handEvents', tableId: context.config.tableId, handId: hand.handId, seated: seatedPlayerIds(context.seats), firstSeq: hand.nextEventSeq, events },
  ];
  return { hand: { ...hand, engine, nextEventSeq: nextSeq }, effects };
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
export function applySettlement(context: TableContext, output: SettleOutput): OpResult {
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
  const { config } = context;
  const rake = formatAmount(output.result.rake ?? ZERO, config.unit);
  return {
    patch: { hand: null, seats, shownCards, seq: context.seq + 1 },
    effects: [
      { kind: 'result', config, hand, result: output.result, stacks, seated: seatedPlayerIds(seats) },
      { kind: 'metric', name: 'handSettled', variant: config.variant, latencyMs: output.latencyMs },
      { kind: 'log', level: 'info', fields: { handId: hand.handId, handNumber: hand.handNumber, rake, settleMs: output.latencyMs }, msg: 'hand settled' },
    ],
  };
}

/** Voids the current hand in the ledger (nothing moved during the hand, so stacks stay as they were). */
export async function voidCurrentHand(context: TableContext, reason: string): Promise<void> {
  const hand = requireHand(context);
  const events = context.writer.pending(hand.handId);
  await context.deps.ledger.voidHand({ handId: hand.handId, reason, idempotencyKey: `void:${hand.handId}`, seed: hand.seedHex, events });
  context.writer.clear(hand.handId);
}

/** After a void: forget the hand; the committed stacks are the ones from before it. */
export function afterVoid(context: TableContext): OpResult {
  const hand = requireHand(context);
  const tableId = context.config.tableId;
  const reason = `${context.voidReason ?? 'settlement failed'}; no chips moved`;
  return {
    patch: { hand: null, seq: context.seq + 1, voidReason: null },
    effects: [
      { kind: 'log', level: 'warn', fields: { handId: hand.handId, handNumber: hand.handNumber }, msg: 'hand voided' },
      { kind: 'metric', name: 'handVoided', variant: context.config.variant },
      { kind: 'handNotice', tableId, handId: hand.handId, seated: seatedPlayerIds(context.seats), seq: hand.nextEventSeq, notice: { type: 'voided', reason } },
    ],
  };
}

function requireHand(context: TableContext): LiveHand {
  if (!context.hand) throw new Error('no hand in progress');
  return context.hand;
}
