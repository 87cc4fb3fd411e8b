/**
 * Limits on what one account can hold open over Socket.IO, and the end of a socket's authorisation:
 * sockets per account, table watches per account, frames that are not protocol events or are too
 * large, and closing sockets when their token expires or the player logs out.
 */
import { errorBody, type ErrorBody, type ErrorCode } from '../../../shared/codes';
import { CLIENT_EVENTS, PROTOCOL_LIMITS, type ClientEventName, type SessionEndedMessage } from '../../../shared/protocol';
import type { FeltIo } from './io-server';

type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];

/** The room of every socket of one player. */
export const playerRoom = (playerId: string) => `player:${playerId}`;
/** The room of everyone watching a table. */
export const tableRoom = (tableId: string) => `table:${tableId}`;

/** A handshake refusal: the client's `connect_error` has the code as message and the error body as `data`. */
export function handshakeRefusal(code: ErrorCode): Error & { data: ErrorBody } {
  return Object.assign(new Error(code), { data: errorBody(code) });
}

/** Number of open sockets of `playerId` in this process (each joins the player's room at the handshake). */
export function openSockets(io: FeltIo, playerId: string): number {
  return io.sockets.adapter.rooms.get(playerRoom(playerId))?.size ?? 0;
}

// setTimeout keeps delays in a signed 32-bit integer; a longer delay (tokens live up to 30 days) would
// fire at once, so long waits are done in steps of at most this.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes `socket` when its token expires, after telling it why. One timer per socket, cleared when the
 * socket disconnects, so the number of timers is bounded by the number of open sockets.
 */
export function closeAtExpiry(socket: Socket, now: () => number = Date.now): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const leftMs = socket.data.expiresAtMs - now();
    if (leftMs <= 0) return endSession(socket, 'expired');
    timer = setTimeout(arm, Math.min(leftMs, MAX_TIMER_MS));
    timer.unref();
  };
  socket.once('disconnect', () => clearTimeout(timer));
  arm();
}

/** Tells `socket` why its session ended and closes it. */
export function endSession(socket: Socket, reason: SessionEndedMessage['reason']): void {
  socket.emit('session:ended', { reason });
  socket.disconnect(true);
}

/** Ends every open socket of `playerId` in this process (after a logout revoked their tokens). */
export function endPlayerSessions(io: FeltIo, playerId: string, reason: SessionEndedMessage['reason']): void {
  const ids = io.sockets.adapter.rooms.get(playerRoom(playerId));
  for (const id of [...(ids ?? [])]) {
    const socket = io.sockets.sockets.get(id);
    if (socket) endSession(socket, reason);
  }
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

/** True when `name` is a client → server event of the protocol. */
export function isClientEvent(name: unknown): name is ClientEventName {
  return typeof name === 'string' && KNOWN_EVENTS.has(name);
}

/**
 * Why an inbound frame is refused before any handler sees it: an event the protocol does not have, or
 * arguments larger than the protocol's payload limit. Undefined when it may proceed.
 */
export function frameRefusal(event: unknown, args: unknown[]): { code: ErrorCode; message: string } | undefined {
  if (!isClientEvent(event)) {
    const shown = typeof event === 'string' ? JSON.stringify(event.slice(0, 40)) : typeof event;
    return { code: 'unknown_event', message: `${shown} is not an event of this protocol` };
  }
  // The transport already refused frames over maxFrameBytes, so serialising what is left is bounded work.
  const bytes = Buffer.byteLength(JSON.stringify(args.filter((a) => typeof a !== 'function')) ?? '', 'utf8');
  if (bytes > PROTOCOL_LIMITS.maxPayloadBytes) {
    return { code: 'payload_too_large', message: `payload of ${bytes} bytes; the limit is ${PROTOCOL_LIMITS.maxPayloadBytes}` };
  }
  return undefined;
}

/**
 * Why `socket` may not start watching `tableId`: the account already watches it from too many sockets,
 * or watches too many tables. Tables where the player holds a seat do not count, since every socket of
 * a seated player follows its table anyway.
 */
export function watchRefusal(io: FeltIo, socket: Socket, tableId: string, isSeatedAt: (tableId: string) => boolean): ErrorCode | undefined {
  const target = tableRoom(tableId);
  if (socket.rooms.has(target) || isSeatedAt(tableId)) return undefined;
  let here = 0;
  let total = 0;
  for (const id of io.sockets.adapter.rooms.get(playerRoom(socket.data.playerId)) ?? []) {
    for (const room of io.sockets.sockets.get(id)?.rooms ?? []) {
      if (!room.startsWith('table:') || isSeatedAt(room.slice('table:'.length))) continue;
      total++;
      if (room === target) here++;
    }
  }
  if (here >= PROTOCOL_LIMITS.maxWatchersPerPlayerPerTable || total >= PROTOCOL_LIMITS.maxWatchesPerPlayer) return 'too_many_connections';
  return undefined;
}
