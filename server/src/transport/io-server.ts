/**
 * The Socket.IO server: typed event maps from shared/protocol.ts, token auth in the handshake, small
 * payload limit and configurable origins (the broadcaster the table actors publish through is in
 * frame-broadcaster.ts). Rooms:
 * `player:<id>` (every socket of a player) and `table:<id>` (everyone watching a table).
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../../shared/protocol';
import { PROTOCOL_LIMITS } from '../../../shared/protocol';
import type { ChatSend } from '../chat/chat-room';
import type { AuthService } from '../auth/auth.service';
import { closeAtExpiry, handshakeRefusal, openSockets, playerRoom, tableRoom } from './socket-guards';

export { playerRoom, tableRoom };

/** The typed Socket.IO server. */
export type FeltIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Creates the io server on `httpServer` with handshake authentication and per-account connection caps. */
export function createIoServer(httpServer: HttpServer, deps: { auth: AuthService; logger: Logger; corsOrigins: string }): FeltIo {
  const origins = deps.corsOrigins === '*' ? '*' : deps.corsOrigins.split(',').map((o) => o.trim());
  const io: FeltIo = new Server(httpServer, {
    // The transport reads frames up to maxFrameBytes, so that a payload between maxPayloadBytes and that
    // can still be answered with payload_too_large; beyond it the transport closes the connection.
    maxHttpBufferSize: PROTOCOL_LIMITS.maxFrameBytes,
    serveClient: false,
    cors: { origin: origins },
    pingInterval: 10_000,
    pingTimeout: 8_000,
    connectTimeout: 10_000,
    // CORS headers only bind browsers using HTTP polling; WebSocket upgrades are checked here, so a page
    // from another origin cannot open a socket with a player's token either. Non-browser clients send no Origin.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origins === '*' || origin === undefined || origins.includes(origin));
    },
  });
  io.use((socket, next) => {
    deps.auth.session((socket.handshake.auth as { token?: unknown } | undefined)?.token).then(
      (session) => {
        if (!session) return next(handshakeRefusal('unauthorized'));
        if (openSockets(io, session.playerId) >= PROTOCOL_LIMITS.maxConnectionsPerPlayer) {
          return next(handshakeRefusal('too_many_connections'));
        }
        socket.data = { playerId: session.playerId, role: session.role, username: session.username, expiresAtMs: session.expiresAt * 1000 };
        // Joining the player's room in the same tick as the count means concurrent handshakes of one
        // account cannot all pass the check; the room is left again however the socket ends.
        void socket.join(playerRoom(session.playerId));
        next();
      },
      (error: unknown) => {
        deps.logger.error({ err: error }, 'handshake lookup failed');
        next(handshakeRefusal('internal'));
      },
    );
  });
  io.on('connection', (socket) => closeAtExpiry(socket));
  return io;
}

/** Sends a chat message to everyone watching the table and to every seated player's sockets. */
export function chatSender(io: FeltIo): ChatSend {
  return (table, message) => io.to([tableRoom(message.tableId), ...table.seatedPlayerIds().map(playerRoom)]).emit('table:chat', message);
}
