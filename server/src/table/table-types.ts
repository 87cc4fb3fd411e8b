/**
 * Types shared by the table actor, the registry and the view builder: seats, the live hand, events,
 * and the ports (money, history, broadcaster). A table's live state is owned by exactly one XState
 * actor; nothing else mutates it. The actor's context type is in table-context.ts, its effects in
 * table-effects.ts, so that every module below the machine imports types only downwards.
 */
import type { Logger } from 'pino';
import type { Chips } from '../../../shared/money';
import type { ErrorBody, ErrorCode } from '../../../shared/codes';
import type { HandState, HandConfig } from '../../../shared/engine/types';
import type { PokerTable } from '../persistence/poker-tables';
import type {
  Ack,
  HandCardsMessage,
  HandEventMessage,
  HandOpeningsMessage,
  HandResultMessage,
  TableView,
  TopUpNotice,
} from '../../../shared/protocol';
import type { CommitmentScheme, CommittedDeck } from '../../../shared/engine/deck-commitment';
import type { Presence, SeatState } from './seat-machine';

/** Static table configuration: the stored poker_table row, keyed by `tableId`. */
export type TableConfig = Omit<PokerTable, 'id' | 'status' | 'nextHandNumber' | 'createdAt'> & { tableId: string };

/** One occupied seat, as the actor tracks it between and during hands. */
export interface TableSeat {
  seat: number;
  playerId: string;
  username: string;
  /** Chips on the table as last committed by the ledger (the stack before the current hand). */
  stack: Chips;
  /**
   * The buy-in transfer that opened this seat (null while buying in). The seat's cash-out key is
   * derived from it, so each seat session is cashed out exactly once and a leave can never replay the
   * cash-out of an earlier session (which moved nothing now and would strand the chips).
   */
  sessionId: string | null;
  /** Where the seat is in its lifecycle (seat-machine.ts); changed only through `seatTransition`. */
  state: SeatState;
  /** Whether the player has a socket open, and since when not (seat-machine.ts). */
  presence: Presence;
  /** Consecutive action timeouts; two in a row sit the player out. */
  timeouts: number;
  /** Time bank left: drawn on when the action timer runs out, refilled slowly per hand. */
  timeBankMs: number;
}

/** The hand being played, if any. */
export interface LiveHand {
  handId: string;
  handNumber: number;
  /** Merkle root over the deck's positions (felt-deck-merkle-v1), published before the deal. */
  commitment: string;
  /** The deck seed; stored for admin verification, never sent to any client. */
  seedHex: string;
  /** The salts and Merkle tree behind `commitment`, kept so the openings at the end cost no re-hashing. */
  committedDeck: CommittedDeck;
  /** Player of each engine seat index, fixed at the deal. */
  playerBySeat: Record<number, string>;
  engine: HandState;
  /** Next hand_event seq to write. */
  nextEventSeq: number;
  deadline: number | null;
  startedAt: number;
  /** The street every viewer last got a full view of; a new street means a new full broadcast. */
  announcedStreet: string | null;
  /** The player whose personal view last offered legal actions. */
  turnPlayerId: string | null;
  /** Turns begun in this hand (the current turn's number in views). */
  turnNumber: number;
  /** The player to act ran out of time and is on their time bank (granted in full, refunded what is left). */
  bank: { playerId: string; grantedMs: number; announced: boolean } | null;
}

/** Events the table actor accepts. `reply` answers the socket ack (or HTTP request) that caused it. */
export type TableEvent =
  | { type: 'seat.join'; playerId: string; username: string; seat?: number; buyIn: Chips; requestId: string; reply: Reply }
  | { type: 'seat.topup'; playerId: string; amount: Chips; requestId: string; reply: Reply }
  | { type: 'seat.sitout'; playerId: string; reply: Reply }
  | { type: 'seat.sitin'; playerId: string; reply: Reply }
  | { type: 'seat.leave'; playerId: string; requestId: string; reply: Reply }
  | { type: 'player.act'; playerId: string; handId: string; action: 'fold' | 'check' | 'call' | 'bet' | 'raise'; to?: Chips; turn?: number; reply: Reply }
  | { type: 'player.presence'; playerId: string; connected: boolean }
  /** A fresh view (a new seq) for one seated player, whose sockets (re)joined the table. */
  | { type: 'player.refresh'; playerId: string }
  | { type: 'seat.clock' }
  | { type: 'table.close'; reply: Reply }
  | { type: 'table.drain' }
  | { type: 'table.abortHand'; reason: string }
  | { type: 'table.reconfigure'; config: TableConfig; reply: Reply };

/** Answers one request exactly once. */
export type Reply = (ack: Ack<Record<string, unknown>>) => void;

/** Builds a rejection ack. */
export function reject(code: ErrorCode, message?: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message: message ?? code.replace(/_/g, ' ') } };
}

/**
 * The money calls the actor makes, each one ledger transaction, bound to a DataSource (ledger-port.ts).
 * A hand's start is here too: it checks every dealt stack against the seat accounts.
 */
export interface LedgerPort {
  /** `replayed`: the key was used before, nothing moved now and `seatBalance` is historic. */
  buyIn(p: { playerId: string; tableId: string; amount: Chips; idempotencyKey: string; seat?: number }): Promise<SeatMove>;
  topUp(p: { playerId: string; tableId: string; amount: Chips; idempotencyKey: string }): Promise<SeatMove>;
  cashOut(p: { playerId: string; tableId: string; idempotencyKey: string }): Promise<{ amount: Chips; replayed: boolean }>;
  /** Writes the hand row (in_progress) together with its first events (the deal) and returns its id. */
  startHand(p: {
    tableId: string;
    handNumber: number;
    buttonSeat: number;
    config: unknown;
    commitment: string;
    commitmentScheme: CommitmentScheme;
    events: Array<{ seq: number; type: string; payload: unknown }>;
    /** The stack the actor holds for every dealt player; the ledger refuses the hand if a seat account differs. */
    seatStacks: Array<{ playerId: string; stack: Chips }>;
  }): Promise<{ handId: string }>;
  /** Settles the hand and stores `events` (its history after the deal) in the same transaction. */
  settleHand(p: {
    handId: string;
    idempotencyKey: string;
    deltas: Array<{ playerId: string; amount: Chips }>;
    rake: Chips;
    seed: string;
    result: unknown;
    events: Array<{ seq: number; type: string; payload: unknown }>;
  }): Promise<{ seatBalances: Record<string, string> }>;
  /** Voids the hand and stores `events` (its history after the deal) in the same transaction. */
  voidHand(p: { handId: string; reason: string; idempotencyKey: string; seed?: string; events: Array<{ seq: number; type: string; payload: unknown }> }): Promise<void>;
}

/** The calls that store table status but move no money (see ledger-port.ts). */
export interface TableHistoryPort {
  /** Marks the table closed after its last seat was cashed out. */
  markClosed(tableId: string): Promise<void>;
}

/** A committed (or replayed) wallet → seat movement. */
export interface SeatMove {
  transferId: string;
  seatBalance: Chips;
  replayed: boolean;
}

/** Where the actor's output goes; implemented over Socket.IO rooms. */
export interface TableBroadcaster {
  /**
   * Sends each recipient its own view; `viewFor(null)` is the public (watcher) view. With `only`, just
   * those seated players get their views (and watchers the public one); the rest of the table learns
   * what happened from hand:event.
   */
  state(tableId: string, seatedPlayerIds: string[], viewFor: (playerId: string | null) => TableView, only?: string[]): void;
  event(tableId: string, seatedPlayerIds: string[], msg: HandEventMessage): void;
  cards(playerId: string, msg: HandCardsMessage): void;
  /** Tells a player what became of their pending (deferred) top-up. */
  topUp(playerId: string, msg: TopUpNotice): void;
  result(tableId: string, seatedPlayerIds: string[], msg: HandResultMessage): void;
  /** To one player only, after the result: the openings of their own hole-card positions. */
  openings(playerId: string, msg: HandOpeningsMessage): void;
}

/** Hooks for metrics; all optional so tests can omit them. Rejections are counted where requests arrive. */
export interface TableMetrics {
  handSettled?(variant: string, latencyMs: number): void;
  handVoided?(variant: string): void;
}

/** Everything a table actor depends on, passed in so the actor has no globals. */
export interface TableDeps {
  /** Money: buy-in, top-up, cash-out, hand start, settlement, void. */
  ledger: LedgerPort;
  /** History and table rows: hand events, the closed mark. */
  history: TableHistoryPort;
  broadcaster: TableBroadcaster;
  /** 32 bytes of CSPRNG output per hand (production: crypto.randomBytes). */
  randomSeed: () => Uint8Array;
  now: () => number;
  logger: Logger;
  metrics?: TableMetrics;
  /** Pause between a settled hand and the next deal. */
  handPauseMs: number;
  /** Called when an invariant breaks and the actor halts. */
  onHalt?: (tableId: string, error: Error) => void;
  /** When seats end: a disconnected seat sits out, a sat-out seat stands up (chips back to the wallet). */
  seatTimers: SeatTimers;
  /** False while the table's lease is in doubt: outbound holds the messages (outbound.ts). */
  canDeliver?: () => boolean;
}

/** How long a seat may stay disconnected, and sat out, before the table acts for the absent player. */
export interface SeatTimers {
  disconnectSitOutMs: number;
  sitOutStandUpMs: number;
}

/** The engine config for a table. */
export function handConfigOf(config: TableConfig): HandConfig {
  return {
    variant: config.variant,
    unit: config.unit,
    smallBlind: config.smallBlind,
    bigBlind: config.bigBlind,
    ante: config.ante,
    minBet: config.bigBlind,
    smallBet: config.variant === 'FT' ? config.bigBlind : undefined,
    bigBet: config.variant === 'FT' ? config.bigBlind.mul(2) : undefined,
    rakePercent: config.rakePercent,
    rakeCap: config.rakeCap,
  };
}
