/**
 * One XState v5 actor per table. It owns all of the table's live state and handles one event at a
 * time: seat requests, player actions, action timers and the results of ledger calls. Phases:
 * waiting → starting (hand row written) → inHand (streets) → settling (ledger transaction) →
 * pausing → waiting. Anything shown to clients about money is announced only after it committed.
 * A broken invariant throws inside an action, which stops this actor (never silently continues).
 */
import { setup, assign, fromCallback, fromPromise, enqueueActions, type ActorRefFrom } from 'xstate';
import type { TablePhase } from '../../../shared/protocol';
import { HandEventWriter } from '../history/hand-event-writer';
import { eligibleForHand } from './seating';
import * as seatOps from './table-seat-ops';
import * as handOps from './table-hand-ops';
import * as adminOps from './table-admin-ops';
import * as seatClock from './seat-clock';
import type { LiveHand, TableConfig, TableDeps, TableEvent, TableSeat } from './table-types';

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
}

/** The outcome of a seat operation run as a child promise actor. */
export type SeatOpOutput = seatOps.SeatOpOutput;

export const tableMachine = setup({
  types: {
    context: {} as TableContext,
    events: {} as TableEvent,
    input: {} as TableInput,
  },
  actors: {
    seatOp: fromPromise<SeatOpOutput, seatOps.SeatOpInput>(({ input }) => seatOps.runSeatOp(input)),
    recordHandStart: fromPromise<{ handId: string }, { context: TableContext }>(({ input }) => handOps.recordHandStart(input.context)),
    settle: fromPromise<handOps.SettleOutput, { context: TableContext }>(({ input }) => handOps.settle(input.context)),
    voidHand: fromPromise<void, { context: TableContext; reason: string }>(({ input }) => handOps.voidCurrentHand(input.context, input.reason)),
    // The seat clock: one timer per table, not one per seat (see seat-clock.ts).
    seatClock: fromCallback<{ type: 'seat.clock' }, { periodMs: number }>(({ sendBack, input }) => {
      const timer = setInterval(() => sendBack({ type: 'seat.clock' }), input.periodMs);
      return () => clearInterval(timer);
    }),
    markClosed: fromPromise<void, { context: TableContext }>(({ input }) => input.context.deps.ledger.markClosed(input.context.config.tableId)),
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
    joinSeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'seat.join') return;
      seatOps.join(context, event, enqueue);
    }),
    topUp: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'seat.topup') return;
      seatOps.topUp(context, event, enqueue);
    }),
    leave: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'seat.leave') return;
      seatOps.leave(context, event, enqueue);
    }),
    sitOutOrIn: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'seat.sitout' && event.type !== 'seat.sitin') return;
      seatOps.sitOutOrIn(context, event, enqueue);
    }),
    close: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'table.close') adminOps.requestClose(context, event, enqueue);
    }),
    reconfigure: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'table.reconfigure') adminOps.reconfigure(context, event, enqueue);
    }),
    seatClockTick: enqueueActions(({ context, enqueue }) => seatClock.tick(context, enqueue)),
    applyPendingConfig: assign(({ context }) => adminOps.applyPendingConfig(context)),
    presence: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'player.presence') return;
      seatOps.presence(context, event, enqueue);
    }),
    finishSeatOp: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as unknown as { output?: SeatOpOutput }).output;
      if (output) seatOps.finish(context, output, enqueue);
    }),
    rejectStale: ({ event }) => {
      if (event.type !== 'player.act') return;
      event.reply({ ok: false, error: { code: 'stale_hand', message: 'no hand is waiting for actions' } });
    },
    startHand: assign(({ context }) => handOps.startHand(context)),
    dropHand: assign(({ context, event }) => handOps.dropUnstartedHand(context, (event as { error?: unknown }).error)),
    announceHand: assign(({ context, event }) => handOps.announceHand(context, (event as unknown as { output: { handId: string } }).output.handId)),
    beginTurn: assign(({ context }) => handOps.beginTurn(context)),
    commitAct: assign(({ context, event }) => (event.type === 'player.act' ? handOps.commitAct(context, event) : {})),
    rejectAct: ({ context, event }) => {
      if (event.type === 'player.act') handOps.rejectAct(context, event);
    },
    applyTimeout: assign(({ context }) => handOps.applyTimeout(context)),
    startTimeBank: assign(({ context }) => handOps.startTimeBank(context)),
    autoFoldAway: assign(({ context }) => handOps.autoFoldAway(context)),
    applySettlement: assign(({ context, event }) =>
      handOps.applySettlement(context, (event as unknown as { output: handOps.SettleOutput }).output),
    ),
    afterVoid: assign(({ context }) => handOps.afterVoid(context)),
    afterHand: enqueueActions(({ context, enqueue }) => seatOps.afterHand(context, enqueue)),
    enterPhase: assign((_, params: { phase: TablePhase }) => ({ phase: params.phase })),
    countDbFailure: assign(({ context }) => ({ dbFailures: context.dbFailures + 1 })),
    clearDbFailures: assign({ dbFailures: 0 }),
    announcePause: enqueueActions(({ context, enqueue }) => seatOps.announcePause(context, enqueue)),
    logOpError: ({ context, event }) => context.deps.logger.error({ event: event.type, err: (event as { error?: unknown }).error }, 'table child actor failed'),
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
    seq: 0,
    shownCards: {},
    writer: new HandEventWriter((handId, events) => input.deps.ledger.appendHandEvents(handId, events), input.deps.logger),
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
        src: 'settle',
        input: ({ context }) => ({ context }),
        onDone: { target: 'pausing', actions: 'applySettlement' },
        onError: { target: 'voiding', actions: 'logOpError' },
      },
    },
    voiding: {
      entry: { type: 'enterPhase', params: { phase: 'settling' } },
      invoke: {
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
