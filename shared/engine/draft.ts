/**
 * How a HandState is stored and changed: the immutable `Snapshot` every engine call returns, the
 * working copy (`Draft`) one engine step changes before it becomes the next Snapshot, and the
 * seat-order helpers shared by hand.ts and showdown.ts (kept here so they do not import each other).
 *
 * Cost model (one step must stay cheap however long the hand is):
 * - Events are a persistent log: each Snapshot links its own step's events to the previous Snapshot's
 *   log, and `events` builds the full array only when someone reads it (then keeps it). Copying the
 *   whole history on every step made a hand O(n²).
 * - Seats are copy-on-write: a Draft starts with the previous Snapshot's seat records and clones one only
 *   when the step writes to it (`writable`). Seat records are never changed after a Snapshot is made, so
 *   consecutive states share the ones that did not change; `own` records which were cloned, and those
 *   are the ones the step's conservation check must look at.
 */
import { type Chips } from '../money';
import { type UnitInfo, unitInfoOf } from './fast-money';
import type { TurnInfo } from './betting';
import { type HandConfig, type HandEvent, type HandResult, type HandState, type SeatState, type Street } from './types';
import { type Card } from './cards';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A seat record being written by the current step. */
export type MutableSeat = Mutable<SeatState>;

/** The events of one step, linked to everything before it. */
interface EventLog {
  readonly prev: EventLog | undefined;
  readonly items: readonly HandEvent[];
  /** The full history up to and including `items`, once someone asked for it. */
  flat: HandEvent[] | undefined;
}

/**
 * Key of a Snapshot's event log. A symbol rather than a private field so that a spread copy of a state
 * (`{ ...state, seats }`) still carries its history into `apply`; symbols stay out of JSON and Object.keys.
 */
const LOG = Symbol('felt.eventLog');

/** A working copy of a state; `newEvents` collects what this step produced. */
export interface Draft {
  config: HandConfig;
  /** Seat records; a record is shared with the previous state until `writable` clones it. */
  seats: SeatState[];
  /** Bit i set = seats[i] was cloned (or created) by this step. */
  own: number;
  /** The previous state's seat records (undefined at the start of a hand). */
  before: readonly SeatState[] | undefined;
  buttonIndex: number;
  deck: readonly Card[];
  deckPos: number;
  board: readonly Card[];
  street: Street;
  toAct: number | undefined;
  currentBet: Chips;
  minRaise: Chips;
  raiseCount: number;
  lastAggressor: number | undefined;
  /** Shared with the previous state: replace, never push. */
  uncalledReturns: readonly { seat: number; amount: Chips }[];
  handResult: HandResult | undefined;
  newEvents: HandEvent[];
  unit: UnitInfo;
  /** The previous state's log (undefined at the start of a hand). */
  log: EventLog | undefined;
  /** The previous state was not made by this engine, so the next one gets the full conservation check. */
  untrusted: boolean;
}

/** The seat at `index`, cloned first if this step has not written to it yet. */
export function writable(d: Draft, index: number): MutableSeat {
  const bit = 1 << index;
  if ((d.own & bit) === 0) {
    const s = d.seats[index]!;
    d.seats[index] = {
      seat: s.seat, startingStack: s.startingStack, stack: s.stack, streetBet: s.streetBet, contributed: s.contributed,
      folded: s.folded, allIn: s.allIn, hole: s.hole, acted: s.acted, pending: s.pending,
    };
    d.own |= bit;
  }
  return d.seats[index] as MutableSeat;
}

function flatten(log: EventLog): HandEvent[] {
  if (log.flat) return log.flat;
  // Walk back to the nearest step that already has its full history, then append forwards.
  const chain: EventLog[] = [];
  let at: EventLog | undefined = log;
  while (at && !at.flat) {
    chain.push(at);
    at = at.prev;
  }
  const out = at ? at.flat!.slice() : [];
  for (let k = chain.length - 1; k >= 0; k--) for (const e of chain[k]!.items) out.push(e);
  log.flat = out;
  return out;
}

/**
 * The immutable HandState the engine hands out. Plain fields, plus `events` computed from the private
 * log on first read; `toJSON` includes it, so a serialised state reads exactly like a plain object.
 * Private fields are invisible to spreads, JSON and equality checks; `turn` caches what betting.ts
 * works out about the player to act (pure derived data, so caching it cannot change a result).
 */
export class Snapshot implements HandState {
  readonly config: HandConfig;
  readonly seats: readonly SeatState[];
  readonly buttonIndex: number;
  readonly deck: readonly Card[];
  readonly deckPos: number;
  readonly board: readonly Card[];
  readonly street: Street;
  readonly toAct: number | undefined;
  readonly currentBet: Chips;
  readonly minRaise: Chips;
  readonly raiseCount: number;
  readonly lastAggressor: number | undefined;
  readonly uncalledReturns: readonly { seat: number; amount: Chips }[];
  readonly handResult: HandResult | undefined;
  readonly [LOG]: EventLog;
  readonly #unit: UnitInfo;
  #turn: TurnInfo | undefined = undefined;

  constructor(d: Draft) {
    this.config = d.config;
    this.seats = d.seats;
    this.buttonIndex = d.buttonIndex;
    this.deck = d.deck;
    this.deckPos = d.deckPos;
    this.board = d.board;
    this.street = d.street;
    this.toAct = d.toAct;
    this.currentBet = d.currentBet;
    this.minRaise = d.minRaise;
    this.raiseCount = d.raiseCount;
    this.lastAggressor = d.lastAggressor;
    this.uncalledReturns = d.uncalledReturns;
    this.handResult = d.handResult;
    this[LOG] = { prev: d.log, items: d.newEvents, flat: d.log ? undefined : d.newEvents };
    this.#unit = d.unit;
  }

  /** Every event since `start`. */
  get events(): readonly HandEvent[] {
    return flatten(this[LOG]);
  }

  toJSON(): Record<string, unknown> {
    return {
      config: this.config, seats: this.seats, buttonIndex: this.buttonIndex, deck: this.deck, deckPos: this.deckPos,
      board: this.board, street: this.street, toAct: this.toAct, currentBet: this.currentBet, minRaise: this.minRaise,
      raiseCount: this.raiseCount, lastAggressor: this.lastAggressor, uncalledReturns: this.uncalledReturns,
      events: this.events, handResult: this.handResult,
    };
  }

  /**
   * A Snapshot for any HandState: itself, or (for a state built outside the engine, e.g. a spread copy)
   * a Snapshot of its fields whose history is the copied log or else its `events`. Such a state is
   * marked untrusted.
   */
  static of(state: HandState): { snapshot: Snapshot; untrusted: boolean } {
    if (state instanceof Snapshot) return { snapshot: state, untrusted: false };
    const log = (state as Partial<Pick<Snapshot, typeof LOG>>)[LOG];
    const d = draftOf(state, undefined, unitInfoOf(state.config.unit));
    d.newEvents = log ? flatten(log).slice() : [...state.events];
    return { snapshot: new Snapshot(d), untrusted: true };
  }

  /** A Draft to run the next step on. */
  static draft(s: Snapshot, untrusted: boolean): Draft {
    const d = draftOf(s, s[LOG], s.#unit);
    d.untrusted = untrusted;
    return d;
  }

  /** The table unit facts of a state's hand. */
  static unit(s: Snapshot): UnitInfo {
    return s.#unit;
  }

  /** betting.ts's facts about the player to act, computed once per state. */
  static turn(s: HandState, compute: (s: HandState) => TurnInfo): TurnInfo {
    if (!(s instanceof Snapshot)) return compute(s);
    if (s.#turn === undefined) s.#turn = compute(s);
    return s.#turn;
  }
}

function draftOf(s: HandState, log: EventLog | undefined, unit: UnitInfo): Draft {
  return {
    config: s.config, seats: s.seats.slice(), own: 0, before: s.seats, buttonIndex: s.buttonIndex, deck: s.deck, deckPos: s.deckPos,
    board: s.board, street: s.street, toAct: s.toAct, currentBet: s.currentBet, minRaise: s.minRaise,
    raiseCount: s.raiseCount, lastAggressor: s.lastAggressor, uncalledReturns: s.uncalledReturns, handResult: s.handResult,
    newEvents: [], unit, log, untrusted: false,
  };
}

/** Player index left of `index` (clockwise). */
export function nextIndex(state: Pick<HandState, 'seats'>, index: number): number {
  return (index + 1) % state.seats.length;
}

/** Every player index starting left of the button and ending with the button. */
export function orderFromButton(state: Pick<HandState, 'seats' | 'buttonIndex'>): number[] {
  const n = state.seats.length;
  const out: number[] = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = (state.buttonIndex + 1 + k) % n;
  return out;
}
