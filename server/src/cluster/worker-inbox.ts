/**
 * A FELT_WORKERS worker receives connections from the primary as IPC messages (@socket.io/sticky). The
 * primary may pick a replacement worker while it is still booting (migrations, recovery), when nothing
 * listens for those messages yet and they would be lost with the client's request. So a worker holds
 * them from its first tick and replays them, in order, the moment sticky's own listener is attached.
 */
import cluster from 'node:cluster';
import type { Server } from 'socket.io';
import { setupWorker } from '@socket.io/sticky';

/** Most connection messages held while booting; beyond it new connections are closed at once. */
export const MAX_HELD_MESSAGES = 2_000;

type Held = [message: unknown, handle: unknown];

let held: Held[] | null = null;

function hold(message: unknown, handle: unknown): void {
  const type = (message as { type?: unknown } | null)?.type;
  if (!held || typeof type !== 'string' || !type.startsWith('sticky:')) return;
  if (held.length < MAX_HELD_MESSAGES) {
    held.push([message, handle]);
  } else {
    (handle as { destroy?: () => void } | undefined)?.destroy?.();
  }
}

/** Starts holding the primary's connection messages; call first thing in a worker. */
export function holdStickyMessages(): void {
  if (held) return;
  held = [];
  process.on('message', hold);
}

/** Attaches sticky to `io` and replays what was held, in the same tick so nothing slips between. */
export function attachStickyWorker(io: Server): void {
  setupWorker(io);
  const replay = held ?? [];
  held = null;
  process.off('message', hold);
  for (const [message, handle] of replay) process.emit('message', message as never, handle as never);
}

// Evaluated when main.ts imports this module, before the heavy imports load: a replacement worker can
// take seconds to load, and connection messages arriving meanwhile must not be dropped.
if (cluster.isWorker) holdStickyMessages();
