/**
 * The table actor's context and the shape every op returns. Ops, outbound and the machine import the
 * context type from here, so the machine is the top of the import graph and nothing imports it back.
 */
import type { TablePhase } from '../../../shared/protocol';
import type { HandEventWriter } from '../history/hand-event-writer';
import type { EffectSink, TableEffect } from './table-effects';
import type { LiveHand, TableConfig, TableDeps, TableSeat } from './table-types';

/** The actor's context. */
export interface TableContext {
  config: TableConfig;
  deps: TableDeps;
  seats: Array<TableSeat | null>;
  button: number | null;
  lastHandNumber: number;
  hand: LiveHand | null;
  seq: number;
  shownCards: Record<number, string[]>;
  writer: HandEventWriter;
  /** Collects the outbound effects of one machine step; the actor delivers them when the step ends. */
  outbox: EffectSink;
  opCounter: number;
  /** The phase clients see, kept in step with the machine's state by entry actions. */
  phase: TablePhase;
  /** Database failures in a row at hand start or end; sets the backoff before the next try. */
  dbFailures: number;
  /** An operator closed the table: no new hands or players; seats are cashed out; then `closed`. */
  closing: boolean;
  /** Settings changed during a hand, applied before the next deal. */
  pendingConfig: TableConfig | null;
  /** The server is shutting down: the hand in play finishes, no new hand starts. */
  draining: boolean;
  /** Why the hand being voided is voided (a failed settlement unless said otherwise). */
  voidReason: string | null;
}

/** What an op returns: the context changes and the effects to run, in order. */
export interface OpResult {
  patch: Partial<TableContext>;
  effects: TableEffect[];
}

/** An op with nothing to change or do. */
export const NO_OP: OpResult = Object.freeze({ patch: {}, effects: [] }) as OpResult;

/**
 * Builds an OpResult step by step: `set` merges into the patch and into the working context `ctx`
 * (so later steps of the same op see earlier ones), `emit` appends effects. Pure: nothing is run.
 */
export class OpBuilder {
  ctx: TableContext;
  private readonly patch: Partial<TableContext> = {};
  private readonly effects: TableEffect[] = [];

  constructor(context: TableContext) {
    this.ctx = context;
  }

  /** Changes the working context and the patch. */
  set(change: Partial<TableContext>): this {
    Object.assign(this.patch, change);
    this.ctx = { ...this.ctx, ...change };
    return this;
  }

  /** Appends effects. */
  emit(...effects: TableEffect[]): this {
    this.effects.push(...effects);
    return this;
  }

  /** Appends a log line. */
  log(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): this {
    return this.emit({ kind: 'log', level, fields, msg });
  }

  /** The finished result. */
  done(): OpResult {
    return { patch: this.patch, effects: this.effects };
  }
}
