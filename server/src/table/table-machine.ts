/**
 * One XState v5 actor per table. It owns all of the table's live state and handles one event at a
 * time: seat requests, player actions, action timers and the results of ledger calls. Phases:
 * waiting → starting (hand row written) → inHand (streets) → settling (ledger transaction) →
 * pausing → waiting. Anything shown to clients about money is announced only after it committed.
 *
 * Every op (table-hand-ops, table-seat-ops, table-admin-ops, seat-clock) is a pure function returning
 * `{ patch, effects }`: `perform` applies the patch with `assign`, turns `spawnSeatOp` effects into
 * child actors and hands the rest to one `runEffects` action. So xstate's pure `transition()` runs no
 * I/O; effects run only in an actor, where `runEffects` pushes history rows to the writer and queues
 * the outbound effects, which `createTableActor` delivers as one batch per step (outbound.ts).
 * A broken invariant throws inside an op, which stops this actor (never silently continues).
 */
import { setup, assign, createActor, type ActorOptions, fromCallback, fromPromise, enqueueActions, type ActorRefFrom } from 'xstate';
import type { TablePhase } from '../../../shared/protocol';
import { HandEventWriter } from '../history/hand-event-writer';
import { eligibleForHand } from './seating';
import * as seatOps from './table-seat-ops';
import * as handOps from './table-hand-ops';
import * as adminOps from './table-admin-ops';
import * as seatClock from './seat-clock';
import { runSeatOp, type SeatOpInput, type SeatOpOutput } from './seat-op';
import { Outbound } from './outbound';
import type { OpResult, TableContext } from './table-context';
import type { OutboundEffect, TableEffect } from './table-effects';
import type { TableConfig, TableDeps, TableEvent, TableSeat } from './table-types';

export type { TableContext } from './table-context';
export type { SeatOpOutput } from './seat-op';

/** First and longest wait after a database failure before the table tries to deal again. */
export const DB_RETRY_BASE_MS = 500;
export const DB_RETRY_MAX_MS = 30_000;

/** The wait before the next try after `failures` database failures in a row (bounded exponential). */
export function dbRetryDelayMs(failures: number): number {
  return Math.min(DB_RETRY_MAX_MS, DB_RETRY_BASE_MS * 2 ** Math.max(0, Math.min(failures, 16) - 1));
}

/** What the registry passes when it creates a table actor. */
export interface TableInput {
  config: TableConfig;
  deps: TableDeps;
  lastHandNumber: number;
  /** Seats restored from the seat accounts after a takeover (default: every seat empty). */
  seats?: Array<TableSeat | null>;
  /**
   * The first view seq (default 0). A table taken over under a new lease epoch starts above every seq
   * the previous owner can have sent, so clients that drop views older than their newest keep working.
   */
  firstSeq?: number;
}

/** The subset of XState's `enqueue` that `perform` uses. */
interface Enqueue {
  assign(patch: Partial<TableContext>): void;
  spawnChild(src: 'seatOp', options: { id: string; input: SeatOpInput }): void;
}

/** The named action that runs a step's effects; as data, so `transition()` returns it with its effects. */
type RunEffectsAction = { type: 'runEffects'; params: { effects: TableEffect[] } };

/** Applies an op's result: the patch, its seat ops as child actors, and one `runEffects` for the rest. */
function perform(result: OpResult, enqueue: Enqueue): void {
  if (Object.keys(result.patch).length > 0) enqueue.assign(result.patch);
  const rest: TableEffect[] = [];
  for (const effect of result.effects) {
    if (effect.kind === 'spawnSeatOp') enqueue.spawnChild('seatOp', { id: effect.id, input: effect.input });
    else rest.push(effect);
  }
  // Inside `setup` the enqueuer's type does not yet know this machine's own named actions, so the
  // named action is passed through a cast; at run time xstate resolves it like any named action.
  if (rest.length > 0) (enqueue as unknown as (action: RunEffectsAction) => void)({ type: 'runEffects', params: { effects: rest } });
}

/** Carries out effects: history rows go to the writer now, the rest to outbound's batch for this step. */
function runEffects(context: TableContext, effects: readonly TableEffect[]): void {
  const outbound: OutboundEffect[] = [];
  for (const effect of effects) {
    if (effect.kind === 'history') context.writer.push(effect.rows);
    else if (effect.kind !== 'spawnSeatOp') outbound.push(effect);
  }
  context.outbox.add(outbound);
}

type Output<T> = { output: T };

export const tableMachine = setup({
  types: {
    context: {} as TableContext,
    events: {} as TableEvent,
    input: {} as TableInput,
  },
  actors: {
    seatOp: fromPromise<SeatOpOutput, SeatOpInput>(({ input }) => runSeatOp(input)),
    recordHandStart: fromPromise<{ handId: string }, { context: TableContext }>(({ input }) => handOps.recordHandStart(input.context)),
    settle: fromPromise<handOps.SettleOutput, { context: TableContext }>(({ input }) => handOps.settle(input.context)),
    voidHand: fromPromise<void, { context: TableContext; reason: string }>(({ input }) => handOps.voidCurrentHand(input.context, input.reason)),
    // The seat clock: one timer per table, not one per seat (see seat-clock.ts).
    seatClock: fromCallback<{ type: 'seat.clock' }, { periodMs: number }>(({ sendBack, input }) => {
      const timer = setInterval(() => sendBack({ type: 'seat.clock' }), input.periodMs);
      return () => clearInterval(timer);
    }),
    markClosed: fromPromise<void, { context: TableContext }>(({ input }) => input.context.deps.history.markClosed(input.context.config.tableId)),
  },
  delays: {
    actionTimeout: ({ context }) => context.hand?.bank?.grantedMs ?? context.config.actionTimeoutMs,
    handPause: ({ context }) => context.deps.handPauseMs,
    dbRetry: ({ context }) => dbRetryDelayMs(context.dbFailures),
  },
  guards: {
    canDeal: ({ context }) => !context.closing && !context.draining && eligibleForHand(context.seats).length >= 2,
    closedOut: ({ context }) => context.closing && context.seats.every((s) => s === null),
    handComplete: ({ context }) => handOps.isHandComplete(context),
    turnPlayerAway: ({ context }) => handOps.turnPlayerAway(context),
    canUseTimeBank: ({ context }) => handOps.canUseTimeBank(context),
    actAccepted: ({ context, event }) => event.type === 'player.act' && handOps.tryAct(context, event).ok,
  },
  actions: {
    runEffects: ({ context }, params: { effects: TableEffect[] }) => runEffects(context, params.effects),
    joinSeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'seat.join') perform(seatOps.join(context, event), enqueue);
    }),
    topUp: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'seat.topup') perform(seatOps.topUp(context, event), enqueue);
    }),
    leave: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'seat.leave') perform(seatOps.leave(context, event), enqueue);
    }),
    sitOutOrIn: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'seat.sitout' || event.type === 'seat.sitin') perform(seatOps.sitOutOrIn(context, event), enqueue);
    }),
    close: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'table.close') perform(adminOps.requestClose(context, event), enqueue);
    }),
    reconfigure: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'table.reconfigure') perform(adminOps.reconfigure(context, event), enqueue);
    }),
    seatClockTick: enqueueActions(({ context, enqueue }) => perform(seatClock.tick(context), enqueue)),
    applyPendingConfig: enqueueActions(({ context, enqueue }) => perform(adminOps.applyPendingConfig(context), enqueue)),
    presence: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'player.presence') perform(seatOps.presence(context, event), enqueue);
    }),
    refresh: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'player.refresh') perform(seatOps.refresh(context, event), enqueue);
    }),
    finishSeatOp: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as unknown as Partial<Output<SeatOpOutput>>).output;
      if (output) perform(seatOps.finish(context, output), enqueue);
    }),
    rejectStale: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'player.act') perform(handOps.rejectStale(event), enqueue);
    }),
    startHand: enqueueActions(({ context, enqueue }) => perform(handOps.startHand(context), enqueue)),
    dropHand: enqueueActions(({ context, event, enqueue }) => perform(handOps.dropUnstartedHand(context, (event as { error?: unknown }).error), enqueue)),
    announceHand: enqueueActions(({ context, event, enqueue }) =>
      perform(handOps.announceHand(context, (event as unknown as Output<{ handId: string }>).output.handId), enqueue),
    ),
    beginTurn: enqueueActions(({ context, enqueue }) => perform(handOps.beginTurn(context), enqueue)),
    commitAct: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'player.act') perform(handOps.commitAct(context, event), enqueue);
    }),
    rejectAct: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'player.act') perform(handOps.rejectAct(context, event), enqueue);
    }),
    applyTimeout: enqueueActions(({ context, enqueue }) => perform(handOps.applyTimeout(context), enqueue)),
    startTimeBank: enqueueActions(({ context, enqueue }) => perform(handOps.startTimeBank(context), enqueue)),
    autoFoldAway: enqueueActions(({ context, enqueue }) => perform(handOps.autoFoldAway(context), enqueue)),
    applySettlement: enqueueActions(({ context, event, enqueue }) =>
      perform(handOps.applySettlement(context, (event as unknown as Output<handOps.SettleOutput>).output), enqueue),
    ),
    afterVoid: enqueueActions(({ context, enqueue }) => perform(handOps.afterVoid(context), enqueue)),
    afterHand: enqueueActions(({ context, enqueue }) => perform(seatOps.afterHand(context), enqueue)),
    enterPhase: assign((_, params: { phase: TablePhase }) => ({ phase: params.phase })),
    countDbFailure: assign(({ context }) => ({ dbFailures: context.dbFailures + 1 })),
    clearDbFailures: assign({ dbFailures: 0 }),
    announcePause: enqueueActions(({ context, enqueue }) => perform(seatOps.announcePause(context), enqueue)),
    logOpError: enqueueActions(({ event, enqueue }) => {
      const err = (event as { error?: unknown }).error;
      perform({ patch: {}, effects: [{ kind: 'log', level: 'error', fields: { event: event.type, err }, msg: 'table child actor failed' }] }, enqueue);
    }),
  },
}).createMachine({
  id: 'table',
  context: ({ input }) => ({
    config: input.config,
    deps: input.deps,
    seats: input.seats ?? Array.from({ length: input.config.maxSeats }, () => null),
    button: null,
    lastHandNumber: input.lastHandNumber,
    hand: null,
    seq: input.firstSeq ?? 0,
    shownCards: {},
    writer: new HandEventWriter(),
    outbox: new Outbound(input.deps),
    opCounter: 0,
    phase: 'waiting',
    dbFailures: 0,
    closing: false,
    pendingConfig: null,
    draining: false,
    voidReason: null,
  }),
  on: {
    'seat.join': { actions: 'joinSeat' },
    'seat.topup': { actions: 'topUp' },
    'seat.leave': { actions: 'leave' },
    'seat.sitout': { actions: 'sitOutOrIn' },
    'seat.sitin': { actions: 'sitOutOrIn' },
    'player.presence': { actions: 'presence' },
    'player.refresh': { actions: 'refresh' },
    'table.close': { actions: 'close' },
    'seat.clock': { actions: 'seatClockTick' },
    'table.drain': { actions: assign({ draining: true }) },
    'table.reconfigure': { actions: 'reconfigure' },
    'player.act': { actions: 'rejectStale' },
    'xstate.done.actor.*': { actions: 'finishSeatOp' },
    'xstate.error.actor.*': { actions: 'logOpError' },
  },
  invoke: { src: 'seatClock', input: ({ context }) => ({ periodMs: seatClock.seatClockPeriodMs(context.deps.seatTimers) }) },
  initial: 'waiting',
  states: {
    waiting: {
      entry: [{ type: 'enterPhase', params: { phase: 'waiting' } }, 'applyPendingConfig'],
      always: [
        { guard: 'closedOut', target: 'closed' },
        { guard: 'canDeal', target: 'starting' },
      ],
    },
    closed: {
      // Every seat was cashed out; the row is marked closed and the actor stops.
      invoke: {
        id: 'markClosed',
        src: 'markClosed',
        input: ({ context }) => ({ context }),
        onDone: { target: 'done' },
        onError: { target: 'closeRetry', actions: 'logOpError' },
      },
    },
    closeRetry: {
      after: { dbRetry: 'closed' },
    },
    done: { type: 'final' },
    starting: {
      entry: 'startHand',
      invoke: {
        id: 'recordHandStart',
        src: 'recordHandStart',
        input: ({ context }) => ({ context }),
        onDone: { target: 'inHand', actions: ['clearDbFailures', 'announceHand'] },
        // Without a backoff a database outage turned into thousands of failed hand starts per second.
        onError: { target: 'paused', actions: ['logOpError', 'dropHand', 'countDbFailure'] },
      },
    },
    inHand: {
      entry: [{ type: 'enterPhase', params: { phase: 'hand' } }, 'beginTurn'],
      always: [
        { guard: 'handComplete', target: 'settling' },
        { guard: 'turnPlayerAway', target: 'inHand', reenter: true, actions: 'autoFoldAway' },
      ],
      after: {
        actionTimeout: [
          { guard: 'canUseTimeBank', target: 'inHand', reenter: true, actions: 'startTimeBank' },
          { target: 'inHand', reenter: true, actions: 'applyTimeout' },
        ],
      },
      on: {
        'player.act': [{ guard: 'actAccepted', target: 'inHand', reenter: true, actions: 'commitAct' }, { actions: 'rejectAct' }],
        // Shutdown could not wait for the hand to end: void it now (no chips moved), rather than leave it open.
        'table.abortHand': { target: 'voiding', actions: assign(({ event }) => ({ voidReason: event.reason })) },
      },
    },
    settling: {
      // No broadcast here: hand:result follows as soon as the settlement commits, and a frame to every
      // seat per hand is a measurable share of the server's cost.
      entry: { type: 'enterPhase', params: { phase: 'settling' } },
      invoke: {
        id: 'settle',
        src: 'settle',
        input: ({ context }) => ({ context }),
        onDone: { target: 'pausing', actions: 'applySettlement' },
        onError: { target: 'voiding', actions: 'logOpError' },
      },
    },
    voiding: {
      entry: { type: 'enterPhase', params: { phase: 'settling' } },
      invoke: {
        id: 'voidHand',
        src: 'voidHand',
        input: ({ context }) => ({ context, reason: context.voidReason ?? 'settlement failed' }),
        onDone: { target: 'pausing', actions: 'afterVoid' },
        onError: { target: 'paused', actions: ['logOpError', 'afterVoid', 'countDbFailure'] },
      },
    },
    paused: {
      entry: [{ type: 'enterPhase', params: { phase: 'paused' } }, 'announcePause'],
      after: { dbRetry: 'waiting' },
    },
    pausing: {
      entry: [{ type: 'enterPhase', params: { phase: 'between_hands' } }, 'afterHand'],
      after: { handPause: 'waiting' },
    },
  },
});

/** A running table actor. */
export type TableActor = ActorRefFrom<typeof tableMachine>;

/**
 * Creates (does not start) a table actor whose outbound effects are delivered as one batch at the end
 * of every step: the snapshot observer runs after all of the step's actions.
 */
export function createTableActor(input: TableInput, options: Pick<ActorOptions<typeof tableMachine>, 'clock'> = {}): TableActor {
  const actor = createActor(tableMachine, { input, ...options });
  const outbox = actor.getSnapshot().context.outbox;
  const flush = () => outbox.flush();
  actor.subscribe({ next: flush, error: flush, complete: flush });
  return actor;
}
