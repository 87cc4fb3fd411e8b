/**
 * A table actor plus what the transport needs around it: request ids that make every state-changing
 * request idempotent (a duplicate gets the original answer), a bound on waiting for an answer, and the
 * halted state after a broken invariant stopped the actor.
 */
import type { Logger } from 'pino';
import type { Ack, TableSummary, TableView } from '../../../shared/protocol';
import { formatAmount } from '../../../shared/money';
import { buildView } from './player-view';
import { seatOf } from './seating';
import { createTableActor, type TableActor, type TableContext } from './table-machine';
import { reject, type Reply, type TableConfig, type TableDeps, type TableEvent, type TableSeat } from './table-types';
import type { RequestMemo } from '../cluster/request-memo';

/**
 * Remembered request ids per player at one table; the oldest are forgotten first. Memory is per player
 * so that other accounts cannot flush a player's answers. Forgetting is safe for money: a forgotten
 * buy-in or top-up id is recognised by the ledger's permanent idempotency key and refused
 * (`request_replayed`), and cash-outs are keyed by seat session, not by request.
 */
export const MAX_REMEMBERED_REQUESTS_PER_PLAYER = 256;
/** Players whose request ids one table remembers; the least recently active are forgotten first. */
export const MAX_REMEMBERED_PLAYERS = 1_000;
/** Most requests waiting for this table's answer at once; beyond it the table is overloaded and says so. */
export const MAX_PENDING_REQUESTS = 2_000;
/**
 * How long a request may wait for the actor's answer. After it the answer is `outcome_unknown`, never
 * `internal`: a ledger call still in flight may yet commit, and "nothing was changed" would be a lie.
 */
export const REQUEST_TIMEOUT_MS = 20_000;

/** The answer of a table past its lease deadline (here, and in the transport for what it shows). */
export const LEASE_IN_DOUBT_MESSAGE = 'this server could not renew its lease on the table in time; nothing was changed. Retry: the table resumes here or on another node.';

/** Refusals that changed nothing and invite a retry: never remembered as a request's answer. */
const NOTHING_CHANGED: ReadonlySet<string> = new Set(['lease_lost', 'rate_limited']);

/**
 * Whether a refusal is forgotten rather than remembered as the request's answer: those that changed
 * nothing, and (only with a shared memo, which keeps the claim) an open outcome. Without a shared memo
 * an open outcome is remembered: running the request again could apply it twice.
 */
function forgetsAnswer(code: string, shared: boolean): boolean {
  return NOTHING_CHANGED.has(code) || (shared && code === 'outcome_unknown');
}

type EventWithoutReply = TableEvent extends infer E ? (E extends { reply: Reply } ? Omit<E, 'reply'> : never) : never;

/** How a table handle starts, and what it knows of the cluster. */
export interface TableHandleOptions {
  /** The memo every node shares (Redis), when clustered; without it request ids live only here. */
  sharedMemo?: RequestMemo;
  /** The lease this actor runs under: its epoch, and whether this node still holds it by its own clock. */
  lease?: { epoch: string; current(): boolean };
  /** Seats restored from the seat accounts after a takeover (the lease recovery). */
  seats?: Array<TableSeat | null>;
  /** The actor's first view seq (table-machine.ts). */
  firstSeq?: number;
}

interface Remembered {
  fingerprint: string;
  answer: Promise<Ack<Record<string, unknown>>>;
}

/** One live table. */
export class TableHandle {
  readonly actor: TableActor;
  private readonly requests = new Map<string, Map<string, Remembered>>();
  private haltedBy: Error | null = null;
  private pending = 0;
  /** The replies of requests the actor has not answered yet (at most MAX_PENDING_REQUESTS). */
  private readonly waiting = new Set<Reply>();
  /** Resolves once the table closed (every seat cashed out, the row marked closed, the actor stopped). */
  readonly closed: Promise<void>;

  constructor(
    readonly config: TableConfig,
    deps: TableDeps,
    lastHandNumber: number,
    private readonly logger: Logger,
    private readonly options: TableHandleOptions = {},
  ) {
    const lease = options.lease;
    const gated = lease ? { ...deps, canDeliver: () => lease.current() } : deps;
    this.actor = createTableActor({ config, deps: gated, lastHandNumber, seats: options.seats, firstSeq: options.firstSeq });
    let markClosed: () => void = () => undefined;
    this.closed = new Promise<void>((resolve) => (markClosed = resolve));
    this.actor.subscribe({
      complete: () => {
        logger.info({ tableId: config.tableId }, 'table closed');
        markClosed();
      },
      error: (error) => {
        // A thrown invariant stops the actor: the table refuses everything from now on, loudly.
        this.haltedBy = error instanceof Error ? error : new Error(String(error));
        logger.fatal({ err: error, tableId: config.tableId }, 'table actor halted on a broken invariant');
        deps.onHalt?.(config.tableId, this.haltedBy);
      },
    });
    this.actor.start();
  }

  /** Why the table stopped, if it did. */
  get halted(): Error | null {
    return this.haltedBy;
  }

  /** Sends an event and resolves with the actor's answer. */
  ask(event: EventWithoutReply): Promise<Ack<Record<string, unknown>>> {
    if (this.haltedBy) return Promise.resolve(reject('internal', 'this table is halted'));
    // Past its lease as this node last knew it (a pause, a stalled loop, a database it cannot reach), the
    // actor answers nothing: another node may run the table now, and a player must not get answers from
    // a stale copy of the hand. The lease loop then renews the lease or stops the actor.
    if (this.options.lease && !this.options.lease.current()) {
      return Promise.resolve(reject('lease_lost', LEASE_IN_DOUBT_MESSAGE));
    }
    if (this.actor.getSnapshot().status === 'done') return Promise.resolve(reject('table_closed'));
    if (this.actor.getSnapshot().status === 'stopped') return Promise.resolve(reject('lease_lost', 'this server no longer runs the table; nothing was changed. Retry: the table resumes on another node.'));
    if (this.pending >= MAX_PENDING_REQUESTS) return Promise.resolve(reject('rate_limited', 'this table is busy; try again'));
    this.pending++;
    return new Promise((resolve) => {
      let answered = false;
      const timer = setTimeout(() => reply(reject('outcome_unknown', 'the table did not answer in time; the request may still take effect')), REQUEST_TIMEOUT_MS);
      // A stopped server must not be kept alive by a safety timer.
      timer.unref();
      const reply: Reply = (ack) => {
        if (answered) return;
        answered = true;
        this.pending--;
        this.waiting.delete(reply);
        clearTimeout(timer);
        resolve(ack);
      };
      this.waiting.add(reply);
      this.actor.send({ ...event, reply } as TableEvent);
    });
  }

  /** Like `ask`, but a repeated (playerId, requestId) gets the first answer; other parameters under it are a conflict. */
  askOnce(playerId: string, requestId: string, fingerprint: string, event: EventWithoutReply): Promise<Ack<Record<string, unknown>>> {
    const mine = this.requests.get(playerId) ?? new Map<string, Remembered>();
    // Re-inserting keeps the map in least-recently-active order, so the oldest player is evicted first.
    this.requests.delete(playerId);
    this.requests.set(playerId, mine);
    const seen = mine.get(requestId);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return Promise.resolve(reject('idempotency_conflict', 'requestId was used with other parameters'));
      return seen.answer;
    }
    const answer = this.options.sharedMemo ? this.askShared(playerId, requestId, fingerprint, event) : this.ask(event);
    const remembered = { fingerprint, answer };
    mine.set(requestId, remembered);
    // An answer that says "nothing happened yet, ask again" is not the request's answer: forget it, so the
    // retry runs (or, clustered, consults the shared memo, where the real answer lands) instead of
    // getting the same refusal for as long as the id is remembered.
    void answer.then((ack) => {
      if (!ack.ok && forgetsAnswer(ack.error.code, !!this.options.sharedMemo) && mine.get(requestId) === remembered) mine.delete(requestId);
    }, () => undefined);
    if (mine.size > MAX_REMEMBERED_REQUESTS_PER_PLAYER) mine.delete(mine.keys().next().value!);
    if (this.requests.size > MAX_REMEMBERED_PLAYERS) this.requests.delete(this.requests.keys().next().value!);
    return answer;
  }

  /**
   * `ask` behind the shared memo: a request another node (or an earlier owner of this table) already
   * answered gets that answer; one still in flight under this epoch is `outcome_unknown` (its retry will
   * find the answer). One an earlier owner claimed and never answered runs here: that owner is fenced, so
   * it can no longer commit it, and the ledger's idempotency keys (buy-in and top-up keys carry the
   * requestId, a cash-out's key its seat session) refuse whatever it did commit. If Redis is unreachable
   * the request runs on the local memory alone, under the same ledger keys.
   */
  private async askShared(playerId: string, requestId: string, fingerprint: string, event: EventWithoutReply): Promise<Ack<Record<string, unknown>>> {
    const memo = this.options.sharedMemo!;
    const epoch = this.options.lease?.epoch ?? '0';
    const key = { tableId: this.config.tableId, playerId, requestId };
    let claimed = true;
    try {
      const claim = await memo.claim(key, fingerprint, epoch);
      if (claim.kind === 'conflict') return reject('idempotency_conflict', 'requestId was used with other parameters');
      if (claim.kind === 'answered') return claim.ack;
      if (claim.kind === 'pending') return reject('outcome_unknown', 'this request is still being processed; retry it for the answer');
    } catch (error) {
      claimed = false;
      this.logger.warn({ err: error, tableId: this.config.tableId }, 'shared request memo unavailable; using local memory only');
    }
    const ack = await this.ask(event);
    if (!claimed) return ack;
    const warn = (error: unknown) => this.logger.warn({ err: error }, 'could not update the shared request memo');
    // Only a real answer is stored: a refusal that changed nothing frees the claim for the retry, and an
    // open outcome leaves it pending (a later owner takes it over) rather than storing "unknown" for good.
    if (ack.ok || !forgetsAnswer(ack.error.code, true)) await memo.settle(key, fingerprint, epoch, ack).catch(warn);
    else if (NOTHING_CHANGED.has(ack.error.code)) await memo.release(key, fingerprint, epoch).catch(warn);
    return ack;
  }

  /** True when no hand is in play here (nothing to finish before a shutdown). */
  get idle(): boolean {
    return this.haltedBy !== null || this.actor.getSnapshot().status !== 'active' || this.context().hand === null;
  }

  /** Fire-and-forget events (presence, shutdown). */
  notify(event: Extract<TableEvent, { type: 'player.presence' | 'player.refresh' | 'table.drain' | 'table.abortHand' }>): void {
    if (!this.haltedBy) this.actor.send(event);
  }

  private context(): TableContext {
    return this.actor.getSnapshot().context;
  }

  /** The view of this table for `viewerId` (null = anonymous watcher). */
  view(viewerId: string | null): TableView {
    return buildView(this.context(), viewerId);
  }

  /** Seats held and whether a hand is in play, for the live gauges. */
  liveCounts(): { seated: number; handInProgress: boolean } {
    const context = this.context();
    return { seated: context.seats.filter(Boolean).length, handInProgress: context.hand !== null };
  }

  /** True once an operator asked to close the table (it is then gone from the lobby). */
  get closing(): boolean {
    return this.context().closing;
  }

  /** The seat number the player holds here, if any. */
  seatNumberOf(playerId: string): number | undefined {
    return seatOf(this.context().seats, playerId)?.seat;
  }

  /** The hand being played now, if any. */
  currentHandId(): string | null {
    const hand = this.context().hand;
    return hand && hand.handId ? hand.handId : null;
  }

  /** Every seated player's id. */
  seatedPlayerIds(): string[] {
    return this.context().seats.flatMap((s) => (s ? [s.playerId] : []));
  }

  /** True when the player holds a seat here. */
  isSeated(playerId: string): boolean {
    return !!seatOf(this.context().seats, playerId);
  }

  /** The player's hole cards in the current hand, if dealt, with the deck commitment they were dealt under. */
  holeCards(playerId: string): { handId: string; cards: string[]; commitment: string } | null {
    const v = this.view(playerId);
    return v.handId && v.commitment && v.you && v.you.holeCards.length > 0
      ? { handId: v.handId, cards: v.you.holeCards, commitment: v.commitment }
      : null;
  }

  /** The lobby entry. */
  summary(): TableSummary {
    const c = this.config;
    const f = (x: typeof c.unit) => formatAmount(x, c.unit);
    return {
      tableId: c.tableId,
      name: c.name,
      variant: c.variant,
      maxSeats: c.maxSeats,
      seated: this.context().seats.filter(Boolean).length,
      smallBlind: f(c.smallBlind),
      bigBlind: f(c.bigBlind),
      ante: f(c.ante),
      minBuyIn: f(c.minBuyIn),
      maxBuyIn: f(c.maxBuyIn),
      unit: c.unit.toString(),
    };
  }

  /** Sends the messages held while the lease was in doubt; called once it was renewed (outbound.ts). */
  deliverHeld(): void {
    if (this.actor.getSnapshot().status === 'active') this.context().outbox.flush();
  }

  /** False while this node is past its lease deadline for the table: nothing it holds may be shown. */
  get leaseCurrent(): boolean {
    return !this.options.lease || this.options.lease.current();
  }

  /** Stops the actor (shutdown, or the lease moved); messages it still held are dropped with it. */
  stop(): void {
    this.actor.stop();
    // A stopped actor answers nothing, so its callers hear now rather than at REQUEST_TIMEOUT_MS. The
    // outcome stays open: a ledger call of this actor may have committed before its lease was taken.
    for (const reply of [...this.waiting]) reply(reject('outcome_unknown', 'the table moved to another node while this request ran; retry it for the answer'));
  }
}
