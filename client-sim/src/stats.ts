/**
 * Everything the simulator measures while it runs: latency histograms (HdrHistogram, microseconds),
 * action and hand counters, the house rake announced in hand:result messages, and every rejection
 * classified as expected (a chaos probe got the answer it provoked) or unexpected.
 */
import * as hdr from 'hdr-histogram-js';
import { Money, ZERO, type Chips } from '../../shared/money';

/** Percentiles of a latency histogram, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** A latency recorder; values are kept in whole microseconds with 3 significant digits. */
export class Latency {
  private readonly h = hdr.build({ bitBucketSize: 64, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  /**
   * The largest sample exactly as recorded. HdrHistogram answers percentiles (and its own max) at the
   * top of a bucket, up to 0.1% above any recorded value, which printed p99 above max; every figure
   * is clamped to what was observed.
   */
  private observedMaxUs = 0;

  /** Records one sample given in milliseconds. */
  record(ms: number): void {
    const us = Math.max(1, Math.round(ms * 1000));
    this.h.recordValue(us);
    if (us > this.observedMaxUs) this.observedMaxUs = us;
  }

  private valueAt(percentile: number): number {
    return Math.min(this.h.getValueAtPercentile(percentile), this.observedMaxUs);
  }

  /** Number of samples. */
  get count(): number {
    return this.h.totalCount;
  }

  /** The value at `percentile` (0–100) in milliseconds. */
  at(percentile: number): number {
    return this.h.totalCount === 0 ? 0 : this.valueAt(percentile) / 1000;
  }

  /** p50/p95/p99/max/mean in milliseconds. */
  summary(): LatencySummary {
    const n = this.h.totalCount;
    const ms = (us: number) => Math.round(us) / 1000;
    if (n === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
    return {
      count: n,
      p50: ms(this.valueAt(50)),
      p95: ms(this.valueAt(95)),
      p99: ms(this.valueAt(99)),
      max: ms(this.observedMaxUs),
      mean: ms(Math.min(this.h.mean, this.observedMaxUs)),
    };
  }
}

/**
 * Answers a client can meet while a table moves to another node (owner died, lease taken over): the
 * request may or may not have taken effect, or reached a table that is being restored. Expected only
 * inside a failover window (SimStats.inFailover); anywhere else they are errors of the server.
 */
export const FAILOVER_CODES: ReadonlySet<string> = new Set(['outcome_unknown', 'unavailable', 'stale_hand', 'not_your_turn', 'not_seated', 'table_not_found', 'lease_lost', 'internal']);

/** Counts of one rejection code. */
export interface CodeCount {
  expected: number;
  unexpected: number;
}

/** One chaos probe kind's outcome counts. */
export interface ProbeCount {
  ok: number;
  unexpected: number;
}

/** Shared counters of one simulator run. */
export class SimStats {
  readonly ackLatency = new Latency();
  readonly settlementLatency = new Latency();
  actions = 0;
  /** Server → client frames the bots received (all events), to show the fan-out per action. */
  framesReceived = 0;
  /** Bots that busted with no money left for another buy-in and gave up their seat. */
  brokeBots = 0;
  /** Wallet reloads of broke bots (each an admin credit counted in that bot's `credited`). */
  reloads = 0;
  /** Leaves that found the seat already gone, whose cash-out the bot read from its wallet. */
  inferredCashOuts = 0;
  /** Things worth reading that are not errors (bounded). */
  readonly notes: string[] = [];
  /** Hands whose hand:result a bot saw, by hand id (each counted once however many bots saw it). */
  readonly settledHands = new Set<string>();
  /** Rake summed from hand:result messages (each hand once). */
  rakeFromResults: Chips = ZERO;
  readonly rejections = new Map<string, CodeCount>();
  readonly probes = new Map<string, ProbeCount>();
  /** Human-readable descriptions of unexpected errors (first few hundred kept). */
  readonly unexpected: string[] = [];
  unexpectedCount = 0;
  /** Per table: the last acked action, to time settlement from the hand's final ack. */
  private readonly lastAck = new Map<string, { handId: string; at: number }>();
  private handListeners: Array<(count: number) => void> = [];
  /** Counts when the run was told to stop; rates use these so the wind-down does not inflate them. */
  atStop: { hands: number; actions: number; frames: number } | null = null;

  /** When the run's stats began (performance.now() ms), for the time of each error. */
  private readonly startedAtMs = performance.now();
  /** Until when (performance.now() ms) answers typical of a table moving between nodes are expected. */
  private failoverUntil = -Infinity;
  /** Node failures the run caused (kill -9 of a node), each opening a failover window. */
  nodeFailures = 0;

  /** Opens a failover window of `windowMs` from now: a node died and its tables are moving. */
  markFailover(windowMs: number): void {
    this.nodeFailures++;
    this.failoverUntil = Math.max(this.failoverUntil, performance.now() + windowMs);
  }

  /** True inside a failover window. */
  inFailover(): boolean {
    return performance.now() < this.failoverUntil;
  }

  /** Freezes the throughput counts (hands still finishing after this are counted, but not in rates). */
  markStop(): void {
    this.atStop = { hands: this.settledHands.size, actions: this.actions, frames: this.framesReceived };
  }

  /** Records a rejection code seen by a client. */
  rejection(code: string, expected: boolean): void {
    const entry = this.rejections.get(code) ?? { expected: 0, unexpected: 0 };
    if (expected) entry.expected++;
    else entry.unexpected++;
    this.rejections.set(code, entry);
  }

  /** Records a note for the report (not an error). */
  note(text: string): void {
    if (this.notes.length < 50) this.notes.push(text);
  }

  /** Records an unexpected outcome with a description, prefixed with when it happened in the run. */
  error(description: string): void {
    this.unexpectedCount++;
    const at = `[+${((performance.now() - this.startedAtMs) / 1000).toFixed(1)} s${this.inFailover() ? ', in failover' : ''}]`;
    if (this.unexpected.length < 200) this.unexpected.push(`${at} ${description}`);
  }

  /** Records the outcome of one chaos probe. */
  probe(kind: string, ok: boolean, detail?: string): void {
    const entry = this.probes.get(kind) ?? { ok: 0, unexpected: 0 };
    if (ok) entry.ok++;
    else entry.unexpected++;
    this.probes.set(kind, entry);
    if (!ok) this.error(`chaos ${kind}: ${detail ?? 'unexpected outcome'}`);
  }

  /** Records an action ack (any outcome) for throughput and settlement timing. */
  actionAcked(tableId: string, handId: string, latencyMs: number, ok: boolean): void {
    this.ackLatency.record(latencyMs);
    if (!ok) return;
    this.actions++;
    this.lastAck.set(tableId, { handId, at: performance.now() });
  }

  /** Records a hand:result; returns true the first time this hand is seen. */
  handSettled(tableId: string, handId: string, rake: string): boolean {
    if (this.settledHands.has(handId)) return false;
    this.settledHands.add(handId);
    this.rakeFromResults = this.rakeFromResults.plus(new Money(rake));
    const last = this.lastAck.get(tableId);
    // After the stop, leaving players are folded by the server without an ack, which would skew timing.
    if (last && last.handId === handId && !this.atStop) this.settlementLatency.record(performance.now() - last.at);
    for (const listener of this.handListeners) listener(this.settledHands.size);
    return true;
  }

  /** Calls `listener` with the running count after every newly settled hand. */
  onHand(listener: (count: number) => void): void {
    this.handListeners.push(listener);
  }

  /** Total rejections that were not expected. */
  get unexpectedRejections(): number {
    let n = 0;
    for (const c of this.rejections.values()) n += c.unexpected;
    return n;
  }
}
