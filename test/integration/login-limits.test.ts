/**
 * Login throttling over real HTTP from distinct client addresses (127.0.0.x are all loopback on
 * Linux): one client's flood does not block other clients, guessing one account backs off, the owner
 * is not locked out from their usual address, and with REDIS_URL the counters are shared by processes.
 */
import { request as httpRequest } from 'node:http';
import { createClient } from 'redis';
import type { Felt } from '../../server/src/boot';
import { LOGIN_POLICY } from '../../server/src/auth/login-limits';
import { startTestServer } from '../helpers/server';
import { useTwoNodesOnRedis } from '../helpers/two-nodes';
import { registerPlayer } from '../helpers/auth-http';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** POSTs a login to `baseUrl` from the local address `from`. */
function loginFrom(baseUrl: string, from: string, username: string, password: string): Promise<Answer> {
  const url = new URL('/api/auth/login', baseUrl);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          const parsed = JSON.parse(text) as { error?: { code: string } };
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, code: parsed.error?.code });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const PASSWORD = 'password-123';

describe('login limits (in memory)', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer();
  });
  afterAll(async () => {
    await felt.close();
  });

  it('120 concurrent bogus logins from one client do not block 20 real logins from other clients', async () => {
    const real = await Promise.all(Array.from({ length: 20 }, (_, i) => registerPlayer(felt.url, `real${i}`)));
    const bogus = Array.from({ length: 120 }, (_, i) => loginFrom(felt.url, '127.0.0.1', `ghost${i}`, 'wrong-password'));
    const genuine = real.map((_, i) => loginFrom(felt.url, `127.0.1.${i + 1}`, `real${i}`, PASSWORD));
    const [flood, logins] = await Promise.all([Promise.all(bogus), Promise.all(genuine)]);
    expect(logins.map((a) => a.status)).toEqual(Array(20).fill(200));
    const limited = flood.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(120 - LOGIN_POLICY.attemptsPerAddressPerMinute);
    expect(limited.every((a) => a.code === 'rate_limited' && Number(a.retryAfter) >= 1)).toBe(true);
  });

  it('guessing one account backs off, and the owner still logs in from their usual address', async () => {
    await registerPlayer(felt.url, 'victim', PASSWORD);
    expect((await loginFrom(felt.url, '127.0.2.1', 'victim', PASSWORD)).status).toBe(200);
    const guesses: Answer[] = [];
    for (let i = 0; i <= LOGIN_POLICY.freeFailuresPerAddressAndAccount; i++) guesses.push(await loginFrom(felt.url, '127.0.3.1', 'victim', `guess-${i}`));
    expect(guesses.slice(0, -1).map((g) => g.status)).toEqual(Array(LOGIN_POLICY.freeFailuresPerAddressAndAccount).fill(401));
    expect(guesses.at(-1)).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: '1' });
    // Guesses spread over many addresses reach the account-wide threshold.
    const spread = LOGIN_POLICY.freeFailuresPerAccount;
    for (let i = 0; i < spread; i++) await loginFrom(felt.url, `127.0.4.${i + 1}`, 'victim', `spread-${i}`);
    expect((await loginFrom(felt.url, '127.0.5.1', 'victim', PASSWORD)).status).toBe(429);
    // The owner's usual address is exempt from the account-wide backoff.
    expect((await loginFrom(felt.url, '127.0.2.1', 'victim', PASSWORD)).status).toBe(200);
  });
});

describe('login limits in Redis', () => {
  const nodes = useTwoNodesOnRedis();

  it('failures counted by one process throttle the same guesses at another', async () => {
    await registerPlayer(nodes.a.url, 'shared', PASSWORD);
    for (let i = 0; i < LOGIN_POLICY.freeFailuresPerAddressAndAccount; i++) {
      expect((await loginFrom(i % 2 ? nodes.a.url : nodes.b.url, '127.0.6.1', 'shared', `guess-${i}`)).status).toBe(401);
    }
    expect(await loginFrom(nodes.b.url, '127.0.6.1', 'shared', 'one-more')).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await loginFrom(nodes.a.url, '127.0.6.1', 'shared', 'one-more')).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await loginFrom(nodes.a.url, '127.0.6.2', 'shared', PASSWORD)).status).toBe(200);
    const client = createClient({ url: nodes.redis.url });
    await client.connect();
    const keys = await client.keys('felt:login:*');
    await client.quit();
    expect(keys.some((k) => k.startsWith('felt:login:addr:127.0.6.1:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('felt:login:known:') && k.endsWith(':127.0.6.2'))).toBe(true);
  });
});
