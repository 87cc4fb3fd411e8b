/**
 * Account routes: register, login and "me", plus the helpers every other route (and the Socket.IO
 * handshake) uses to turn a bearer token into a player id and role.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AuthService } from '../auth/auth.service';
import type { TokenClaims } from '../auth/tokens';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords';
import type { TableRow } from '../admin/admin.routes';
import { HttpError, type RouteContext, type Router } from './router';

/** What the route-registration functions need. */
export interface RouteDeps {
  dataSource: DataSource;
  config: Config;
  logger: Logger;
  auth: AuthService;
  /** Called after an admin creates a table; resolves once the table's actor runs and accepts events. */
  onTableCreated?: (row: TableRow) => Promise<void>;
  /** Called after a logout revoked the player's tokens, so their open sockets (in every process) are closed. */
  onLogout?: (playerId: string) => Promise<void>;
  /** Adds live fields (such as seated counts) to each entry of the public table list. */
  decorateTable?: (tableId: string) => Record<string, unknown>;
  /** Closes and reconfigures live tables (the table server's side of the admin table routes). */
  tableControl?: TableControl;
  /** The seats a player holds right now at live tables. */
  seatsOf?: (playerId: string) => Array<{ tableId: string; seat: number }>;
}

/** What the admin routes may ask of live tables. */
export interface TableControl {
  /** Asks the table to close; resolves once closed, or with 'closing' when that takes longer than `waitMs`. */
  close(tableId: string, waitMs: number): Promise<'closed' | 'closing' | 'not_found'>;
  /** Hands new settings to the table; true when they apply now, false when after the hand in play. */
  reconfigure(tableId: string): Promise<boolean>;
}

/** The authenticated caller. */
export type Caller = Pick<TokenClaims, 'playerId' | 'role'>;

const registerSchema = z
  .object({
    username: z.string().max(64),
    password: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const loginSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const emptySchema = z.object({}).strict();

/** Parses `body` with `schema` or throws invalid_payload naming the first problem. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError('invalid_payload', `${where}${issue?.message ?? 'invalid body'}`.slice(0, 200));
  }
  return parsed.data;
}

/**
 * The client's address for rate limits: the TCP peer (forwarded-for headers are not trusted, since any
 * client can send them). IPv4-mapped IPv6 is shown as IPv4, and an IPv6 address counts as its /64,
 * because one host usually holds a whole /64 and could otherwise rotate through it.
 */
export function clientAddress(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? 'unknown';
  if (raw.startsWith('::ffff:') && raw.includes('.')) return raw.slice(7);
  if (!raw.includes(':')) return raw;
  const [head = '', tail = ''] = raw.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = raw.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

/** Extracts the token from an `Authorization: Bearer <token>` header value; undefined when absent or malformed. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(value.trim());
  return match?.[1];
}

function tokenFrom(source: RouteContext | IncomingMessage | string | undefined): string | undefined {
  if (source === undefined) return undefined;
  // A string is either a whole Authorization header value or a bare token (as a socket handshake sends it).
  if (typeof source === 'string') return /^bearer /i.test(source) ? bearerToken(source) : source;
  const req = 'req' in source ? source.req : source;
  return bearerToken(req.headers.authorization);
}

/**
 * Returns the caller behind a route context, an IncomingMessage, an Authorization header value or a bare
 * token; throws unauthorized
 * when the token is missing, malformed, tampered with or expired.
 */
export function authenticate(auth: Pick<AuthService, 'verifyToken'>, source: RouteContext | IncomingMessage | string | undefined): Caller {
  const claims = auth.verifyToken(tokenFrom(source));
  if (!claims) throw new HttpError('unauthorized');
  return { playerId: claims.playerId, role: claims.role };
}

/**
 * Like authenticate, but also checks the database: the player must still exist and must not have
 * logged out since the token was signed (its token version is the current one). The role is the
 * current one from the database.
 */
export async function authenticateSession(auth: Pick<AuthService, 'session'>, source: RouteContext | IncomingMessage | string | undefined): Promise<Caller> {
  const session = await auth.session(tokenFrom(source));
  if (!session) throw new HttpError('unauthorized');
  return { playerId: session.playerId, role: session.role };
}

/**
 * Like authenticateSession, but also requires the admin role, both in the token and still in the
 * database, so that a demoted admin's unexpired token stops working at once.
 */
export async function requireAdmin(auth: AuthService, source: RouteContext | IncomingMessage | string | undefined): Promise<Caller> {
  const claims = authenticate(auth, source);
  if (claims.role !== 'admin') throw new HttpError('forbidden');
  const caller = await authenticateSession(auth, source);
  if (caller.role !== 'admin') throw new HttpError('forbidden');
  return caller;
}

/** Registers POST /api/auth/register, POST /api/auth/login, POST /api/auth/logout and GET /api/me. */
export function registerAuthRoutes(router: Router, deps: RouteDeps): void {
  const { auth } = deps;
  router.on('POST', '/api/auth/register', async (ctx) => {
    const { username, password } = parseBody(registerSchema, ctx.body);
    const session = await auth.register(username, password, clientAddress(ctx.req));
    ctx.log.info({ playerId: session.playerId }, 'register');
    return { status: 201, json: session };
  });
  router.on('POST', '/api/auth/login', async (ctx) => {
    const { username, password } = parseBody(loginSchema, ctx.body);
    return { json: await auth.login(username, password, clientAddress(ctx.req)) };
  });
  router.on('POST', '/api/auth/logout', async (ctx) => {
    parseBody(emptySchema, ctx.body ?? {});
    const caller = await authenticateSession(auth, ctx);
    // Bumping the token version revokes this token and every other one the player holds; their open
    // sockets are closed as well, since they were authorised by one of those tokens.
    if (!(await auth.logout(caller.playerId))) throw new HttpError('unauthorized');
    await deps.onLogout?.(caller.playerId);
    ctx.log.info({ playerId: caller.playerId }, 'logout');
    return { json: { loggedOut: true } };
  });
  router.on('GET', '/api/me', async (ctx) => {
    const caller = await authenticateSession(auth, ctx);
    return { json: await auth.getMe(caller.playerId) };
  });
}
