/**
 * The Felt wire protocol, defined once: typed Socket.IO event maps for both directions and the zod
 * schemas every inbound payload is parsed with. Amounts are decimal strings everywhere on the wire.
 */
import { z } from 'zod';
import type { ErrorBody } from './codes';
import type { DeckOpening } from './engine/deck-commitment';
import { ACTION_TYPES, type ActionType, type Variant } from './engine/types';

export type { DeckOpening } from './engine/deck-commitment';
export type { ActionType, Variant } from './engine/types';

/** Longest string we accept for an amount before even looking at it. */
const AMOUNT_MAX_CHARS = 32;

/** A decimal amount string; the exact unit check happens where the table's unit is known. */
export const amountSchema = z.string().min(1).max(AMOUNT_MAX_CHARS);
/** A request id makes a state-changing event idempotent: a duplicate gets the original answer. */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
export const tableIdSchema = z.string().uuid();
export const handIdSchema = z.string().uuid();
export const seatSchema = z.number().int().min(0).max(9);
export const actionTypeSchema = z.enum(ACTION_TYPES);

/** Payload schemas for every client → server event, all strict (unknown keys are rejected). */
export const clientSchemas = {
  'lobby:list': z.object({}).strict(),
  'table:watch': z.object({ tableId: tableIdSchema }).strict(),
  'table:unwatch': z.object({ tableId: tableIdSchema }).strict(),
  'table:sit': z.object({ tableId: tableIdSchema, seat: seatSchema.optional(), buyIn: amountSchema, requestId: requestIdSchema }).strict(),
  'table:topup': z.object({ tableId: tableIdSchema, amount: amountSchema, requestId: requestIdSchema }).strict(),
  'table:sitout': z.object({ tableId: tableIdSchema }).strict(),
  'table:sitin': z.object({ tableId: tableIdSchema }).strict(),
  'table:leave': z.object({ tableId: tableIdSchema, requestId: requestIdSchema }).strict(),
  // Printable text only: control characters could forge line breaks in logs and exports.
  'table:chat': z.object({ tableId: tableIdSchema, text: z.string().trim().min(1).max(200).regex(/^[^\p{Cc}]+$/u, 'no control characters') }).strict(),
  'table:act': z
    .object({
      tableId: tableIdSchema,
      handId: handIdSchema,
      action: actionTypeSchema,
      amount: amountSchema.optional(),
      requestId: requestIdSchema,
      // The turn this action answers (`turn.number` of the view it was decided on). With it, an action
      // delayed on the way (a paused node, a Redis restart, a slow link) is refused once that turn is over,
      // instead of landing on the same player's next turn of the hand as a decision they never made there.
      turn: z.number().int().min(0).max(1_000_000).optional(),
    })
    .strict(),
} as const;

export type ClientEventName = keyof typeof clientSchemas;
export const CLIENT_EVENTS = Object.keys(clientSchemas) as ClientEventName[];
export type ClientPayload<E extends ClientEventName> = z.infer<(typeof clientSchemas)[E]>;

/** Every ack is either ok with a body or an error from the closed list. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** A table as listed in the lobby. */
export interface TableSummary {
  tableId: string;
  name: string;
  variant: Variant;
  maxSeats: number;
  seated: number;
  smallBlind: string;
  bigBlind: string;
  ante: string;
  minBuyIn: string;
  maxBuyIn: string;
  unit: string;
}

/** Static configuration shown with every table view. */
export interface TableConfigView extends Omit<TableSummary, 'seated' | 'tableId' | 'name'> {
  rakePercent: string;
  rakeCap: string;
  actionTimeoutMs: number;
  /** The full time bank each player has at this table (drawn on when the action timer runs out). */
  timeBankMs: number;
}

export type SeatStatus = 'waiting' | 'active' | 'folded' | 'all_in' | 'sitting_out';

/** One occupied seat as any viewer may see it. */
export interface SeatView {
  seat: number;
  playerId: string;
  username: string;
  stack: string;
  bet: string;
  status: SeatStatus;
  holeCardCount: number;
  connected: boolean;
  /** Time bank this player has left, in ms. */
  timeBankMs: number;
  /** Only present once the cards were shown at showdown. */
  shownCards?: string[];
}

/** What the viewer may do now; present only for the player whose turn it is. */
export interface LegalActionsView {
  actions: ActionType[];
  callAmount: string;
  minTo: string | null;
  maxTo: string | null;
}

/**
 * `paused`: the database did not answer when a hand was to start (or end); no hand starts and no chip
 * moves until it answers again. The table retries by itself with a growing delay.
 */
export type TablePhase = 'waiting' | 'hand' | 'settling' | 'between_hands' | 'paused';

/** The whole table as one viewer sees it (built by the server's player-view module only). */
export interface TableView {
  tableId: string;
  name: string;
  config: TableConfigView;
  phase: TablePhase;
  handId: string | null;
  handNumber: number | null;
  /** Increases with every event of the table; a client can drop views older than one it has. */
  seq: number;
  button: number | null;
  street: 'preflop' | 'flop' | 'turn' | 'river' | 'showdown' | null;
  board: string[];
  pots: Array<{ amount: string }>;
  seats: SeatView[];
  /**
   * Whose turn it is. `number` counts the turns of this hand from 1 and changes exactly when a new turn
   * begins: a view can be re-sent during one turn (a seat change, a reconnect), so answer each
   * (handId, turn.number) once, not each view.
   */
  turn: { seat: number; deadline: number; number: number; timeBank: boolean } | null;
  /** Merkle root committing to every position of this hand's deck, published before the deal (see Fairness). */
  commitment: string | null;
  /** The viewer's own seat and, on their turn, legal actions. */
  you: { playerId: string; seat: number | null; legal: LegalActionsView | null; holeCards: string[] } | null;
}

/** One thing that happened in a hand, as broadcast (never contains unrevealed cards). */
export interface HandEventMessage {
  tableId: string;
  handId: string;
  seq: number;
  /** `voided`: the hand was cancelled (its settlement failed); no chips moved and stacks are as before it. */
  type: 'post' | 'action' | 'street' | 'uncalled_return' | 'timeout' | 'showdown' | 'voided';
  seat?: number;
  action?: string;
  amount?: string;
  to?: string;
  allIn?: boolean;
  cards?: string[];
  street?: string;
  reason?: string;
}

/** The outcome of a hand, announced only after its settlement transaction committed. */
export interface HandResultMessage {
  tableId: string;
  handId: string;
  handNumber: number;
  board: string[];
  pots: Array<{ amount: string; winners: Array<{ seat: number; playerId: string; amount: string }> }>;
  rake: string;
  showdown: Array<{ seat: number; playerId: string; cards: string[]; description: string }>;
  /** The deck commitment published before the deal, and how it was made. */
  commitment: string;
  commitmentScheme: 'felt-deck-merkle-v1';
  /** Openings of the board's positions and of the cards shown at showdown; nothing else (never the seed). */
  openings: DeckOpening[];
  stacks: Array<{ seat: number; playerId: string; stack: string }>;
}

/**
 * The fate of a top-up that was acknowledged as pending (asked for during a hand the player is in):
 * `applied` once it committed right after the hand (with the new stack), `cancelled` when the player
 * left first (no chips moved), `refused` when the ledger refused it (no chips moved; see `error`).
 */
export interface TopUpNotice {
  tableId: string;
  requestId: string;
  status: 'applied' | 'cancelled' | 'refused';
  amount: string;
  stack?: string;
  error?: ErrorBody;
}

/** A player's own hole cards, sent to that player alone as the hand is dealt, with the deck commitment. */
export interface HandCardsMessage {
  tableId: string;
  handId: string;
  cards: string[];
  /** The same Merkle root as `TableView.commitment`, so the cards arrive already committed to. */
  commitment: string;
}

/** After settlement, to one player only: the openings of that player's own hole-card positions. */
export interface HandOpeningsMessage {
  tableId: string;
  handId: string;
  commitment: string;
  commitmentScheme: 'felt-deck-merkle-v1';
  openings: DeckOpening[];
}

type AckFn<T extends object> = (ack: Ack<T>) => void;

/** Events the client sends; every one takes an ack callback. */
export interface ClientToServerEvents {
  'lobby:list': (payload: ClientPayload<'lobby:list'>, ack: AckFn<{ tables: TableSummary[] }>) => void;
  'table:watch': (payload: ClientPayload<'table:watch'>, ack: AckFn<{ state: TableView }>) => void;
  'table:unwatch': (payload: ClientPayload<'table:unwatch'>, ack: AckFn<object>) => void;
  'table:sit': (payload: ClientPayload<'table:sit'>, ack: AckFn<{ seat: number; stack: string; state: TableView }>) => void;
  'table:topup': (payload: ClientPayload<'table:topup'>, ack: AckFn<{ stack: string; pending: boolean }>) => void;
  'table:sitout': (payload: ClientPayload<'table:sitout'>, ack: AckFn<object>) => void;
  'table:sitin': (payload: ClientPayload<'table:sitin'>, ack: AckFn<object>) => void;
  'table:leave': (payload: ClientPayload<'table:leave'>, ack: AckFn<{ cashedOut: string | null; pending: boolean }>) => void;
  /** On protocol 2 the ack also carries `frame`: what the action sent this socket (no separate frame comes for it). */
  'table:act': (payload: ClientPayload<'table:act'>, ack: AckFn<{ seq: number; frame?: TableFrame }>) => void;
  'table:chat': (payload: ClientPayload<'table:chat'>, ack: AckFn<{ messageId: string }>) => void;
}

/** A chat message said at a table (seated players and watchers may chat; stored with the hand in play). */
export interface ChatMessage {
  tableId: string;
  handId: string | null;
  messageId: string;
  playerId: string;
  username: string;
  text: string;
  at: string;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'table:state': (view: TableView) => void;
  'hand:cards': (msg: HandCardsMessage) => void;
  'hand:event': (msg: HandEventMessage) => void;
  'hand:result': (msg: HandResultMessage) => void;
  'seat:topup': (msg: TopUpNotice) => void;
  'hand:openings': (msg: HandOpeningsMessage) => void;
  'session:ended': (msg: SessionEndedMessage) => void;
  /** The server is shutting down: no new hand starts; hands in play finish within `drainMs` or are voided. */
  'server:shutdown': (msg: { drainMs: number }) => void;
  'table:chat': (msg: ChatMessage) => void;
  /** Protocol 2 only: everything one table step sent to this socket, in order (see `TableFrame`). */
  'table:frame': (frame: TableFrame) => void;
}

/**
 * The wire protocol versions. 1 (the default): every table message is its own event (`table:state`,
 * `hand:event`, …). 2: asked for at the handshake with `auth: { token, protocol: 2 }`; every table
 * message comes inside one `table:frame` per table step, and watchers get `table:turn` items instead of
 * a full view on every turn. Anything else in `protocol` fails the handshake with `invalid_payload`.
 */
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
/** The version a client gets when its handshake names none. */
export const DEFAULT_PROTOCOL: ProtocolVersion = 1;

/** The handshake's `auth` as far as the protocol choice goes (the token is checked by the auth service). */
export const handshakeAuthSchema = z.object({ protocol: z.union([z.literal(1), z.literal(2)]).optional() });

/** Most items one frame carries; a table step that sends more is split over several frames, in order. */
export const MAX_FRAME_ITEMS = 64;

/**
 * View seqs a table's owner may use under one lease epoch. When another node takes a table over (its
 * lease epoch grows), its views start at (epoch - 1) x this, above anything the old owner sent; a view
 * from an older epoch that arrives late (a paused node waking up) is stale and is to be dropped.
 */
export const VIEW_SEQS_PER_EPOCH = 1_000_000_000;

/**
 * Protocol 2: the turn moved on. Sent instead of a full `table:state` to sockets that learn the rest
 * from the frame's `hand:event` items (watchers, and seated players whose own view did not change).
 */
export interface TurnNotice {
  tableId: string;
  handId: string | null;
  /** The `seq` of the view this turn belongs to; newer than every view sent before it. */
  seq: number;
  turn: TableView['turn'];
}

/** One message inside a frame: `type` is the protocol 1 event name it replaces, `payload` that event's payload. */
export type FrameItem =
  | { type: 'table:state'; payload: TableView }
  | { type: 'table:turn'; payload: TurnNotice }
  | { type: 'hand:event'; payload: HandEventMessage }
  | { type: 'hand:cards'; payload: HandCardsMessage }
  | { type: 'hand:result'; payload: HandResultMessage }
  | { type: 'hand:openings'; payload: HandOpeningsMessage }
  | { type: 'seat:topup'; payload: TopUpNotice };

/** Protocol 2: everything one table step sent to this socket. Handle `items` in order, as if each were its own event. */
export interface TableFrame {
  v: 2;
  tableId: string;
  items: FrameItem[];
}

/**
 * Sent just before the server closes a socket whose authorisation ended: `expired` when the token's
 * lifetime is over, `logged_out` when the player logged out (which revokes every token they hold).
 * Log in again for a new token before reconnecting.
 */
export interface SessionEndedMessage {
  reason: 'expired' | 'logged_out';
}

/** Per-socket data the server keeps after the handshake. */
export interface SocketData {
  playerId: string;
  username: string;
  role: 'player' | 'admin';
  /** When the handshake token expires (ms since the epoch); the socket is closed then. */
  expiresAtMs: number;
  /** The wire protocol version chosen at the handshake (absent until the frame middleware ran: version 1). */
  protocol?: ProtocolVersion;
}

/** Limits the protocol promises; the server enforces them. */
export const PROTOCOL_LIMITS = {
  /** Largest event payload; a bigger one (up to maxFrameBytes) is answered with `payload_too_large`. */
  maxPayloadBytes: 16 * 1024,
  /** Largest frame the transport reads; a bigger one closes the connection (WebSocket close code 1009). */
  maxFrameBytes: 64 * 1024,
  /** Open sockets per account (per server process); one more fails the handshake with `too_many_connections`. */
  maxConnectionsPerPlayer: 8,
  /** Sockets of one account watching the same table. */
  maxWatchersPerPlayerPerTable: 2,
  /** Table watches of one account over all its sockets, not counting tables where it holds a seat. */
  maxWatchesPerPlayer: 16,
  maxTablesPerPlayer: 8,
  maxViewersPerTable: 200,
  maxSeats: 10,
  /** Sustained events per second per socket, with a burst allowance. */
  socketEventsPerSecond: 20,
  socketBurst: 40,
} as const;
