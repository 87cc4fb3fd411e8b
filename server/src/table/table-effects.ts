/**
 * What a table step asks the world to do, as plain data. Ops are pure functions of (context, event)
 * that return a context patch and a list of these effects; the machine applies the patch with
 * `assign` and hands the effects to `runEffects`, which is the only place they are carried out. So
 * xstate's pure `transition()` can run a whole hand without sending, writing or logging anything.
 */
import type { Chips } from '../../../shared/money';
import type { ErrorBody } from '../../../shared/codes';
import type { HandEvent, HandResult } from '../../../shared/engine/types';
import type { Ack } from '../../../shared/protocol';
import type { PendingEvent } from '../history/hand-event-writer';
import type { ViewSource } from './player-view';
import type { LiveHand, Reply, TableConfig } from './table-types';
import type { SeatOpInput } from './seat-op';

/** Answers the request that caused the step. */
export interface ReplyEffect {
  kind: 'reply';
  reply: Reply;
  answer: Ack<Record<string, unknown>>;
}

/** A table:state to every viewer (with `only`, just those seated players get theirs; watchers always do). */
export interface StateEffect {
  kind: 'state';
  view: ViewSource;
  only?: string[];
}

/** Each dealt player's own hole cards (hand:cards); with `only`, just that player's. */
export interface CardsEffect {
  kind: 'cards';
  tableId: string;
  hand: LiveHand;
  only?: string;
}

/** Engine events of the hand, numbered from `firstSeq`; outbound sends only what every viewer may see. */
export interface HandEventsEffect {
  kind: 'handEvents';
  tableId: string;
  handId: string;
  seated: string[];
  firstSeq: number;
  events: readonly HandEvent[];
}

/** A table-made hand event that is not an engine event: an action timeout or a voided hand. */
export interface HandNoticeEffect {
  kind: 'handNotice';
  tableId: string;
  handId: string;
  seated: string[];
  seq: number;
  notice: { type: 'timeout'; seat: number } | { type: 'voided'; reason: string };
}

/** The committed result of a hand: hand:result to everyone, hand:openings to each player alone. */
export interface ResultEffect {
  kind: 'result';
  config: TableConfig;
  hand: LiveHand;
  result: HandResult;
  stacks: Array<{ seat: number; playerId: string; stack: Chips }>;
  seated: string[];
}

/** What became of a player's deferred top-up (seat:topup). */
export interface TopUpEffect {
  kind: 'topUpNotice';
  tableId: string;
  unit: Chips;
  playerId: string;
  requestId: string;
  status: 'applied' | 'refused' | 'cancelled';
  amount: Chips;
  stack?: Chips;
  error?: ErrorBody;
}

/** Hand events to store (hand_event rows, through the table's writer). */
export interface HistoryEffect {
  kind: 'history';
  rows: PendingEvent[];
}

/** A ledger call for one seat, run as a child promise actor. */
export interface SpawnSeatOpEffect {
  kind: 'spawnSeatOp';
  id: string;
  input: SeatOpInput;
}

/** One structured log line. */
export interface LogEffect {
  kind: 'log';
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

/** A metric hook call. */
export interface MetricEffect {
  kind: 'metric';
  name: 'handSettled' | 'handVoided';
  variant: string;
  latencyMs?: number;
}

/** Everything a table step may ask for. */
export type TableEffect =
  | ReplyEffect
  | StateEffect
  | CardsEffect
  | HandEventsEffect
  | HandNoticeEffect
  | ResultEffect
  | TopUpEffect
  | HistoryEffect
  | SpawnSeatOpEffect
  | LogEffect
  | MetricEffect;

/** The effects outbound delivers (history rows go to the writer, seat ops become child actors). */
export type OutboundEffect = Exclude<TableEffect, HistoryEffect | SpawnSeatOpEffect>;

/** Where the machine hands the outbound effects of one step; `flush` delivers them together when the step ends. */
export interface EffectSink {
  add(effects: readonly OutboundEffect[]): void;
  flush(): void;
}
