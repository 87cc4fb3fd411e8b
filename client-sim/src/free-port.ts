/**
 * The one free-port finder: the simulator's in-process boot, the jest setup and the benches all use it
 * (client-sim must not import test/, so the tests import it from here).
 */
import { createServer } from 'node:net';

/** Finds a free TCP port on loopback by binding port 0 and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
