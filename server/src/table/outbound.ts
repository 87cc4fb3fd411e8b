/**
 * The table's outbound side: sending views to everyone at a table. It depends on the view builder and
 * the context type only, so the machine and its ops can all use it without importing one another.
 */
import type { TablePhase } from '../../../shared/protocol';
import { buildPublicView, personalise } from './player-view';
import { seatedPlayerIds } from './seating';
import type { TableContext } from './table-machine';

/** Sends the current view to every seated player and every watcher (with `only`, just those players get theirs). */
export function broadcastState(context: TableContext, phase: TablePhase = context.phase, only?: string[]): void {
  const source = { ...context, phase };
  const base = buildPublicView(source);
  context.deps.broadcaster.state(context.config.tableId, seatedPlayerIds(context.seats), (viewer) => personalise(base, source, viewer), only);
}
