/**
 * Writes a table's hand events to hand_event in order, as they happen, without making the actor wait
 * for the database on every action: events queue up while one batch is being written and go out in the
 * next batch. Settlement calls `flush()` first, so a hand is never settled before its history is stored.
 */
import type { Logger } from 'pino';

/** One row for hand_event. */
export interface PendingEvent {
  handId: string;
  seq: number;
  type: string;
  payload: unknown;
}

/** Writes one batch of events of a single hand. */
export type EventSink = (handId: string, events: Array<{ seq: number; type: string; payload: unknown }>) => Promise<void>;

/** Largest number of queued events; more means the database has stalled and the table must stop. */
export const MAX_QUEUED_EVENTS = 10_000;

/** An ordered, batching writer for one table. */
export class HandEventWriter {
  private queue: PendingEvent[] = [];
  private running: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly sink: EventSink,
    private readonly logger: Logger,
  ) {}

  /** Queues events and starts a write if none is running. */
  push(events: PendingEvent[]): void {
    if (events.length === 0) return;
    if (this.queue.length + events.length > MAX_QUEUED_EVENTS) {
      throw new Error(`hand event queue over ${MAX_QUEUED_EVENTS}: the database is not keeping up`);
    }
    this.queue.push(...events);
    if (!this.running) this.running = this.drain();
  }

  /** Resolves when every event pushed so far is stored; rejects if any write failed. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) {
      const error = this.failure;
      this.failure = null;
      throw error;
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const handId = this.queue[0]!.handId;
        let count = 0;
        while (count < this.queue.length && this.queue[count]!.handId === handId) count++;
        const batch = this.queue.splice(0, count);
        try {
          await this.sink(handId, batch.map(({ seq, type, payload }) => ({ seq, type, payload })));
        } catch (error) {
          this.logger.error({ err: error, handId }, 'writing hand events failed');
          this.failure = error instanceof Error ? error : new Error(String(error));
        }
      }
    } finally {
      this.running = null;
    }
  }
}
