/**
 * The view seqs one socket connection has received, to tell a repeat (the same seq twice, which the
 * protocol promises never to send) from a late older view (dropped by the bot, not an error).
 */

/** How a view reached the bot: a `table:frame`, the ack of its own action, or a protocol 1 event. */
export type ViewPath = 'frame' | 'ack' | 'event';

/** How many recent view seqs are remembered to spot a repeated one. */
export const SEEN_SEQS_KEPT = 512;

/** The seqs of one connection (cleared on every new connection) and the path each first came by. */
export class ViewSeqs {
  private readonly seen = new Map<number, ViewPath>();
  /** The newest seq this connection received. */
  newest = -1;

  /** Starts a new connection's stream of views. */
  reset(): void {
    this.seen.clear();
    this.newest = -1;
  }

  /** Records `seq`; returns the path it first came by when it is a repeat, else null. */
  record(seq: number, path: ViewPath): ViewPath | null {
    const first = this.seen.get(seq) ?? null;
    this.seen.set(seq, path);
    if (this.seen.size > SEEN_SEQS_KEPT) this.seen.delete(this.seen.keys().next().value!);
    this.newest = Math.max(this.newest, seq);
    return first;
  }
}
