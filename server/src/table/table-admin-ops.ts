/**
 * Operator requests of the table actor: close the table (no new hands or players; the hand in play
 * finishes; every seat is cashed out; then the table is marked closed) and change its settings
 * (applied between hands, never to a hand in play). Pure ops returning an OpResult.
 */
import { sweepClosing } from './table-seat-ops';
import { OpBuilder, type OpResult, type TableContext } from './table-context';
import type { TableEvent } from './table-types';

type Ev<T extends TableEvent['type']> = Extract<TableEvent, { type: T }>;

/** table.close: stop dealing, and cash everyone out now or right after the hand in play. */
export function requestClose(context: TableContext, event: Ev<'table.close'>): OpResult {
  const b = new OpBuilder(context).set({ closing: true });
  // Cash-outs that failed earlier are retried by asking again.
  sweepClosing(b);
  b.emit({ kind: 'reply', reply: event.reply, answer: { ok: true, status: 'closing', handInPlay: !!context.hand } });
  return b.done();
}

/** table.reconfigure: new settings now if no hand is in play, else as soon as the hand is over. */
export function reconfigure(context: TableContext, event: Ev<'table.reconfigure'>): OpResult {
  const reply = (answer: Parameters<typeof event.reply>[0]): OpResult['effects'][number] => ({ kind: 'reply', reply: event.reply, answer });
  if (context.closing) return { patch: {}, effects: [reply({ ok: false, error: { code: 'table_closed', message: 'the table is closing' } })] };
  if (context.hand) return { patch: { pendingConfig: event.config }, effects: [reply({ ok: true, applied: false })] };
  return { patch: { config: event.config, pendingConfig: null }, effects: [reply({ ok: true, applied: true })] };
}

/** Between hands: settings changed during the hand take effect before the next deal. */
export function applyPendingConfig(context: TableContext): OpResult {
  return { patch: context.pendingConfig ? { config: context.pendingConfig, pendingConfig: null } : {}, effects: [] };
}
