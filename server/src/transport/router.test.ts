import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { DomainError } from '../domain-error';
import { Router } from './router';

describe('router maps service errors', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const router = new Router(pino({ level: 'silent' }));
    router.on('GET', '/throttled', () => {
      throw new DomainError('rate_limited', 'slow down', 7);
    });
    router.on('GET', '/taken', () => {
      throw new DomainError('username_taken');
    });
    server = createServer((req, res) => void router.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers a DomainError with its code, message, status and Retry-After', async () => {
    const res = await fetch(`${base}/throttled`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', message: 'slow down' } });
  });

  it('answers a DomainError without a message with the code and no Retry-After', async () => {
    const res = await fetch(`${base}/taken`);
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: 'username_taken' } });
  });
});
