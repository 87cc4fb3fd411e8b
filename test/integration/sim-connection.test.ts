/**
 * The simulator's connection opens one server socket however its reconnects overlap. socket.io-client's
 * `connect()` called again while the transport is open but the namespace handshake is not done sends a
 * second CONNECT: the server then holds two sockets for one client and every broadcast arrives twice.
 * A bot stopping during a chaos reconnect did exactly that (its views arrived twice, each an error).
 */
import type { Felt } from '../../server/src/boot';
import { playerRoom } from '../../server/src/transport/socket-guards';
import { Connection } from '../../client-sim/src/connection';
import { register } from '../helpers/clients';
import { startTestServer } from '../helpers/server';

let felt: Felt;
const conns: Connection[] = [];

beforeAll(async () => {
  felt = await startTestServer();
}, 60_000);

afterAll(async () => {
  for (const c of conns) c.close();
  await felt?.close();
});

/** The server's sockets of `playerId` (every node's, through the adapter). */
async function serverSockets(playerId: string): Promise<number> {
  return (await felt.io.in(playerRoom(playerId)).fetchSockets()).length;
}

it('holds one server socket when open() is called again while a reconnect is half done', async () => {
  const { token, playerId } = await register(felt.url, 'conn');
  const conn = new Connection(felt.url, token);
  conns.push(conn);
  await conn.open();
  expect(await serverSockets(playerId)).toBe(1);

  conn.drop();
  // The second open() comes in the window that doubled the socket: the transport is open, the
  // namespace handshake (the first CONNECT) not answered yet.
  let second: Promise<void> | undefined;
  conn.socket.io.once('open', () => {
    second = conn.open();
  });
  await conn.open();
  await second;
  expect(second).toBeDefined();
  // Any second socket would have been registered by now: the server answers CONNECTs in order.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await serverSockets(playerId)).toBe(1);
}, 30_000);
