/**
 * The sending side of a cross-node table call: the client's socket is here, the table's actor is on
 * another node. Room membership (watch, sit, unwatch) is applied here to the real socket once the
 * owner answered; watch caps that count this account's sockets are checked here, where they are.
 */
import type { Ack, ClientEventName } from '../../../shared/protocol';
import { errorBody } from '../../../shared/codes';
import type { FeltIo } from '../transport/io-server';
import { tableRoom, watchRefusal } from '../transport/socket-guards';
import type { TableRouter } from './table-router';

type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];
type AnyAck = Ack<Record<string, unknown>>;

/** Forwards a validated table event of `socket` to the table's owner and answers with the owner's ack. */
export async function forwardCall(socket: Socket, router: TableRouter, name: ClientEventName, payload: { tableId: string }): Promise<AnyAck> {
  const { playerId, username, role } = socket.data;
  const room = tableRoom(payload.tableId);
  if (name === 'table:watch') {
    const capped = watchRefusal(socket.nsp.server, socket, payload.tableId, () => false);
    if (capped) return { ok: false, error: errorBody(capped, 'This account already watches this table from too many sockets, or too many tables.') };
  }
  const watching = socket.rooms.has(room) || name === 'table:watch';
  const ack = await router.forward({ tableId: payload.tableId, playerId, username, role, name, payload: payload as Record<string, unknown>, watching });
  if (ack.ok && (name === 'table:sit' || name === 'table:watch')) await socket.join(room);
  if (ack.ok && name === 'table:unwatch') await socket.leave(room);
  return ack;
}
