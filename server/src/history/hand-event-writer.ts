/**
 * Holds a table's hand events in memory, in order, until the hand ends: the settlement (or the void)
 * writes them in its own transaction, so a played hand costs two commits in all (the hand row with the
 * deal at hand start, then the settlement with the rest of its history) instead of one more commit per
 * batch of actions. The deal itself is stored with the hand row (recordHandStart), before anything of
 * the hand is shown.
 *
 * What a crash mid-hand costs: the buffered rows live only in this process. A hand that was never
 * settled moved no chips; at restart it is voided (voidInProgressHands) and its history then holds the
 * deal only, which is all a voided hand needs to show that it was dealt and never finished.
 */

/** One row for hand_event. */
export interface PendingEvent {
  handId: string;
  seq: number;
  type: string;
  payload: unknown;
}

/** A buffered row as the ledger writes it (the hand is named once, by the settlement). */
export interface BufferedEvent {
  seq: number;
  type: string;
  payload: unknown;
}

/**
 * Most rows one hand may buffer. A real hand has a few dozen; reaching this means the actor is looping,
 * a broken invariant that must stop the table rather than grow memory without end.
 */
export const MAX_BUFFERED_EVENTS = 10_000;

/** The in-memory history buffer of one table: the rows of its current hand, in push order. */
export class HandEventWriter {
  private handId: string | null = null;
  private rows: BufferedEvent[] = [];

  /**
   * Buffers rows of the current hand. Rows of a new hand replace whatever an earlier hand left behind:
   * that hand ended without its buffered rows stored (its void failed), exactly as after a crash.
   */
  push(events: readonly PendingEvent[]): void {
    for (const e of events) {
      if (e.handId !== this.handId) {
        this.handId = e.handId;
        this.rows = [];
      }
      if (this.rows.length >= MAX_BUFFERED_EVENTS) {
        throw new Error(`hand ${e.handId} buffered over ${MAX_BUFFERED_EVENTS} events: the table is looping`);
      }
      this.rows.push({ seq: e.seq, type: e.type, payload: e.payload });
    }
  }

  /** The buffered rows of `handId`, in order (a copy), for the transaction that ends the hand. */
  pending(handId: string): BufferedEvent[] {
    return this.handId === handId ? [...this.rows] : [];
  }

  /** Forgets the rows of `handId` once the transaction that stored them has committed. */
  clear(handId: string): void {
    if (this.handId !== handId) return;
    this.handId = null;
    this.rows = [];
  }
}
