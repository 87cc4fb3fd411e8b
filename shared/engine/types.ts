/**
 * Types of the pure hand engine. Everything here is plain data: a HandState is an immutable snapshot
 * that `apply` never mutates, so the table server can keep the previous state for audit or rollback.
 * Amounts are decimal.js `Chips`; only events carry amounts as decimal strings because they are
 * persisted as JSON and sent to clients.
 */
import { type Chips } from '../money';
import { type Card } from './cards';

/** NT = no-limit hold'em, PO = pot-limit Omaha, FT = fixed-limit hold'em (the PHH variant codes). */
export const VARIANTS = ['NT', 'PO', 'FT'] as const;
/** One of VARIANTS; the only declaration of the type (protocol, ledger and history import it). */
export type Variant = (typeof VARIANTS)[number];

/** The table rules a hand is played under. All amounts are multiples of `unit`. */
export interface HandConfig {
  variant: Variant;
  /** Smallest amount: 1 or 0.01 etc. */
  unit: Chips;
  smallBlind: Chips;
  bigBlind: Chips;
  /** Posted by everyone before the blinds; may be 0. */
  ante: Chips;
  /** Extra blinds posted after the big blind, in order to its left. */
  straddles?: Chips[];
  /** NL/PL minimum opening bet (usually the big blind). */
  minBet: Chips;
  /** FT bet size on pre-flop and flop. */
  smallBet?: Chips;
  /** FT bet size on turn and river. */
  bigBet?: Chips;
  /** FT cap: voluntary bets + raises allowed per street (blinds not counted; default 4, as PokerKit). */
  maxRaisesPerStreet?: number;
  /** Percent of the pot taken as rake, e.g. 5 for 5%; 0 = no rake. */
  rakePercent: Chips;
  /** Largest rake per hand; 0 = uncapped. */
  rakeCap: Chips;
  /**
   * PokerKit compatibility for PHH replay only: every bet or raise, even a short all-in, reopens the
   * betting (PokerKit, the corpus oracle, does not implement the short all-in rule). Felt tables
   * leave this unset.
   */
  shortAllInReopens?: boolean;
  /**
   * PokerKit compatibility for PHH replay only: a straddle leaves the minimum raise increment at the
   * big blind (PokerKit: 1/2/4 → raise to 6) instead of the straddle (Felt: raise to 8).
   */
  straddleKeepsMinRaise?: boolean;
  /**
   * Re-execution of hands stored before December 2026 only: the engine then still asked the last
   * player who could act for a check after they had matched the bet with nobody left to bet against
   * (heads-up, the big blind after the small blind called all-in). Those stored hands hold that check.
   */
  legacyAsksMatchedPlayer?: boolean;
}

/** A player at the start of a hand: table seat index (0..9) and chips behind. */
export interface SeatInput {
  seat: number;
  stack: Chips;
}

/** Betting streets, then the terminal marker. */
export type Street = 'preflop' | 'flop' | 'turn' | 'river' | 'complete';

/** What a player may do. */
export const ACTION_TYPES = ['fold', 'check', 'call', 'bet', 'raise'] as const;
/** One of ACTION_TYPES; the only declaration of the type (the wire schema is built from the list). */
export type ActionType = (typeof ACTION_TYPES)[number];

/** A player's request; `to` is the street total after a bet or raise (PHH "cbr X"). */
export interface PlayerAction {
  seat: number;
  type: ActionType;
  to?: Chips;
}

/** Why a player's action was refused (mapped onto shared/codes.ts by the server). */
export type RejectionCode = 'not_your_turn' | 'illegal_action' | 'invalid_amount' | 'hand_complete';

/** A refused action: a returned value, never an exception. */
export interface Rejection {
  ok: false;
  code: RejectionCode;
  message: string;
}

/** The options of the player to act. minTo/maxTo are street totals and are absent when no bet/raise is allowed. */
export interface LegalActions {
  seat: number;
  canFold: boolean;
  canCheck: boolean;
  /** Chips the player would add by calling (0 when checking is possible); capped at the stack. */
  callAmount: Chips;
  canBet: boolean;
  canRaise: boolean;
  minTo?: Chips;
  maxTo?: Chips;
}

/** Everything that happens in a hand, as a JSON-safe record (amounts are decimal strings, cards "AsKd"). */
export type HandEvent =
  | { type: 'post'; seat: number; kind: 'ante' | 'sb' | 'bb' | 'straddle'; amount: string; allIn: boolean }
  | { type: 'deal_hole'; seat: number; cards: string }
  | { type: 'action'; seat: number; action: ActionType; amount: string; to?: string; allIn: boolean }
  | { type: 'street'; street: 'flop' | 'turn' | 'river'; cards: string }
  | { type: 'uncalled_return'; seat: number; amount: string }
  | { type: 'showdown'; seat: number; shown: boolean; cards?: string; description?: string }
  | { type: 'rake'; amount: string }
  | { type: 'award'; seat: number; pot: number; amount: string };

/** One player's state inside a hand. */
export interface SeatState {
  /** Table seat index. */
  readonly seat: number;
  readonly startingStack: Chips;
  /** Chips behind. */
  readonly stack: Chips;
  /** Chips put in during the current street (blinds count, antes do not). */
  readonly streetBet: Chips;
  /** Everything put in this hand, including `streetBet` and the ante. */
  readonly contributed: Chips;
  readonly folded: boolean;
  /** Not folded and no chips behind. */
  readonly allIn: boolean;
  readonly hole: readonly Card[];
  /** Has acted voluntarily in the current betting round (posting a blind is not acting). */
  readonly acted: boolean;
  /** Still owes an action in the current betting round. */
  readonly pending: boolean;
}

/** An immutable snapshot of a hand. Indices (toAct, buttonIndex, lastAggressor) index `seats`, not table seats. */
export interface HandState {
  readonly config: HandConfig;
  readonly seats: readonly SeatState[];
  readonly buttonIndex: number;
  readonly deck: readonly Card[];
  /** Next undealt deck position. */
  readonly deckPos: number;
  readonly board: readonly Card[];
  readonly street: Street;
  readonly toAct: number | undefined;
  /** Largest street bet (the amount to call). */
  readonly currentBet: Chips;
  /** The last full bet or raise increment of this street (the minimum raise). */
  readonly minRaise: Chips;
  /** Voluntary bets and raises this street (the FT cap counts these). */
  readonly raiseCount: number;
  /** The last player to bet or raise in the latest betting round that had action. */
  readonly lastAggressor: number | undefined;
  readonly uncalledReturns: readonly { seat: number; amount: Chips }[];
  /**
   * Every event since `start`. On engine states this is computed from a persistent log on first read
   * (see draft.ts), so a step never copies the history; read `apply(...).events` for one step's events.
   * A spread copy (`{ ...state }`) has no `events` of its own but still carries the log into `apply`.
   */
  readonly events: readonly HandEvent[];
  /** Set when the hand is complete. */
  readonly handResult: HandResult | undefined;
}

/** The result of apply: a new state and the events it produced, or a rejection. */
export type ApplyResult = { ok: true; state: HandState; events: HandEvent[] } | Rejection;

/**
 * One pot after the hand: gross amount, the rake taken from it, and who won what. `eligibleSeats` are
 * the pot's contenders: live players who reached it and can win something (see pots.ts).
 */
export interface PotResult {
  amount: Chips;
  rake: Chips;
  eligibleSeats: number[];
  winners: { seat: number; amount: Chips }[];
}

/** A player's hand at showdown; `shown: false` means mucked and must never be revealed. */
export interface ShowdownEntry {
  seat: number;
  cards: Card[];
  value: number;
  description: string;
  shown: boolean;
}

/** Everything the ledger and the history need. Records are keyed by table seat. */
export interface HandResult {
  pots: PotResult[];
  rake: Chips;
  uncalledReturns: { seat: number; amount: Chips }[];
  /** Chips won from pots (excluding uncalled returns). */
  payouts: Record<number, Chips>;
  /** Final stack minus starting stack; sum(net) + rake == 0. */
  netBySeat: Record<number, Chips>;
  finalStacks: Record<number, Chips>;
  board: Card[];
  showdown: ShowdownEntry[];
  wentToShowdown: boolean;
  sawFlop: boolean;
}
