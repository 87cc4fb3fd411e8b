import { createHmac } from 'node:crypto';
import { createTokenService } from './tokens';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const PLAYER = '4b0d6c1e-8a31-4f57-9d2a-0c6f3e1b2a99';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function forge(header: unknown, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('tokens', () => {
  let now = 1_800_000_000;
  const service = createTokenService({ secret: SECRET, ttlSeconds: 3600, nowSeconds: () => now });
  beforeEach(() => {
    now = 1_800_000_000;
  });

  it('round-trips player id and role', () => {
    const token = service.sign(PLAYER, 'admin');
    expect(token.split('.')).toHaveLength(3);
    expect(service.verify(token)).toEqual({ playerId: PLAYER, role: 'admin', issuedAt: now, expiresAt: now + 3600, version: 0 });
  });

  it('rejects a token once it has expired', () => {
    const token = service.sign(PLAYER, 'player');
    now += 3599;
    expect(service.verify(token)).toBeDefined();
    now += 1;
    expect(service.verify(token)).toBeUndefined();
  });

  it('rejects a tampered payload or signature', () => {
    const token = service.sign(PLAYER, 'player');
    const [h, , s] = token.split('.');
    const promoted = `${h}.${b64({ sub: PLAYER, role: 'admin', iat: now, exp: now + 3600 })}.${s}`;
    expect(service.verify(promoted)).toBeUndefined();
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(service.verify(flipped)).toBeUndefined();
  });

  it('rejects tokens signed with another secret', () => {
    const other = createTokenService({ secret: 'another-secret-another-secret-another-1', ttlSeconds: 3600, nowSeconds: () => now });
    expect(service.verify(other.sign(PLAYER, 'player'))).toBeUndefined();
  });

  it('rejects alg:none and any header other than HS256/JWT, even with a valid HMAC', () => {
    const payload = { sub: PLAYER, role: 'admin', iat: now, exp: now + 3600 };
    expect(service.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`)).toBeUndefined();
    expect(service.verify(forge({ alg: 'HS512', typ: 'JWT' }, payload))).toBeUndefined();
    expect(service.verify(forge({ typ: 'JWT', alg: 'HS256' }, payload))).toBeUndefined();
    // The canonical header with a correct HMAC is accepted, which shows the forge helper itself is right.
    expect(service.verify(forge({ alg: 'HS256', typ: 'JWT' }, payload))).toBeDefined();
  });

  it('rejects well-signed payloads with the wrong shape', () => {
    const header = { alg: 'HS256', typ: 'JWT' };
    expect(service.verify(forge(header, { sub: 'not-a-uuid', role: 'player', iat: now, exp: now + 10 }))).toBeUndefined();
    expect(service.verify(forge(header, { sub: PLAYER, role: 'root', iat: now, exp: now + 10 }))).toBeUndefined();
    expect(service.verify(forge(header, { sub: PLAYER, role: 'player', iat: now, exp: `${now + 10}` }))).toBeUndefined();
    expect(service.verify(forge(header, { sub: PLAYER, role: 'player', iat: now, exp: now + 10, extra: 1 }))).toBeUndefined();
    expect(service.verify(forge(header, { sub: PLAYER, role: 'player', iat: now + 3600, exp: now + 7200 }))).toBeUndefined();
  });

  it('rejects malformed input of every kind', () => {
    for (const bad of [undefined, null, 42, '', 'a.b', 'a.b.c.d', '..', 'x'.repeat(5000), `${service.sign(PLAYER, 'player')} `]) {
      expect(service.verify(bad)).toBeUndefined();
    }
  });

  it('refuses short secrets', () => {
    expect(() => createTokenService({ secret: 'short', ttlSeconds: 60 })).toThrow(RangeError);
  });
});
