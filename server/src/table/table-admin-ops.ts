/**
 * Operator requests of the table actor: close the table (no new hands or players; the hand in play
 * finishes; every seat is cashed out; then the table is marked closed) and change its settings
 * (applied between hands, never to a hand in play).
 */
import { sweepClosing, type Enqueue } from './table-seat-ops';
import type { TableContext } from './table-machine';
import type { TableEvent } from './table-types';

type Ev<T extends TableEvent['type']> = Extract<TableEvent, { type: T }>;

/** table.close: stop dealing, and cash everyone out now or right after the hand in play. */
export function requestClose(context: TableContext, event: Ev<'table.close'>, enqueue: Enqueue): void {
  const working = { ...context, closing: true };
  enqueue.assign({ closing: true });
  // Cash-outs that failed earlier are retried by asking again.
  sweepClosing(working, enqueue);
  event.reply({ ok: true, status: 'closing', handInPlay: !!context.hand });
}

/** table.reconfigure: new settings now if no hand is in play, else as soon as the hand is over. */
export function reconfigure(context: TableContext, event: Ev<'table.reconfigure'>, enqueue: Enqueue): void {
  if (context.closing) return event.reply({ ok: false, error: { code: 'table_closed', message: 'the table is closing' } });
  if (context.hand) {
    enqueue.assign({ pendingConfig: event.config });
    return event.reply({ ok: true, applied: false });
  }
  enqueue.assign({ config: event.config, pendingConfig: null });
  event.reply({ ok: true, applied: true });
}

/** Between hands: settings changed during the hand take effect before the next deal. */
export function applyPendingConfig(context: TableContext): Partial<TableContext> {
  return context.pendingConfig ? { config: context.pendingConfig, pendingConfig: null } : {};
}
