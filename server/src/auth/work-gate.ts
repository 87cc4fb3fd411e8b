/**
 * A bounded queue for expensive work (password hashing). scrypt deliberately costs tens of
 * milliseconds and 16 MiB per call, so an unbounded flood of logins would starve the tables of CPU and
 * memory; past the limit, callers are refused at once instead of waiting without end.
 */

/** Thrown when the gate is full. */
export class GateFullError extends Error {
  override name = 'GateFullError';
}

/** Runs at most `maxRunning` tasks at once with at most `maxWaiting` queued behind them. */
export class WorkGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(maxRunning) || maxRunning < 1) throw new RangeError('maxRunning must be a positive integer');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('maxWaiting must be a non-negative integer');
  }

  /** Runs `task` when a slot is free; rejects with GateFullError when the queue is already full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) throw new GateFullError('too much work queued');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
