import { createHmac } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { createTokenService } from '../../server/src/auth/tokens';
import { authenticate } from '../../server/src/transport/route-kit';
import { HttpError } from '../../server/src/transport/router';
import { startTestServer } from '../helpers/server';
import { login, registerPlayer, request } from '../helpers/auth-http';

const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

describe('auth routes against the real server and PostgreSQL', () => {
  let felt: Felt;
  let base: string;
  beforeAll(async () => {
    felt = await startTestServer();
    base = felt.url;
  });
  afterAll(async () => {
    await felt.close();
  });

  it('register → 201 with a token that works on /api/me, and a zero wallet exists', async () => {
    const res = await request<{ token: string; playerId: string }>('POST', `${base}/api/auth/register`, {
      body: { username: 'Alice', password: 'correct horse' },
    });
    expect(res.status).toBe(201);
    expect(res.body.playerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof res.body.token).toBe('string');
    const me = await request('GET', `${base}/api/me`, { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ playerId: res.body.playerId, username: 'Alice', role: 'player', balance: '0.00' });
    const wallets = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM account WHERE kind = 'wallet' AND player_id = $1`, [
      res.body.playerId,
    ])) as Array<{ n: number }>;
    expect(wallets[0]?.n).toBe(1);
    const stored = (await felt.dataSource.query(`SELECT password_hash FROM player WHERE id = $1`, [res.body.playerId])) as Array<{
      password_hash: string;
    }>;
    expect(stored[0]?.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored[0]?.password_hash).not.toContain('correct horse');
  });

  it('login → 200 with a fresh token for the same player, case-insensitively on the username', async () => {
    const { playerId } = await registerPlayer(base, 'bob.smith', 'bobs-password');
    const res = await request<{ token: string; playerId: string }>('POST', `${base}/api/auth/login`, {
      body: { username: 'BOB.SMITH', password: 'bobs-password' },
    });
    expect(res.status).toBe(200);
    expect(res.body.playerId).toBe(playerId);
    const me = await request('GET', `${base}/api/me`, { token: res.body.token });
    expect(me.body).toMatchObject({ playerId, username: 'bob.smith' });
  });

  it('duplicate usernames are refused in any letter case with 409 username_taken', async () => {
    await registerPlayer(base, 'carol_1');
    for (const username of ['carol_1', 'CAROL_1', 'Carol_1']) {
      const res = await request('POST', `${base}/api/auth/register`, { body: { username, password: 'another-pass' } });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { code: 'username_taken', message: 'That username is already registered.' } });
    }
    const rows = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM player WHERE lower(username) = 'carol_1'`)) as Array<{ n: number }>;
    expect(rows[0]?.n).toBe(1);
  });

  it('wrong password and unknown user get the same 401 answer', async () => {
    await registerPlayer(base, 'dave', 'daves-password');
    const wrong = await request('POST', `${base}/api/auth/login`, { body: { username: 'dave', password: 'not-his-password' } });
    const unknown = await request('POST', `${base}/api/auth/login`, { body: { username: 'nobody-here', password: 'not-his-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ error: { code: 'unauthorized', message: 'Invalid username or password.' } });
  });

  it.each([
    ['an extra key', { username: 'erin', password: 'password-123', role: 'admin' }],
    ['a numeric username', { username: 12345, password: 'password-123' }],
    ['a missing password', { username: 'erin' }],
    ['a short password', { username: 'erin', password: 'short' }],
    ['a 201-character password', { username: 'erin', password: 'x'.repeat(201) }],
    ['a huge username', { username: 'e'.repeat(5000), password: 'password-123' }],
    ['a username with forbidden characters', { username: 'erin smith', password: 'password-123' }],
    ['a two-character username', { username: 'er', password: 'password-123' }],
    ['an array body', ['erin', 'password-123']],
    ['a null body', null],
  ])('register with %s → 400 invalid_payload', async (_label, body) => {
    const res = await request<{ error: { code: string } }>('POST', `${base}/api/auth/register`, { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_payload');
  });

  it('invalid JSON, an empty body and a body over 16 KB → 400 invalid_payload', async () => {
    for (const rawBody of ['{"username": "erin", ', '', JSON.stringify({ username: 'erin', password: 'p'.repeat(17 * 1024) })]) {
      const res = await request<{ error: { code: string } }>('POST', `${base}/api/auth/register`, { rawBody });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_payload');
    }
    const login = await request<{ error: { code: string } }>('POST', `${base}/api/auth/login`, { body: { username: 'erin', password: 'x', extra: 1 } });
    expect(login.status).toBe(400);
    expect(login.body.error.code).toBe('invalid_payload');
    const rows = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM player WHERE lower(username) = 'erin'`)) as Array<{ n: number }>;
    expect(rows[0]?.n).toBe(0);
  });

  it('/api/me without, with a malformed, tampered, foreign or expired token → 401 unauthorized', async () => {
    const { token, playerId } = await registerPlayer(base, 'frank');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const expiredInput = `${header}.${Buffer.from(JSON.stringify({ sub: playerId, role: 'player', iat: 1000, exp: 2000 })).toString('base64url')}`;
    const expired = `${expiredInput}.${createHmac('sha256', TEST_SECRET).update(expiredInput).digest('base64url')}`;
    const foreign = createTokenService({ secret: 'some-other-secret-some-other-secret-000', ttlSeconds: 600 }).sign(playerId, 'player');
    const headers = [undefined, 'garbage', `${header}.${promoted}.${signature}`, expired, foreign, `${header}.${payload}.`];
    for (const bad of headers) {
      const res = await request<{ error: { code: string } }>('GET', `${base}/api/me`, { token: bad });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    // The same token, untouched, still works: the failures above are about the token, not the player.
    expect((await request('GET', `${base}/api/me`, { token })).status).toBe(200);
    const raw = await fetch(`${base}/api/me`, { headers: { authorization: `Basic ${token}` } });
    expect(raw.status).toBe(401);
  });

  it('concurrent registrations of one name in different cases create exactly one player', async () => {
    const names = ['Henry', 'henry', 'HENRY', 'hEnRy', 'henrY'];
    const results = await Promise.all(
      names.map((username) => request('POST', `${base}/api/auth/register`, { body: { username, password: 'password-123' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM player WHERE lower(username) = 'henry'`)) as Array<{ n: number }>;
    expect(rows[0]?.n).toBe(1);
  });

  it('authenticate accepts a route context, a header value or a bare token', async () => {
    const { token, playerId } = await registerPlayer(base, 'ivan');
    expect(authenticate(felt.auth, token)).toEqual({ playerId, role: 'player' });
    expect(authenticate(felt.auth, `Bearer ${token}`)).toEqual({ playerId, role: 'player' });
    expect(() => authenticate(felt.auth, `Bearer ${token}.x`)).toThrow(HttpError);
    expect(() => authenticate(felt.auth, undefined)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('the AuthService verifyToken used by the socket handshake accepts issued tokens only', async () => {
    const { token, playerId } = await registerPlayer(base, 'gina');
    expect(felt.auth.verifyToken(token)).toMatchObject({ playerId, role: 'player' });
    expect(felt.auth.verifyToken(`${token}x`)).toBeUndefined();
    expect(await login(base, 'gina', 'password-123')).toEqual(expect.any(String));
  });
});
