/**
 * The raw Socket.IO baseline of `npm run bench:flood`: a plain server whose handler acks at once and
 * broadcasts the message to the sender's room (6 sockets, like a table). Prints its URL on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
io.on('connection', (socket) => {
  socket.on('join', (room: string, ack: () => void) => {
    void socket.join(room);
    ack();
  });
  socket.on('act', (msg: { room: string; n: number }, ack: (a: { ok: true; n: number }) => void) => {
    ack({ ok: true, n: msg.n });
    io.to(msg.room).emit('evt', msg);
  });
});
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })}\n`);
});
// Each SIGUSR2 prints this process's CPU time (user + system, ms), so the bench measures the echo phase alone.
process.on('SIGUSR2', () => {
  const used = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000 })}\n`);
});
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
