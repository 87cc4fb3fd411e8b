/**
 * /readyz when PostgreSQL stops answering: the server reaches the database through a TCP relay that
 * the test can freeze (it keeps the connections open but forwards nothing, as a stopped or partitioned
 * PostgreSQL looks from the client). Readiness must answer 503 within 2 s, and 200 again once it thaws.
 */
import net from 'node:net';
import type { Felt } from '../../server/src/boot';
import { clusterUrl, createEmptyDatabase } from '../helpers/db';
import { startTestServerOn } from '../helpers/server';

/** A TCP relay to `target` whose forwarding can be paused and resumed. */
async function relay(target: { host: string; port: number }): Promise<{ port: number; freeze(): void; thaw(): void; close(): Promise<void> }> {
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    const pipe = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (frozen) held.push(() => to.write(chunk));
        else to.write(chunk);
      });
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    thaw: () => {
      frozen = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('/readyz with a frozen database', () => {
  it('answers 503 within 2 s while PostgreSQL does not answer, and 200 again after', async () => {
    const direct = new URL(await createEmptyDatabase());
    const cluster = new URL(clusterUrl());
    const r = await relay({ host: cluster.hostname, port: Number(cluster.port) });
    direct.host = `127.0.0.1:${r.port}`;
    const felt: Felt = await startTestServerOn(direct.toString(), { DB_POOL_SIZE: '2' });
    try {
      expect((await fetch(`${felt.url}/readyz`)).status).toBe(200);
      r.freeze();
      const started = Date.now();
      const frozen = await fetch(`${felt.url}/readyz`);
      const elapsedMs = Date.now() - started;
      expect({ status: frozen.status, withinTwoSeconds: elapsedMs < 2000 }).toEqual({ status: 503, withinTwoSeconds: true });
      expect(((await frozen.json()) as { checks: { database: boolean } }).checks.database).toBe(false);
      r.thaw();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${felt.url}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      r.thaw();
      await felt.close();
      await r.close();
    }
  });
});
