/**
 * A stored hand as the history tools see it (the hand row, its hand_event log, its final transfers and
 * the usernames of its players), and re-execution of that hand with the pure engine. Exports and
 * verification both start from `replayStored`, so whatever an export shows is what the engine derives
 * from the stored actions, never a second hand-written interpretation of the log.
 */
import { z } from 'zod';
import { type Chips, chips } from '../../../shared/money';
import { type Card, formatCards, orderedDeck, parseCards } from '../../../shared/engine/cards';
import { apply, holeCardCount, startWithEvents } from '../../../shared/engine/hand';
import { type ActionType, type HandConfig, type HandState, VARIANTS } from '../../../shared/engine/types';

/** One hand_event row. */
export interface StoredEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
}

/** One ledger_entry of a hand's transfer, with its account. */
export interface StoredEntry {
  entryId: string;
  accountId: string;
  accountKind: string;
  playerId: string | null;
  /** The account's table (seat accounts, and per-table house_rake accounts); null for the others. */
  accountTableId?: string | null;
  amount: string;
  balanceAfter: string;
}

/** A transfer linked to the hand (its settlement or void) with its entries. */
export interface StoredTransfer {
  transferId: string;
  kind: string;
  idempotencyKey: string;
  reason: string | null;
  createdAt: string;
  entries: StoredEntry[];
}

/** Everything stored about one hand. */
export interface StoredHand {
  handId: string;
  tableId: string;
  tableName: string;
  /** The table's own count (1, 2, … per table). */
  handNumber: string;
  /** Unique across the site and increasing in start order; exports use this one. */
  siteHandNumber: string;
  status: 'in_progress' | 'settled' | 'voided';
  buttonSeat: number;
  config: unknown;
  commitment: string;
  /** How `commitment` was made: `felt-deck-merkle-v1`, or `felt-seed-sha256-v1` for hands dealt before it. */
  commitmentScheme: string;
  /** The deck seed, stored at the end of the hand for admin verification only. */
  seed: string | null;
  voidReason: string | null;
  result: unknown;
  startedAt: Date;
  endedAt: Date | null;
  events: StoredEvent[];
  transfers: StoredTransfer[];
  /** Username of every player id that appears in the hand. */
  usernames: Record<string, string>;
}

/** A seat at the start of the hand. */
export interface HandSeat {
  seat: number;
  playerId: string;
  stack: Chips;
}

/** The parsed `hand.config`. */
export interface HandMeta {
  tableName: string;
  maxSeats: number;
  engine: HandConfig;
  seats: HandSeat[];
}

const amountText = z.string().regex(/^[0-9]+(\.[0-9]+)?$/);

const engineSchema = z.object({
  variant: z.enum(VARIANTS),
  unit: amountText,
  smallBlind: amountText,
  bigBlind: amountText,
  ante: amountText,
  straddles: z.array(amountText).optional(),
  minBet: amountText,
  smallBet: amountText.optional(),
  bigBet: amountText.optional(),
  maxRaisesPerStreet: z.number().int().positive().optional(),
  rakePercent: amountText,
  rakeCap: amountText,
  shortAllInReopens: z.boolean().optional(),
}).strict();

const metaSchema = z.object({
  tableName: z.string(),
  maxSeats: z.number().int().min(2).max(10),
  engine: engineSchema,
  seats: z.array(z.object({ seat: z.number().int().min(0), playerId: z.string(), stack: amountText }).strict()).min(2),
}).strict();

/** Thrown when a stored hand cannot be read or re-executed; the message says what is wrong. */
export class HandRecordError extends Error {}

/** Reverses serialiseHandConfig: the engine configuration with decimal amounts. */
export function parseHandConfig(raw: z.infer<typeof engineSchema>): HandConfig {
  const c = chips;
  return {
    variant: raw.variant, unit: c(raw.unit), smallBlind: c(raw.smallBlind), bigBlind: c(raw.bigBlind), ante: c(raw.ante),
    ...(raw.straddles ? { straddles: raw.straddles.map(c) } : {}),
    minBet: c(raw.minBet),
    ...(raw.smallBet !== undefined ? { smallBet: c(raw.smallBet) } : {}),
    ...(raw.bigBet !== undefined ? { bigBet: c(raw.bigBet) } : {}),
    ...(raw.maxRaisesPerStreet !== undefined ? { maxRaisesPerStreet: raw.maxRaisesPerStreet } : {}),
    rakePercent: c(raw.rakePercent), rakeCap: c(raw.rakeCap),
    ...(raw.shortAllInReopens !== undefined ? { shortAllInReopens: raw.shortAllInReopens } : {}),
  };
}

/** Parses `hand.config`; throws HandRecordError naming the first problem. */
export function parseMeta(config: unknown): HandMeta {
  const parsed = metaSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HandRecordError(`hand.config is unreadable: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const m = parsed.data;
  return {
    tableName: m.tableName, maxSeats: m.maxSeats, engine: parseHandConfig(m.engine),
    seats: m.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, stack: chips(s.stack) })),
  };
}

/** The engine's events of a stored hand, in seq order (without the start row and timeout markers). */
export function engineEvents(hand: Pick<StoredHand, 'events'>): StoredEvent[] {
  return [...hand.events].sort((a, b) => a.seq - b.seq).filter((e) => e.type !== 'start' && e.type !== 'timeout');
}

function cardsOf(text: unknown, what: string): Card[] {
  const cards = typeof text === 'string' ? parseCards(text) : undefined;
  if (!cards) throw new HandRecordError(`${what}: unreadable cards ${JSON.stringify(text)}`);
  return cards;
}

/**
 * The deck the engine must deal from to reproduce the stored deal: hole cards in the order they were
 * dealt, then the board, then every unused card (the engine never looks past what it deals).
 */
export function deckFromEvents(hand: Pick<StoredHand, 'events'>, meta: HandMeta): Card[] {
  const used: Card[] = [];
  const board: Card[] = [];
  for (const e of engineEvents(hand)) {
    if (e.type === 'deal_hole') {
      const cards = cardsOf(e.payload.cards, `deal_hole seq ${e.seq}`);
      if (cards.length !== holeCardCount(meta.engine)) throw new HandRecordError(`deal_hole seq ${e.seq}: wrong number of cards`);
      used.push(...cards);
    } else if (e.type === 'street') board.push(...cardsOf(e.payload.cards, `street seq ${e.seq}`));
  }
  const all = [...used, ...board];
  if (new Set(all).size !== all.length) throw new HandRecordError(`a card is dealt twice: ${formatCards(all)}`);
  return [...all, ...orderedDeck().filter((c) => !all.includes(c))];
}

/** A re-executed hand: the engine state after the last stored action, and which actions were forced by a timeout. */
export interface ReplayedHand {
  meta: HandMeta;
  state: HandState;
  /** Index (among action events) of every action that followed a timeout marker. */
  timedOutActions: Set<number>;
}

const ACTIONS: readonly ActionType[] = ['fold', 'check', 'call', 'bet', 'raise'];

/** A stored check that the engine refuses because the betting round had already closed (see replayStored). */
class ClosedRoundCheckError extends HandRecordError {}

/**
 * Replays the stored action events through the engine, starting from `deck` (by default rebuilt from the
 * stored deal). Hands stored before the engine closed a round for a lone matched player (December 2026)
 * hold a check from that player after the round is over; they are re-executed under the old rule, which
 * reproduces every stored event. No hand can replay under both rules, so the old rule is used only when
 * the current one refuses exactly such a check.
 */
export function replayStored(hand: StoredHand, deck?: Card[]): ReplayedHand {
  const meta = parseMeta(hand.config);
  try {
    return replayWith(hand, meta, deck);
  } catch (e) {
    if (!(e instanceof ClosedRoundCheckError)) throw e;
    return replayWith(hand, { ...meta, engine: { ...meta.engine, legacyAsksMatchedPlayer: true } }, deck);
  }
}

function replayWith(hand: StoredHand, meta: HandMeta, deck?: Card[]): ReplayedHand {
  const seats = meta.seats.map((s) => ({ seat: s.seat, stack: s.stack }));
  let state: HandState;
  try {
    state = startWithEvents(meta.engine, seats, hand.buttonSeat, deck ?? deckFromEvents(hand, meta)).state;
  } catch (e) {
    throw new HandRecordError(`the hand cannot be started: ${(e as Error).message}`);
  }
  const timedOutActions = new Set<number>();
  let pendingTimeout = false;
  let actionIndex = 0;
  for (const e of [...hand.events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'timeout') pendingTimeout = true;
    if (e.type !== 'action') continue;
    const p = e.payload;
    const type = p.action as ActionType;
    if (!ACTIONS.includes(type) || typeof p.seat !== 'number') throw new HandRecordError(`action seq ${e.seq} is malformed`);
    const to = type === 'bet' || type === 'raise' ? amountOf(p.to, `action seq ${e.seq}`) : undefined;
    const outcome = apply(state, { seat: p.seat, type, ...(to ? { to } : {}) });
    if (!outcome.ok) {
      const message = `action seq ${e.seq} (${p.seat} ${type}) is refused by the engine: ${outcome.message}`;
      throw type === 'check' && outcome.code === 'hand_complete' ? new ClosedRoundCheckError(message) : new HandRecordError(message);
    }
    state = outcome.state;
    if (pendingTimeout) timedOutActions.add(actionIndex);
    pendingTimeout = false;
    actionIndex++;
  }
  return { meta, state, timedOutActions };
}

function amountOf(value: unknown, what: string): Chips {
  if (typeof value !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(value)) throw new HandRecordError(`${what}: bad amount ${JSON.stringify(value)}`);
  return chips(value);
}

/** A player's display name: their username, else a short form of the id. */
export function nameOf(hand: Pick<StoredHand, 'usernames'>, playerId: string): string {
  return hand.usernames[playerId] ?? `player-${playerId.slice(0, 8)}`;
}

