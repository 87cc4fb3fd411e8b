/**
 * Hostile and unlucky clients for --chaos. Unlucky bots (BotChaos) sometimes send duplicate requests,
 * act out of turn, drop their connection mid-hand, leave mid-hand or answer too late; hostile accounts
 * send malformed payloads and race buy-ins above their balance at many tables at once. Every probe has
 * an expected answer; anything else is counted as unexpected and fails the run.
 */
import type { Ack, TableView } from '../../shared/protocol';
import { canonicalJson } from '../../shared/canonical-json';
import { Money, formatAmount, type Chips } from '../../shared/money';
import { me, type Session } from './api';
import { Connection } from './connection';
import type { Rng } from './rng';
import { FAILOVER_CODES, type SimStats } from './stats';
import type { Bot } from './bot';

/** How often unlucky behaviours happen, per bot. */
export interface ChaosRates {
  duplicate: number;
  outOfTurn: number;
  reconnect: number;
  leave: number;
  slow: number;
}

/** Default per-opportunity probabilities: rare enough that the tables still play at speed. */
export const DEFAULT_RATES: ChaosRates = { duplicate: 0.03, outOfTurn: 0.01, reconnect: 0.004, leave: 0.002, slow: 0.002 };

/** True when two acks are the same answer (the server must give a duplicate the original answer). */
export function sameAnswer(a: Ack<object>, b: Ack<object>): boolean {
  return canonicalJson(withoutFrame(a)) === canonicalJson(withoutFrame(b));
}

// A protocol 2 ack's `frame` is what the step sent that one socket; a replayed answer runs no step.
function withoutFrame(ack: Ack<object>): Ack<object> {
  if (!ack.ok || !('frame' in ack)) return ack;
  const { frame: _frame, ...rest } = ack as Ack<object> & { frame: unknown };
  return rest;
}

/** The unlucky behaviours of one bot; at most one of the longer ones (reconnect, leave, slow) at a time. */
export class BotChaos {
  private enabled = true;
  private busy = false;
  private slowHand: string | null = null;
  /** Hands in which an out-of-turn probe raced into our real turn and was accepted. */
  private readonly raced = new Set<string>();
  private readonly timeouts = new Set<string>();
  private budget = { reconnect: 2, leave: 1, slow: 1 };

  constructor(
    private readonly rng: Rng,
    private readonly stats: SimStats,
    private readonly rates: ChaosRates = DEFAULT_RATES,
  ) {}

  /** No more chaos (the run is ending). */
  disable(): void {
    this.enabled = false;
  }

  /** Whether to send the next request twice with one requestId. */
  duplicateNow(): boolean {
    return this.enabled && this.rng.chance(this.rates.duplicate);
  }

  /** True when a rejection in this hand is explained by an accepted out-of-turn probe. */
  excuses(handId: string): boolean {
    return this.raced.has(handId);
  }

  /** A delay past the action timer for a slow client, or 0 to answer at once. */
  slowDelayMs(view: TableView): number {
    if (!this.enabled || this.busy || this.budget.slow <= 0 || !this.rng.chance(this.rates.slow)) return 0;
    this.budget.slow--;
    this.slowHand = view.handId;
    // The margin covers a late timer on a loaded server: answering before it fires would be accepted.
    return view.config.actionTimeoutMs + 1_500;
  }

  /** True once the server announced a timeout for this bot in `handId`. */
  timeoutSeen(handId: string): boolean {
    return this.timeouts.has(handId);
  }

  /** The server announced a timeout for this bot's seat. */
  timedOut(_bot: Bot, handId: string): void {
    this.timeouts.add(handId);
    if (this.slowHand === handId) {
      this.slowHand = null;
      this.stats.probe('slow-client-auto-action', true);
    }
  }

  /** Called with every table:state the bot accepts while seated: maybe starts one chaos behaviour. */
  onState(bot: Bot, view: TableView): void {
    if (!this.enabled || this.busy || !view.handId) return;
    const mine = view.seats.find((s) => s.playerId === bot.playerId);
    if (!mine || mine.status !== 'active') return;
    if (view.turn && view.turn.seat !== mine.seat && this.rng.chance(this.rates.outOfTurn)) void this.outOfTurn(bot, view);
    else if (this.budget.reconnect > 0 && this.rng.chance(this.rates.reconnect)) void this.guard(() => this.reconnect(bot, view));
    else if (this.budget.leave > 0 && this.rng.chance(this.rates.leave)) void this.guard(() => this.leaveMidHand(bot));
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await step();
    } catch (error) {
      this.stats.error(`chaos step failed: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async outOfTurn(bot: Bot, view: TableView): Promise<void> {
    const payload = { tableId: view.tableId, handId: view.handId, action: 'fold', requestId: bot.nextRequestId() };
    const { ack } = await bot.conn.call('table:act', payload);
    if (ack.ok) {
      // The turn reached us before the probe arrived: a legal fold, not an error.
      this.raced.add(view.handId!);
      this.stats.probe('out-of-turn', true);
      return;
    }
    // While the table moves between nodes the probe may meet the move before its own refusal.
    const moving = this.stats.inFailover() && FAILOVER_CODES.has(ack.error.code);
    const expected = ack.error.code === 'not_your_turn' || ack.error.code === 'stale_hand' || moving;
    this.stats.rejection(ack.error.code, expected);
    this.stats.probe('out-of-turn', expected, `${ack.error.code}: ${ack.error.message}`);
  }

  private async reconnect(bot: Bot, view: TableView): Promise<void> {
    this.budget.reconnect--;
    const handId = view.handId!;
    const cardsBefore = bot.cardsOf(handId) ?? view.you?.holeCards ?? [];
    const before = bot.statesSeen;
    bot.conn.drop();
    await sleep(50 + this.rng.int(400));
    await bot.conn.open();
    const resynced = await bot.until(() => bot.statesSeen > before, 10_000);
    const v = bot.latest;
    if (!resynced || !v) return this.stats.probe('reconnect-resync', false, 'no table:state after reconnect');
    // The bot may have started leaving meanwhile (the run reached its target, or it gave up a busted
    // seat); a missing seat is only a server fault while the bot still means to be seated.
    if (bot.phase !== 'seated') return this.stats.probe('reconnect-resync', true);
    if (v.you?.seat === null || v.you?.seat === undefined) return this.stats.probe('reconnect-resync', false, 'seat missing after reconnect');
    const seat = v.seats.find((s) => s.playerId === bot.playerId);
    const stillIn = v.handId === handId && seat?.status !== 'folded' && (v.you.holeCards.length > 0 || seat?.status === 'active');
    const cardsOk = !stillIn || cardsBefore.length === 0 || JSON.stringify(v.you.holeCards) === JSON.stringify(cardsBefore);
    this.stats.probe('reconnect-resync', cardsOk, `cards ${JSON.stringify(v.you.holeCards)} != ${JSON.stringify(cardsBefore)}`);
    bot.maybeAct();
  }

  private async leaveMidHand(bot: Bot): Promise<void> {
    this.budget.leave--;
    const left = await bot.leave();
    if (!left) return this.stats.probe('leave-mid-hand', false, 'leave did not complete');
    const wallet = await bot.checkWallet();
    this.stats.probe('leave-mid-hand', wallet.actual.eq(wallet.expected), `wallet ${wallet.actual.toString()} != expected ${wallet.expected.toString()}`);
    await sleep(100 + this.rng.int(300));
    if (this.enabled && bot.expectedWallet().gte(bot.opts.buyIn)) await bot.sit();
  }
}

/** What a hostile client needs. */
export interface HostileContext {
  baseUrl: string;
  /** Every node of a cluster (the connection moves on when its node dies); default: just baseUrl. */
  urls?: readonly string[];
  stats: SimStats;
  rng: Rng;
  tableId: string;
  /** True once the run is ending. */
  stopped: () => boolean;
}

/** A malformed request and the codes it may be answered with. */
interface MalformedProbe {
  name: string;
  event: string;
  payload: (tableId: string, uuid: string) => unknown;
  expect: string[];
}

const UUID = '00000000-0000-4000-8000-000000000000';

/** The malformed payloads a hostile client cycles through. */
export const MALFORMED: readonly MalformedProbe[] = [
  { name: 'empty-act', event: 'table:act', payload: () => ({}), expect: ['invalid_payload'] },
  { name: 'not-an-object', event: 'table:act', payload: () => 'fold please', expect: ['invalid_payload'] },
  { name: 'unknown-key', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'fold', requestId: 'x1', admin: true }), expect: ['invalid_payload'] },
  { name: 'bad-uuid', event: 'table:act', payload: () => ({ tableId: 'nope', handId: UUID, action: 'fold', requestId: 'x2' }), expect: ['invalid_payload'] },
  { name: 'bad-action', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'allin', requestId: 'x3' }), expect: ['invalid_payload'] },
  { name: 'raise-without-amount', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'raise', requestId: 'x4' }), expect: ['invalid_payload'] },
  { name: 'numeric-amount', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'bet', amount: 5, requestId: 'x5' }), expect: ['invalid_payload'] },
  { name: 'exponent-amount', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'bet', amount: '1e3', requestId: 'x6' }), expect: ['invalid_amount'] },
  { name: 'negative-amount', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'raise', amount: '-5', requestId: 'x7' }), expect: ['invalid_amount'] },
  { name: 'sub-unit-amount', event: 'table:act', payload: (t, u) => ({ tableId: t, handId: u, action: 'bet', amount: '0.001', requestId: 'x8' }), expect: ['invalid_amount'] },
  { name: 'garbage-buy-in', event: 'table:sit', payload: (t) => ({ tableId: t, buyIn: 'lots', requestId: 'x9' }), expect: ['invalid_amount'] },
  { name: 'huge-buy-in', event: 'table:sit', payload: (t) => ({ tableId: t, buyIn: '9'.repeat(30), requestId: 'x10' }), expect: ['invalid_amount'] },
  { name: 'bad-seat', event: 'table:sit', payload: (t) => ({ tableId: t, seat: 99, buyIn: '50', requestId: 'x11' }), expect: ['invalid_payload'] },
  { name: 'bad-request-id', event: 'table:leave', payload: (t) => ({ tableId: t, requestId: 'has spaces!' }), expect: ['invalid_payload'] },
];

/** Sends malformed requests (about 8 a second, under the rate limit) until the run stops. */
export async function runHostileClient(ctx: HostileContext, session: Session): Promise<void> {
  const conn = new Connection(ctx.urls ?? ctx.baseUrl, session.token);
  await conn.open();
  try {
    let i = ctx.rng.int(MALFORMED.length);
    while (!ctx.stopped()) {
      const probe = MALFORMED[i % MALFORMED.length]!;
      i++;
      const { ack } = await conn.call(probe.event, probe.payload(ctx.tableId, UUID));
      const code = ack.ok ? 'ok' : ack.error.code;
      // While a table moves between nodes, a well-formed probe may meet the move before its own refusal.
      const expected = probe.expect.includes(code) || (ctx.stats.inFailover() && FAILOVER_CODES.has(code));
      if (!ack.ok) ctx.stats.rejection(code, expected);
      ctx.stats.probe(`malformed:${probe.name}`, expected, `answered ${code}, expected ${probe.expect.join('|')}`);
      await sleep(125);
    }
  } finally {
    conn.close();
  }
}

/** Tries of one race leave while its table moves between nodes (a second apart). */
const RACE_LEAVE_TRIES = 20;

/**
 * One account with money for `affordable` buy-ins sits at every table in `tableIds` at once: exactly
 * `affordable` sits must succeed and the rest be refused insufficient_funds; then it leaves them all and
 * its wallet must be whole again.
 */
export async function runBuyInRace(ctx: { baseUrl: string; stats: SimStats }, session: Session, tableIds: string[], buyIn: Chips, affordable: number): Promise<void> {
  const conn = new Connection(ctx.baseUrl, session.token);
  await conn.open();
  try {
    const before = new Money((await me(ctx.baseUrl, session.token)).balance);
    const answers = await Promise.all(
      tableIds.map((tableId, i) => conn.call<{ stack: string }>('table:sit', { tableId, buyIn: formatAmount(buyIn), requestId: `race-${Date.now()}-${i}` })),
    );
    const seated = tableIds.filter((_, i) => answers[i]!.ack.ok);
    // A sit that met a table moving between nodes (a killed node's table) has an open outcome: it may
    // have committed. Then fewer sits than affordable may be known to succeed, and every race table is
    // left below, so no buy-in stays behind in a seat.
    const moving = (code: string) => ctx.stats.inFailover() && FAILOVER_CODES.has(code);
    let wrongCodes = 0;
    let open = 0;
    for (const { ack } of answers) {
      if (ack.ok) continue;
      const expected = ack.error.code === 'insufficient_funds' || moving(ack.error.code);
      if (!expected) wrongCodes++;
      if (ack.error.code !== 'insufficient_funds' && expected) open++;
      ctx.stats.rejection(ack.error.code, expected);
    }
    const rightCount = open === 0 ? seated.length === affordable : seated.length <= affordable;
    ctx.stats.probe('concurrent-buy-in', rightCount && wrongCodes === 0, `${seated.length} of ${tableIds.length} sits succeeded (${open} unreachable) with money for ${affordable}`);
    for (const tableId of open === 0 ? seated : tableIds) {
      const payload = { tableId, requestId: `race-leave-${Date.now()}-${tableId.slice(0, 8)}` };
      let { ack } = await conn.call('table:leave', payload);
      // A table still moving answers again, under the same requestId, once its new owner runs it.
      for (let i = 0; i < RACE_LEAVE_TRIES && !ack.ok && moving(ack.error.code) && ack.error.code !== 'not_seated'; i++) {
        await sleep(1_000);
        ({ ack } = await conn.call('table:leave', payload));
      }
      const gone = !ack.ok && ack.error.code === 'not_seated' && !seated.includes(tableId);
      if (!ack.ok && !gone) ctx.stats.probe('concurrent-buy-in-leave', false, `${ack.error.code}`);
    }
    // An empty table plays no hand, so each cash-out is immediate; the wallet must be back where it was.
    const after = new Money((await me(ctx.baseUrl, session.token)).balance);
    ctx.stats.probe('concurrent-buy-in-wallet', after.eq(before), `wallet ${after.toString()} after the race, ${before.toString()} before`);
  } finally {
    conn.close();
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
