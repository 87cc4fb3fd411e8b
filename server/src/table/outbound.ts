/**
 * The table's outbound side. A machine step's effects are collected here (`add`) and delivered as one
 * batch when the step ends (`flush`, called by the actor's snapshot observer; a microtask flushes a
 * batch nobody flushed). Delivery turns each effect into the messages every viewer may get (built by
 * player-view.ts and outbound-messages.ts), replies, log lines and metric calls, in the order the
 * step produced them. Because one step is one batch, a later change can coalesce a step's messages
 * into one frame per socket here without touching the machine.
 */
import type { Logger } from 'pino';
import { buildPublicView, buildView, personalise, type ViewSource } from './player-view';
import { cardsMessages, handOpenings, noticeMessage, openingsMessage, publicEvent, resultMessage, topUpMessage } from './outbound-messages';
import { seatedPlayerIds } from './seating';
import type { EffectSink, OutboundEffect, ResultEffect, StateEffect } from './table-effects';
import type { TableBroadcaster, TableMetrics } from './table-types';

/** Most effects one step may queue; more means a loop in the machine, which must stop the table. */
export const MAX_EFFECTS_PER_BATCH = 10_000;

/** The ports outbound delivers to. */
export interface OutboundPorts {
  broadcaster: TableBroadcaster;
  logger: Logger;
  metrics?: TableMetrics;
  /**
   * False while this node cannot be sure it still holds the table's lease (past its local deadline): a
   * step's messages are then held, not sent, until the lease is renewed (the next flush sends them) or
   * lost (they are dropped with the actor). A paused node woken by SIGCONT runs its overdue timers before
   * it learns the table moved; without the hold, players saw that stale copy of the hand and acted on it.
   */
  canDeliver?: () => boolean;
}

/** One table's outbound batcher. */
export class Outbound implements EffectSink {
  private batch: OutboundEffect[] = [];
  private scheduled = false;

  constructor(private readonly ports: OutboundPorts) {}

  /** Queues a step's effects; they go out together at the end of the step. */
  add(effects: readonly OutboundEffect[]): void {
    if (effects.length === 0) return;
    if (this.batch.length + effects.length > MAX_EFFECTS_PER_BATCH) throw new Error(`more than ${MAX_EFFECTS_PER_BATCH} effects in one table step`);
    this.batch.push(...effects);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Delivers everything queued, as one batch (or keeps holding it while delivery is not allowed). */
  flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    if (this.ports.canDeliver && !this.ports.canDeliver()) return;
    const batch = this.batch;
    this.batch = [];
    deliver(this.ports, batch);
  }
}

/** Delivers one step's effects to the ports, in order. */
export function deliver(ports: OutboundPorts, batch: readonly OutboundEffect[]): void {
  const b = ports.broadcaster;
  for (const effect of batch) {
    switch (effect.kind) {
      case 'reply':
        effect.reply(effect.answer);
        break;
      case 'state':
        sendState(b, effect);
        break;
      case 'cards':
        for (const { playerId, msg } of cardsMessages(effect)) b.cards(playerId, msg);
        break;
      case 'handEvents':
        effect.events.forEach((e, i) => {
          const msg = publicEvent(effect.tableId, effect.handId, effect.firstSeq + i, e);
          if (msg) b.event(effect.tableId, effect.seated, msg);
        });
        break;
      case 'handNotice':
        b.event(effect.tableId, effect.seated, noticeMessage(effect));
        break;
      case 'result':
        sendResult(b, effect);
        break;
      case 'topUpNotice':
        b.topUp(effect.playerId, topUpMessage(effect));
        break;
      case 'log':
        ports.logger[effect.level](effect.fields, effect.msg);
        break;
      case 'metric':
        if (effect.name === 'handSettled') ports.metrics?.handSettled?.(effect.variant, effect.latencyMs ?? 0);
        else ports.metrics?.handVoided?.(effect.variant);
        break;
    }
  }
}

function sendState(b: TableBroadcaster, effect: StateEffect): void {
  const source = effect.view;
  const base = buildPublicView(source);
  b.state(source.config.tableId, seatedPlayerIds(source.seats), (viewer) => personalise(base, source, viewer), effect.only);
}

function sendResult(b: TableBroadcaster, effect: ResultEffect): void {
  const tableId = effect.config.tableId;
  const openings = handOpenings(effect.hand, effect.result);
  b.result(tableId, effect.seated, resultMessage(effect.config, effect.hand, effect.result, effect.stacks, openings));
  // Each player alone gets the openings of their own hole cards, so they can check them against the root.
  for (const [playerId, own] of openings.byPlayer) b.openings(playerId, openingsMessage(tableId, effect.hand, own));
}

/** The table:state one viewer gets of `source` (null = a watcher); used for answers that carry a view. */
export function viewFor(source: ViewSource, viewerId: string | null) {
  return buildView(source, viewerId);
}

/** The view source of a context at this point of a step (a snapshot: contexts are never mutated). */
export function viewSource(context: ViewSource, phase = context.phase): ViewSource {
  const { config, seats, hand, button, seq, shownCards } = context;
  return { config, seats, phase, hand, button, seq, shownCards };
}
