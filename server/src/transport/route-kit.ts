/**
 * Helpers every route module uses to read a request: what registration functions receive (RouteDeps),
 * JSON bodies and query strings parsed with a strict schema (a repeated parameter is refused, empty
 * values count as absent), the common paging parameters, and the guards that turn a bearer token into
 * a caller (also used by the Socket.IO handshake).
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AuthService } from '../auth/auth.service';
import type { TokenClaims } from '../auth/tokens';
import type { TableRow as StoredTableRow } from '../persistence/poker-tables';
import { HttpError, type RouteContext } from './router';

/** A poker_table row as the table routes read it (NUMERIC columns arrive as strings). */
export type TableRow = StoredTableRow;

/** Largest page any listing returns. */
export const MAX_PAGE_SIZE = 200;

/** A `limit` query parameter: 1..MAX_PAGE_SIZE. */
export const limitParam = z
  .string()
  .regex(/^[0-9]{1,4}$/)
  .transform(Number)
  .refine((n) => n >= 1 && n <= MAX_PAGE_SIZE, `must be 1..${MAX_PAGE_SIZE}`);

/** Parses the query string with `schema`; a repeated parameter or a schema failure is invalid_payload. */
export function queryOf<T>(schema: z.ZodType<T>, ctx: RouteContext): T {
  const entries = [...ctx.query.entries()];
  if (new Set(entries.map(([k]) => k)).size !== entries.length) throw new HttpError('invalid_payload', 'a query parameter is repeated');
  return parseBody(schema, Object.fromEntries(entries.filter(([, v]) => v !== '')));
}

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
