/**
 * Live progress while a simulation runs: a redrawn bar on a TTY (hands done / target, hands/s,
 * actions/s, p99 ack latency, errors), or a plain line every few seconds when output is not a TTY.
 */
import type { SimStats } from './stats';

/** Where progress goes and how. */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  target: number;
  /** When the run is time-bound, the bar also fills with elapsed time. */
  durationMs?: number;
  /** Force a mode; default: bar on a TTY, lines otherwise. */
  mode?: 'bar' | 'lines' | 'off';
  intervalMs?: number;
}

/** One progress line's numbers. */
export interface ProgressSnapshot {
  hands: number;
  target: number;
  /** Share of the run done, 0..1 (hands or time, whichever is further). */
  done: number;
  handsPerSecond: number;
  actionsPerSecond: number;
  p99Ms: number;
  errors: number;
}

/** Renders a snapshot as a bar line of at most `width` characters. */
export function renderBar(s: ProgressSnapshot, width = 80): string {
  // A time-bound run has an unreachable hand target; showing it would only be noise.
  const hands = s.target >= 1_000_000_000 ? `${s.hands}` : `${s.hands}/${s.target}`;
  const stats = ` ${hands} hands  ${s.handsPerSecond.toFixed(1)} h/s  ${s.actionsPerSecond.toFixed(0)} a/s  p99 ${s.p99Ms.toFixed(1)} ms  err ${s.errors}`;
  const barWidth = Math.max(10, Math.min(40, width - stats.length - 3));
  const filled = Math.min(barWidth, Math.floor(Math.max(0, s.done) * barWidth));
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${stats}`;
}

/** Periodically reports a run's progress until stopped. */
export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private started = 0;
  private readonly mode: 'bar' | 'lines' | 'off';

  constructor(
    private readonly stats: SimStats,
    private readonly opts: ProgressOptions,
  ) {
    this.mode = opts.mode ?? (opts.stream.isTTY ? 'bar' : 'lines');
  }

  /** The current numbers. */
  snapshot(): ProgressSnapshot {
    const seconds = Math.max((performance.now() - this.started) / 1000, 1e-3);
    const byHands = this.opts.target > 0 ? this.stats.settledHands.size / this.opts.target : 0;
    const byTime = this.opts.durationMs ? (seconds * 1000) / this.opts.durationMs : 0;
    return {
      hands: this.stats.settledHands.size,
      target: this.opts.target,
      done: Math.min(1, Math.max(byHands, byTime)),
      handsPerSecond: this.stats.settledHands.size / seconds,
      actionsPerSecond: this.stats.actions / seconds,
      p99Ms: this.stats.ackLatency.at(99),
      errors: this.stats.unexpectedCount + this.stats.unexpectedRejections,
    };
  }

  /** Starts reporting. */
  start(): void {
    this.started = performance.now();
    if (this.mode === 'off') return;
    const interval = this.opts.intervalMs ?? (this.mode === 'bar' ? 250 : 5_000);
    this.timer = setInterval(() => this.draw(), interval);
    this.timer.unref();
  }

  private draw(): void {
    const s = this.snapshot();
    if (this.mode === 'bar') this.opts.stream.write(`\r${renderBar(s, this.opts.stream.columns ?? 100)}\x1b[K`);
    else this.opts.stream.write(`progress: ${renderBar(s, 100)}\n`);
  }

  /** Stops reporting and finishes the bar's line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.mode === 'bar') {
      this.draw();
      this.opts.stream.write('\n');
    }
  }
}
