/**
 * One simulated player. It knows only what the protocol tells it: it sits with a buy-in, acts from the
 * legal actions in its own table:state, re-syncs from the server's view after a reconnect, and keeps
 * its own chip accounting from acks and hand:result (credited − bought in + cashed out = wallet).
 */
import { type FrameItem, type HandCardsMessage, type HandEventMessage, type HandResultMessage, type ProtocolVersion, type TableFrame, type TableView } from '../../shared/protocol';
import { Money, ZERO, formatAmount, type Chips } from '../../shared/money';
import { meAtAny, type Session } from './api';
import { Connection, type Pacing, type Timed } from './connection';
import type { Rng } from './rng';
import { FAILOVER_CODES, type SimStats } from './stats';
import { overdueAt, refusalDetail, refusalExplained } from './act-refusal';
import { ViewSeqs, type ViewPath } from './view-seqs';
import type { Decision, Strategy } from './strategies';
import { sameAnswer, type BotChaos } from './chaos';

/** What a bot needs to play. */
export interface BotOptions {
  /** The node the bot's HTTP calls go to. */
  baseUrl: string;
  /** Node URLs for the socket, its own node first; a cluster's others are where it reconnects when its node dies. */
  urls?: readonly string[];
  session: Session;
  tableId: string;
  buyIn: Chips;
  /** Wallet credit the simulator gave this account. */
  credited: Chips;
  strategy: Strategy;
  rng: Rng;
  stats: SimStats;
  /** Present when --chaos is on: the unlucky-client behaviours this bot may show. */
  chaos?: BotChaos;
  /** Client-side request pacing (default: just under the protocol's rate limit). */
  pacing?: Pacing;
  /** Wire protocol (default 2: one `table:frame` per table step). */
  protocol?: ProtocolVersion;
  /**
   * Credits this bot's wallet again when it went broke (as a player deposits again), so a long run does
   * not run out of players; resolves with the amount credited, or null when no reload is left. Without it
   * a broke bot leaves its table.
   */
  reload?: () => Promise<Chips | null>;
}

/** Answers that leave a money request's outcome open: the same requestId is asked again until it is definite. */
const OPEN_OUTCOME = new Set(['outcome_unknown', 'unavailable', 'lease_lost', 'table_not_found']);
/** How often, and how far apart, a money request with an open outcome is asked again (20 s in all). */
const OPEN_OUTCOME_RETRIES = 40;
const OPEN_OUTCOME_RETRY_MS = 500;
/** How long a bot waits for a pending cash-out before asking to leave again. */
const LEAVE_REPEAT_MS = 5_000;

type Phase = 'idle' | 'sitting' | 'seated' | 'leaving' | 'left';

/** A bot's chip accounting, all from its own acks and results. */
export interface BotAccount {
  credited: Chips;
  boughtIn: Chips;
  cashedOut: Chips;
  /** Last committed stack the bot knows of. */
  stack: Chips;
}

/** One player at one table. */
export class Bot {
  readonly conn: Connection;
  readonly account: BotAccount;
  phase: Phase = 'idle';
  latest: TableView | null = null;
  /** Number of table:state frames accepted, so a reconnect can wait for the re-sync. */
  statesSeen = 0;
  private cards = new Map<string, string[]>();
  /** The view seqs this socket connection received. */
  private readonly seqs = new ViewSeqs();
  /** A maybeAct is queued for after the views that arrived together (onState). */
  private actScheduled = false;
  private actedKey = '';
  private requestCounter = 0;
  private seatFixing = false;
  /** The last open-outcome answer a money request got (diagnostics). */
  private lastOpenAnswer = '';
  /** What the seat fix is waiting for, and since when (for the report when it never finishes). */
  private seatFixStep = { what: '', sinceMs: 0 };
  private stopping = false;
  private readonly waiters = new Set<() => void>();
  private readonly tag: string;

  constructor(readonly opts: BotOptions) {
    this.conn = new Connection(opts.urls ?? opts.baseUrl, opts.session.token, opts.pacing, opts.protocol ?? 2);
    this.account = { credited: opts.credited, boughtIn: ZERO, cashedOut: ZERO, stack: ZERO };
    this.tag = opts.session.username;
    const s = this.conn.socket;
    s.onAny(() => {
      opts.stats.framesReceived++;
    });
    // A new connection starts a new stream of views: the resume view may repeat the last one seen.
    s.on('connect', () => {
      this.seqs.reset();
    });
    // Protocol 2: a frame's items are handled in order, exactly as the events they stand for.
    s.on('table:frame', (frame) => {
      for (const item of frame.items) this.onItem(item, 'frame');
    });
    // Protocol 2: the ack of our own action carries what it sent us, in place of a frame.
    this.conn.onAck = (ack) => {
      const frame = ack.ok ? (ack as { frame?: TableFrame }).frame : undefined;
      if (frame) for (const item of frame.items) this.onItem(item, 'ack');
    };
    s.on('table:state', (v) => this.onState(v, 'event'));
    s.on('hand:cards', (m) => this.onCards(m));
    s.on('hand:result', (m) => this.onResult(m));
    s.on('hand:event', (m) => this.onEvent(m));
  }

  private onItem(item: FrameItem, path: ViewPath): void {
    switch (item.type) {
      case 'table:state':
        return this.onState(item.payload, path);
      case 'hand:cards':
        return this.onCards(item.payload);
      case 'hand:result':
        return this.onResult(item.payload);
      case 'hand:event':
        return this.onEvent(item.payload);
      default:
        // table:turn, hand:openings and seat:topup: this bot acts on its own views and acks only.
        return;
    }
  }

  private onCards(m: HandCardsMessage): void {
    if (m.tableId === this.opts.tableId) this.cards.set(m.handId, m.cards);
  }

  /** The player id. */
  get playerId(): string {
    return this.opts.session.playerId;
  }

  /** What the wallet should hold by this bot's own accounting. */
  expectedWallet(): Chips {
    return this.account.credited.minus(this.account.boughtIn).plus(this.account.cashedOut);
  }

  /** A fresh request id, unique per bot. */
  nextRequestId(): string {
    this.requestCounter++;
    return `${this.tag}-${this.requestCounter}`;
  }

  /** The hole cards this bot was sent for `handId`. */
  cardsOf(handId: string): string[] | undefined {
    return this.cards.get(handId);
  }

  /** Connects and takes a seat with the configured buy-in. */
  async start(): Promise<void> {
    await this.conn.open();
    await this.sit();
  }

  /** Sends table:sit; with chaos, sometimes twice with one requestId (both must answer the same). */
  async sit(): Promise<boolean> {
    this.phase = 'sitting';
    const payload = { tableId: this.opts.tableId, buyIn: formatAmount(this.opts.buyIn), requestId: this.nextRequestId() };
    const duplicate = this.opts.chaos?.duplicateNow() ?? false;
    const calls = [this.definite<{ seat: number; stack: string }>('table:sit', payload)];
    if (duplicate) calls.push(this.definite<{ seat: number; stack: string }>('table:sit', payload));
    let answers: Timed<{ seat: number; stack: string }>[];
    try {
      answers = await Promise.all(calls);
    } catch (error) {
      this.opts.stats.error(`${this.tag} sit: ${(error as Error).message}`);
      this.phase = 'idle';
      return false;
    }
    const first = answers[0]!;
    if (duplicate) this.opts.stats.probe('duplicate-sit', sameAnswer(first.ack, answers[1]!.ack), `${JSON.stringify(first.ack)} vs ${JSON.stringify(answers[1]!.ack)}`);
    if (!first.ack.ok) {
      this.refused('sit', first.ack.error.code, first.ack.error.message);
      this.phase = 'idle';
      return false;
    }
    this.account.boughtIn = this.account.boughtIn.plus(this.opts.buyIn);
    this.account.stack = new Money(first.ack.stack);
    this.phase = 'seated';
    this.maybeAct();
    return true;
  }

  private onState(view: TableView, path: ViewPath): void {
    if (view.tableId !== this.opts.tableId) return;
    // The protocol promises no socket the same seq twice. An older seq that was not seen is no repeat:
    // views reach a socket on two paths when its table runs on another node (the act's ack and the
    // table's broadcasts), which may cross, and a paused old owner may send late ones; both are dropped below.
    // During a failover (a node or Redis lost) a broadcast between nodes may arrive twice: expected then.
    const newestBefore = this.seqs.newest;
    const first = this.seqs.record(view.seq, path);
    if (first) {
      if (this.opts.stats.inFailover()) this.opts.stats.rejection('repeated_view', true);
      else this.opts.stats.error(`${this.tag} got view seq ${view.seq} again via ${path} (first via ${first}; newest so far ${newestBefore}; connected to ${this.conn.url})`);
    }
    if (this.latest && view.seq < this.latest.seq) return;
    this.latest = view;
    this.statesSeen++;
    // Outside a hand a seat shows its committed stack: it repairs anything missed while disconnected.
    const mine = view.seats.find((x) => x.playerId === this.playerId);
    if (mine && (mine.status === 'waiting' || mine.status === 'sitting_out') && this.phase === 'seated') this.account.stack = new Money(mine.stack);
    for (const w of [...this.waiters]) w();
    if (this.phase !== 'seated' || this.stopping) return;
    this.opts.chaos?.onState(this, view);
    this.fixSeat(view);
    // Views that arrive together (a burst after a stall) are read to the newest before acting, as a
    // client that renders the latest state would: acting on each in turn sends actions already overtaken.
    if (this.actScheduled) return;
    this.actScheduled = true;
    setImmediate(() => {
      this.actScheduled = false;
      this.maybeAct();
    });
  }

  private onResult(m: HandResultMessage): void {
    if (m.tableId !== this.opts.tableId) return;
    this.opts.stats.handSettled(m.tableId, m.handId, m.rake);
    const mine = m.stacks.find((s) => s.playerId === this.playerId);
    if (mine) this.account.stack = new Money(mine.stack);
    this.cards.delete(m.handId);
  }

  private onEvent(m: HandEventMessage): void {
    if (m.tableId !== this.opts.tableId || m.type !== 'timeout') return;
    if (m.seat !== undefined && m.seat === this.latest?.you?.seat) this.opts.chaos?.timedOut(this, m.handId);
  }

  /** Acts when the latest view says it is this bot's turn and it has not answered this turn yet. */
  maybeAct(): void {
    const v = this.latest;
    const legal = v?.you?.legal;
    if (!v || !legal || !v.handId || this.phase !== 'seated' || this.stopping) return;
    if (!v.turn || v.turn.seat !== v.you?.seat) return;
    // One answer per turn: a turn's view can be re-sent (a seat change, a reconnect) with a newer seq.
    const key = `${v.handId}:${v.turn.number}`;
    if (key === this.actedKey) return;
    this.actedKey = key;
    const decision = this.opts.strategy.decide({ legal, view: v, holeCards: this.cards.get(v.handId) ?? v.you?.holeCards ?? [], rng: this.opts.rng });
    const delay = this.opts.chaos?.slowDelayMs(v) ?? 0;
    if (delay > 0) setTimeout(() => void this.act(v, decision, true), delay);
    else void this.act(v, decision, false);
  }

  private async act(view: TableView, decision: Decision, late: boolean): Promise<void> {
    // The turn it answers: a delayed action is then refused when that turn is over, not applied to a later one.
    const payload = { tableId: view.tableId, handId: view.handId!, requestId: this.nextRequestId(), action: decision.action, turn: view.turn!.number, ...(decision.amount ? { amount: decision.amount } : {}) };
    const duplicate = !late && (this.opts.chaos?.duplicateNow() ?? false);
    const dropsBefore = this.conn.drops;
    const sentAtMs = Date.now();
    let first: Timed;
    try {
      const calls = [this.conn.call('table:act', payload)];
      if (duplicate) calls.push(this.conn.call('table:act', payload));
      const answers = await Promise.all(calls);
      first = answers[0]!;
      if (duplicate) {
        const replay = await this.conn.call('table:act', payload);
        // A replay that could not reach the table (it was moving between nodes) has no answer to compare.
        const unreachable = !replay.ack.ok && OPEN_OUTCOME.has(replay.ack.error.code) && this.opts.stats.inFailover();
        const same = sameAnswer(first.ack, answers[1]!.ack) && (unreachable || sameAnswer(first.ack, replay.ack));
        this.opts.stats.probe('duplicate-act', same, `${JSON.stringify(first.ack)} / ${JSON.stringify(answers[1]!.ack)} / ${JSON.stringify(replay.ack)}`);
      }
    } catch (error) {
      // A request lost with a dying node is expected while its tables move; the next view repairs the turn.
      if (this.opts.stats.inFailover()) this.opts.stats.rejection('no_answer', true);
      else this.opts.stats.error(`${this.tag} act ${decision.action}: ${(error as Error).message}`);
      return;
    }
    this.opts.stats.actionAcked(view.tableId, view.handId!, first.ms, first.ack.ok);
    if (first.ack.ok) {
      // A late answer may land on a later turn of ours in the same hand, but only after the timer acted for us.
      if (late) this.opts.stats.probe('late-action', this.opts.chaos?.timeoutSeen(view.handId!) ?? false, 'late action accepted before any timeout');
      return;
    }
    const code = first.ack.error.code;
    const answeredAtMs = Date.now();
    const chaos = this.opts.chaos;
    const expected = refusalExplained(code, {
      late,
      leaving: this.phase !== 'seated',
      dropped: this.conn.drops !== dropsBefore,
      chaosExcuse: chaos ? chaos.excuses(view.handId!) || chaos.timeoutSeen(view.handId!) : false,
      inFailover: this.opts.stats.inFailover(),
      overdue: overdueAt(view, answeredAtMs),
    });
    this.opts.stats.rejection(code, expected);
    if (late) this.opts.stats.probe('late-action', expected, `${code}`);
    else if (!expected) this.opts.stats.error(`${this.tag} act ${JSON.stringify(decision)} refused: ${code} ${first.ack.error.message} ${refusalDetail(view, sentAtMs, answeredAtMs, this.latest)} via ${this.conn.url}, drops ${this.conn.drops - dropsBefore}`);
  }

  /** Sits back in after timeouts, and tops up (or gives up the seat) when busted. */
  private fixSeat(view: TableView): void {
    const seat = view.seats.find((s) => s.playerId === this.playerId);
    if (!seat || seat.status !== 'sitting_out' || this.seatFixing) return;
    this.seatFixing = true;
    void this.refill(new Money(seat.stack)).finally(() => {
      this.seatFixing = false;
    });
  }

  private async refill(stack: Chips): Promise<void> {
    const s = this.opts.stats;
    const step = (what: string) => (this.seatFixStep = { what, sinceMs: performance.now() });
    try {
      if (stack.isZero()) {
        if (this.expectedWallet().lt(this.opts.buyIn)) {
          step('wallet reload');
          const reloaded = this.stopping || !this.opts.reload ? null : await this.opts.reload();
          if (reloaded === null) {
            s.brokeBots++;
            return void (await this.leave());
          }
          this.account.credited = this.account.credited.plus(reloaded);
          s.reloads++;
        }
        step('top-up');
        const top = await this.definite<{ stack: string }>('table:topup', { tableId: this.opts.tableId, amount: formatAmount(this.opts.buyIn), requestId: this.nextRequestId() });
        if (!top.ack.ok) return this.refused('topup', top.ack.error.code, top.ack.error.message);
        this.account.boughtIn = this.account.boughtIn.plus(this.opts.buyIn);
        this.account.stack = new Money(top.ack.stack);
      }
      if (this.stopping) return;
      step('sit-in');
      const sitin = await this.conn.call('table:sitin', { tableId: this.opts.tableId });
      if (!sitin.ack.ok) this.refused('sitin', sitin.ack.error.code, sitin.ack.error.message);
    } catch (error) {
      s.error(`${this.tag} refill: ${(error as Error).message}`);
    }
  }

  private refused(what: string, code: string, message: string): void {
    const expected = this.opts.stats.inFailover() && FAILOVER_CODES.has(code);
    this.opts.stats.rejection(code, expected);
    if (!expected) this.opts.stats.error(`${this.tag} ${what} refused: ${code} ${message}`);
  }

  /**
   * A money request (sit, top-up, leave) whose answer must be definite for the bot's own accounting:
   * while the answer leaves the outcome open (its node died, the table is moving), the same payload
   * and requestId are sent again; the cluster remembers request ids, so it acts at most once.
   */
  private async definite<T extends object>(event: string, payload: unknown): Promise<Timed<T>> {
    let answer = await this.conn.call<T>(event, payload);
    for (let i = 0; i < OPEN_OUTCOME_RETRIES && !answer.ack.ok && OPEN_OUTCOME.has(answer.ack.error.code); i++) {
      this.opts.stats.rejection(answer.ack.error.code, this.opts.stats.inFailover());
      this.lastOpenAnswer = `${event} ${answer.ack.error.code}`;
      await new Promise((resolve) => setTimeout(resolve, OPEN_OUTCOME_RETRY_MS));
      answer = await this.conn.call<T>(event, payload);
    }
    return answer;
  }

  /** Leaves the table and waits until the cash-out committed (the seat is gone from the view). */
  async leave(timeoutMs = 30_000): Promise<boolean> {
    if (this.phase !== 'seated') return this.phase === 'left' || this.phase === 'idle';
    this.phase = 'leaving';
    let answer: Timed<{ cashedOut: string | null; pending: boolean }>;
    try {
      answer = await this.definite<{ cashedOut: string | null; pending: boolean }>('table:leave', { tableId: this.opts.tableId, requestId: this.nextRequestId() });
    } catch (error) {
      this.opts.stats.error(`${this.tag} leave: ${(error as Error).message}`);
      return false;
    }
    if (!answer.ack.ok && answer.ack.error.code === 'not_seated') return this.seatAlreadyGone(answer.ack.error.message);
    if (!answer.ack.ok) {
      this.refused('leave', answer.ack.error.code, answer.ack.error.message);
      this.phase = 'seated';
      return false;
    }
    if (answer.ack.cashedOut !== null) {
      this.account.cashedOut = this.account.cashedOut.plus(new Money(answer.ack.cashedOut));
    } else {
      const out = await this.awaitCashOut(timeoutMs);
      if (!out.gone) {
        this.opts.stats.error(`${this.tag} pending cash-out did not complete within ${timeoutMs} ms`);
        return false;
      }
      // The cash-out moves the whole stack the last hand:result announced (or the amount a repeated leave cashed out).
      this.account.cashedOut = this.account.cashedOut.plus(out.cashedOut !== undefined ? new Money(out.cashedOut) : this.account.stack);
    }
    this.account.stack = ZERO;
    this.phase = 'left';
    return true;
  }

  /**
   * A leave answered `not_seated`: the seat is already gone. After a node died, its successor restores
   * only seats that hold chips and pays other holdings back to the wallet; the dead node may also have
   * settled a last hand whose result never reached this bot. So the bot cannot know what came back: it
   * reads its wallet and takes the difference as the cash-out (counted, and named when it is not the
   * stack the bot last knew). The server-side conservation and reconcile still check every chip.
   * Expected when the view already showed the seat gone.
   */
  private async seatAlreadyGone(message: string): Promise<boolean> {
    const shown = !!this.latest && !this.latest.seats.some((x) => x.playerId === this.playerId);
    if (!shown) this.refused('leave', 'not_seated', message);
    else this.opts.stats.rejection('not_seated', true);
    const { actual, expected } = await this.checkWallet();
    const returned = actual.minus(expected);
    this.opts.stats.inferredCashOuts++;
    if (!returned.eq(this.account.stack)) this.opts.stats.note(`${this.tag}: its seat was gone with ${returned.toString()} returned, not the ${this.account.stack.toString()} it last knew (a result lost with its node)`);
    this.account.cashedOut = this.account.cashedOut.plus(returned);
    this.account.stack = ZERO;
    this.phase = 'left';
    return true;
  }

  /**
   * Waits until the seat is gone from the view. A leave acknowledged as pending lives in the table
   * actor's memory only: if that node dies, the new owner restores the seat (its chips are safe in the
   * seat account) without the wish to leave. So while the seat is still there the bot asks again, as a
   * person would click Leave again; a repeated leave is harmless (one cash-out per seat session).
   */
  private async awaitCashOut(timeoutMs: number): Promise<{ gone: boolean; cashedOut?: string }> {
    const deadline = Date.now() + timeoutMs;
    const gone = () => !!this.latest && !this.latest.seats.some((x) => x.playerId === this.playerId);
    while (Date.now() < deadline) {
      if (await this.until(gone, Math.min(LEAVE_REPEAT_MS, deadline - Date.now()))) return { gone: true };
      const again = await this.conn
        .call<{ cashedOut: string | null }>('table:leave', { tableId: this.opts.tableId, requestId: this.nextRequestId() })
        .catch(() => undefined);
      // The answer settles it even when the view that would show it never came (a broadcast lost
      // between nodes): not seated means the cash-out committed; an amount means it committed now.
      if (again && !again.ack.ok && again.ack.error.code === 'not_seated') return { gone: true };
      if (again?.ack.ok && again.ack.cashedOut !== null) return { gone: true, cashedOut: again.ack.cashedOut };
    }
    return { gone: gone() };
  }

  /** Stops playing: leaves (cash-out) and then no longer reacts to the table. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    this.opts.chaos?.disable();
    if (!this.conn.connected) await this.conn.open().catch(() => undefined);
    // Wait for any refill or chaos step to finish so the leave is not refused as "chip movement in progress".
    const settled = await this.until(() => !this.seatFixing && this.phase !== 'sitting' && this.phase !== 'leaving', 15_000);
    // Said, not only counted as "did not leave": which money request never got a definite answer.
    const fixing = this.seatFixing ? ` (fixing its seat: ${this.seatFixStep.what} for ${Math.round(performance.now() - this.seatFixStep.sinceMs)} ms, last open answer ${this.lastOpenAnswer || 'none'})` : '';
    if (!settled) this.opts.stats.error(`${this.tag} stop: still ${this.phase}${fixing} after 15 s`);
    return this.leave();
  }

  /** The wallet balance the server reports, compared with this bot's own accounting. */
  async checkWallet(baseUrl = this.conn.url): Promise<{ actual: Chips; expected: Chips }> {
    // A node that just died fails the request before the connection has moved on: ask the next node.
    const { balance } = await meAtAny([baseUrl, ...(this.opts.urls ?? []).filter((u) => u !== baseUrl)], this.opts.session.token);
    return { actual: new Money(balance), expected: this.expectedWallet() };
  }

  /** Resolves true once `predicate` holds (checked on every table:state), false after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve(true);
      };
      const poll = setInterval(check, 50);
      const timer = setTimeout(() => {
        cleanup();
        resolve(predicate());
      }, timeoutMs);
      const cleanup = () => {
        clearInterval(poll);
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Mark the bot as stopping without leaving (used before a run aborts). */
  halt(): void {
    this.stopping = true;
  }

  /** Closes the socket. */
  close(): void {
    this.conn.close();
  }
}
