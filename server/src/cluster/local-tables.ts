/**
 * This node's answers to the cluster: whether it runs a table, its lobby, re-sending a reconnected
 * player's views, and presence. Forwarded calls run through the same dispatch as local sockets, with a
 * stand-in socket: the client's real socket lives on the sending node, which joins and leaves rooms for it.
 */
import type { FeltIo } from '../transport/io-server';
import { playerRoom, tableRoom } from '../transport/socket-guards';
import type { TableRegistry } from '../table/table-registry';
import type { LocalTables, RemoteCall } from './table-router';

type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];

/**
 * A stand-in for the caller's socket on the owner node: its identity and whether it watches the table.
 * Room changes are the sending node's job; what the dispatch emits to "the socket" goes to the player's
 * room, which the adapter delivers on whichever node the player's sockets are.
 */
export function remoteSocket(io: FeltIo, call: RemoteCall): Socket {
  const stand = {
    // The real socket's id: socket ids are rooms on every node, so frame exclusions and answers find it.
    id: call.socketId,
    data: { playerId: call.playerId, username: call.username, role: call.role, expiresAtMs: Number.MAX_SAFE_INTEGER, protocol: call.protocol },
    rooms: new Set(call.watching ? [tableRoom(call.tableId)] : []),
    nsp: io.of('/'),
    join: () => Promise.resolve(),
    leave: () => Promise.resolve(),
    emit: (event: string, ...args: unknown[]) => (io.to(call.socketId) as unknown as { emit(e: string, ...a: unknown[]): boolean }).emit(event, ...args),
  };
  return stand as unknown as Socket;
}

/** This node's side of the cluster's table calls, over `registry`; `serve` runs a forwarded call. */
export function localTables(io: FeltIo, registry: TableRegistry, serve: LocalTables['serve']): LocalTables {
  return {
    runs: (tableId) => registry.get(tableId) !== undefined,
    serve,
    lobby: () => registry.list(),
    resume(playerId) {
      for (const table of registry.tablesOf(playerId)) {
        const tableId = table.config.tableId;
        io.in(playerRoom(playerId)).socketsJoin(tableRoom(tableId));
        // A fresh view (new seq) rather than a copy of the last one, which another push (a takeover's
        // restore, a second resume) may already have brought to the same socket; as in the handlers' resume.
        table.notify({ type: 'player.refresh', playerId });
        table.notify({ type: 'player.presence', playerId, connected: true });
      }
    },
    absent(playerId) {
      const tables = registry.tablesOf(playerId);
      if (tables.length === 0) return;
      // The player may still have a socket on another node: only a cluster-wide count says they left.
      io.in(playerRoom(playerId)).fetchSockets().then(
        (sockets) => {
          if (sockets.length === 0) for (const table of tables) table.notify({ type: 'player.presence', playerId, connected: false });
        },
        () => undefined,
      );
    },
  };
}
