/**
 * Who speaks which wire protocol. A client asks for protocol 2 (one `table:frame` per table step) at the
 * handshake; such a socket also sits in mirror rooms (`v2:player:<id>`, `v2:table:<id>`) and in
 * `proto:2`, so a broadcast can reach exactly the sockets of one protocol through rooms alone. Rooms,
 * not local socket lists, are what a Socket.IO adapter (Redis streams) carries to other nodes.
 */
import { DEFAULT_PROTOCOL, handshakeAuthSchema, type FrameItem, type ProtocolVersion, type TableFrame } from '../../../shared/protocol';
import type { FeltIo } from './io-server';
import { handshakeRefusal } from './socket-guards';

type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];

/** Every protocol 2 socket is in this room, so protocol 1 broadcasts can leave them out. */
export const FRAME_ROOM = 'proto:2';
/** Every protocol 1 socket is in this room, so a single node can tell that nobody needs per-event messages. */
export const EVENT_ROOM = 'proto:1';

// The adapters that only ever reach this process's sockets (Socket.IO's default ones).
const LOCAL_ADAPTERS = new Set(['Adapter', 'SessionAwareAdapter']);

/**
 * False only when no socket anywhere can take messages of `protocol`: the adapter is a local one and
 * no local socket speaks it. With an adapter that reaches other nodes (Redis streams) it is always true,
 * since their sockets are not known here. Skipping saves encoding messages for nobody.
 */
export function protocolInUse(io: FeltIo, protocol: ProtocolVersion): boolean {
  const adapter = io.of('/').adapter;
  if (!LOCAL_ADAPTERS.has(adapter.constructor.name)) return true;
  return (adapter.rooms.get(protocol === 2 ? FRAME_ROOM : EVENT_ROOM)?.size ?? 0) > 0;
}

/** False only when, on a local adapter, `room` holds no socket but `socketId`: a broadcast would reach nobody. */
export function othersInRoom(io: FeltIo, room: string, socketId: string): boolean {
  const adapter = io.of('/').adapter;
  if (!LOCAL_ADAPTERS.has(adapter.constructor.name)) return true;
  for (const id of adapter.rooms.get(room) ?? []) if (id !== socketId) return true;
  return false;
}

/** The protocol 2 mirror of a `player:` or `table:` room. */
export const frameRoom = (room: string): string => `v2:${room}`;

// Only the rooms table output goes to are mirrored; chat and session rooms stay as they are.
const MIRRORED_ROOM = /^(player|table):/;

/** True when the socket asked for protocol 2 at the handshake. */
export function speaksFrames(socket: Socket): boolean {
  return socket.data.protocol === 2;
}

/**
 * Validates the protocol choice of every handshake (after the token check) and keeps protocol 2 sockets
 * in the mirror rooms of every `player:`/`table:` room they join or leave, wherever the join happens.
 * Call once, after the io server is created and its adapter chosen.
 */
export function installFrameProtocol(io: FeltIo): void {
  const nsp = io.of('/');
  const mirror = (join: boolean) => (room: string, socketId: string) => {
    if (!MIRRORED_ROOM.test(room)) return;
    const socket = nsp.sockets.get(socketId);
    if (!socket || !speaksFrames(socket)) return;
    if (join) void socket.join(frameRoom(room));
    else if (socket.rooms.has(frameRoom(room))) void socket.leave(frameRoom(room));
  };
  nsp.adapter.on('join-room', mirror(true));
  nsp.adapter.on('leave-room', mirror(false));
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth ?? {};
    const parsed = handshakeAuthSchema.safeParse(auth);
    if (!parsed.success) return next(handshakeRefusal('invalid_payload'));
    socket.data.protocol = parsed.data.protocol ?? DEFAULT_PROTOCOL;
    // The token middleware joined the player's room before this ran (and before the socket was
    // registered with the namespace, so the listener above did not see it): mirror it here.
    if (speaksFrames(socket)) void socket.join([FRAME_ROOM, ...[...socket.rooms].filter((r) => MIRRORED_ROOM.test(r)).map(frameRoom)]);
    else void socket.join(EVENT_ROOM);
    next();
  });
}

/**
 * Sends table messages to one socket in its protocol: one `table:frame` for protocol 2, one event per
 * item for protocol 1 (used for what a single socket is owed, such as the view on reconnect).
 */
export function sendToSocket(socket: Socket, tableId: string, items: FrameItem[]): void {
  if (items.length === 0) return;
  if (speaksFrames(socket)) {
    const frame: TableFrame = { v: 2, tableId, items };
    socket.emit('table:frame', frame);
    return;
  }
  for (const item of items) emitItem(socket, item);
}

/**
 * Sends table messages to every socket of one player, on any node, each in its protocol: one
 * `table:frame` to the protocol 2 mirror room and one event per item to the rest.
 */
export function sendToPlayer(io: FeltIo, playerId: string, tableId: string, items: FrameItem[]): void {
  if (items.length === 0) return;
  const room = `player:${playerId}`;
  const frame: TableFrame = { v: 2, tableId, items };
  io.to(frameRoom(room)).emit('table:frame', frame);
  const plain = io.to(room).except(FRAME_ROOM);
  for (const item of items) emitItem(plain, item);
}

/** Anything that emits server events: a socket or a room broadcast. */
type Emitter = Pick<Socket, 'emit'> | ReturnType<FeltIo['to']>;

function emitItem(socket: Emitter, item: FrameItem): void {
  switch (item.type) {
    case 'table:state':
      return void socket.emit('table:state', item.payload);
    case 'hand:cards':
      return void socket.emit('hand:cards', item.payload);
    case 'hand:event':
      return void socket.emit('hand:event', item.payload);
    case 'hand:result':
      return void socket.emit('hand:result', item.payload);
    case 'hand:openings':
      return void socket.emit('hand:openings', item.payload);
    case 'seat:topup':
      return void socket.emit('seat:topup', item.payload);
    case 'table:turn':
      // Protocol 1 has no turn notice: its clients get full views instead.
      return;
  }
}
