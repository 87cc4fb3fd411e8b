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

/**
 * Like WorkGate, but waiting work is grouped by a key (the client's address) and slots are handed out
 * round-robin over the keys. A client that queues a hundred tasks therefore delays another client's
 * single task by at most one task per other client, instead of a hundred, and it can hold at most
 * `maxWaitingPerKey` places in the queue.
 */
export class FairWorkGate {
  private running = 0;
  private waitingCount = 0;
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaitingPerKey: number,
    private readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(maxRunning) || maxRunning < 1) throw new RangeError('maxRunning must be a positive integer');
    if (!Number.isInteger(maxWaitingPerKey) || maxWaitingPerKey < 0) throw new RangeError('maxWaitingPerKey must be a non-negative integer');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('maxWaiting must be a non-negative integer');
  }

  /** Runs `task` for `key` when a slot is free; rejects with GateFullError when that key's or the whole queue is full. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      const queue = this.queues.get(key) ?? [];
      if (queue.length >= this.maxWaitingPerKey || this.waitingCount >= this.maxWaiting) throw new GateFullError('too much work queued');
      const turn = new Promise<void>((resolve) => queue.push(resolve));
      // A key is (re)appended only when its queue was empty, so Map order is the round-robin order.
      if (queue.length === 1) this.queues.set(key, queue);
      this.waitingCount++;
      await turn;
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      this.handOver();
    }
  }

  /** Gives the freed slot to the first waiter of the key that has waited longest for a turn. */
  private handOver(): void {
    const first = this.queues.entries().next();
    if (first.done) {
      this.running--;
      return;
    }
    const [key, queue] = first.value;
    const next = queue.shift()!;
    this.queues.delete(key);
    if (queue.length > 0) this.queues.set(key, queue);
    this.waitingCount--;
    next();
  }
}
