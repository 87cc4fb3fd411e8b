/**
 * Signed, expiring bearer tokens in the JWT compact shape `base64url(header).base64url(payload).sig`,
 * signed with HMAC-SHA256. Only one header is ever issued or accepted, byte for byte, so "alg": "none"
 * and algorithm-confusion tricks are refused before any signature work is done.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isUuid } from '../persistence/uuid';

/** Roles a token can carry. */
export type Role = 'player' | 'admin';

/** What a verified token says about its bearer. */
export interface TokenClaims {
  playerId: string;
  role: Role;
  issuedAt: number;
  expiresAt: number;
  /** The player's token version when it was signed; a logout bumps the stored one and revokes this token. */
  version: number;
}

/** Issues and verifies tokens with one secret. */
export interface TokenService {
  /** Signs a token for `playerId` with `role` and token `version`, valid for the configured lifetime. */
  sign(playerId: string, role: Role, version?: number): string;
  /** Returns the claims of a valid, unexpired token, or undefined for anything else. */
  verify(token: unknown): TokenClaims | undefined;
}

/** Longest token string we will look at; a real one is about 250 characters. */
export const MAX_TOKEN_LENGTH = 1024;

const HEADER_SEGMENT = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const payloadSchema = z
  .object({
    sub: z.string().refine(isUuid, 'must be a uuid'),
    role: z.enum(['player', 'admin']),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().positive(),
    // Tokens signed before token versions existed carry none; they count as version 0.
    ver: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
  })
  .strict();

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** Options for `createTokenService`. */
export interface TokenServiceOptions {
  secret: Buffer | string;
  ttlSeconds: number;
  /** Clock in whole seconds; tests pass a fake one. */
  nowSeconds?: () => number;
}

/** Creates a token service; the secret must be at least 32 bytes. */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const key = Buffer.isBuffer(options.secret) ? Buffer.from(options.secret) : Buffer.from(options.secret, 'utf8');
  if (key.length < 32) throw new RangeError('token secret must be at least 32 bytes');
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive integer');
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const mac = (signingInput: string): Buffer => createHmac('sha256', key).update(signingInput).digest();

  return {
    sign(playerId, role, version = 0) {
      const iat = now();
      const payload = base64url(JSON.stringify({ sub: playerId, role, iat, exp: iat + options.ttlSeconds, ver: version }));
      const signingInput = `${HEADER_SEGMENT}.${payload}`;
      return `${signingInput}.${mac(signingInput).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const [header, payload, signature] = parts as [string, string, string];
      if (header !== HEADER_SEGMENT || !SEGMENT.test(payload) || !SEGMENT.test(signature)) return undefined;
      // Comparing the canonical encodings (not decoded bytes) also refuses alternative spellings of the
      // same signature. Length is checked first because timingSafeEqual throws on unequal lengths; the
      // length of a valid signature is public, so this leaks nothing.
      const given = Buffer.from(signature, 'utf8');
      const expected = Buffer.from(mac(`${header}.${payload}`).toString('base64url'), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const claims = payloadSchema.safeParse(decoded);
      if (!claims.success) return undefined;
      const { sub, role, iat, exp, ver } = claims.data;
      const t = now();
      // A small allowance for clock skew between processes sharing the secret, and no more.
      if (exp <= t || iat > t + 60 || exp <= iat) return undefined;
      return { playerId: sub.toLowerCase(), role, issuedAt: iat, expiresAt: exp, version: ver ?? 0 };
    },
  };
}
