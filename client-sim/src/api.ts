/** The simulator's HTTP client for Felt's public API (auth, admin setup, balances, reconcile). */
import { randomUUID } from 'node:crypto';
import type { Variant } from '../../shared/protocol';

/** An HTTP answer: status and parsed JSON body. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** An HTTP call that did not return the status we needed. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly what: string,
    readonly answer: HttpAnswer,
  ) {
    super(`${what} failed: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
}

/** Sends one JSON request. */
export async function request(method: 'GET' | 'POST', url: string, body?: unknown, token?: string): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body: parsed };
}

/** A logged-in account. */
export interface Session {
  token: string;
  playerId: string;
  username: string;
}

/** Logs in with username and password. */
export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const a = await request('POST', `${baseUrl}/api/auth/login`, { username, password });
  if (a.status !== 200) throw new ApiError(`login ${username}`, a);
  return { token: String(a.body.token), playerId: String(a.body.playerId), username };
}

/** Registers `username`, or logs in when it already exists (a re-run against the same server). */
export async function registerOrLogin(baseUrl: string, username: string, password: string): Promise<Session> {
  const a = await request('POST', `${baseUrl}/api/auth/register`, { username, password });
  if (a.status === 201) return { token: String(a.body.token), playerId: String(a.body.playerId), username };
  if (a.status === 409) return login(baseUrl, username, password);
  throw new ApiError(`register ${username}`, a);
}

/** The caller's own account: GET /api/me. */
export async function me(baseUrl: string, token: string): Promise<{ playerId: string; username: string; balance: string }> {
  const a = await request('GET', `${baseUrl}/api/me`, undefined, token);
  if (a.status !== 200) throw new ApiError('GET /api/me', a);
  return { playerId: String(a.body.playerId), username: String(a.body.username), balance: String(a.body.balance) };
}

/** GET /api/me from the first of `urls` that answers: a node that just died is skipped. */
export async function meAtAny(urls: readonly string[], token: string): Promise<{ playerId: string; username: string; balance: string }> {
  for (const [i, url] of urls.entries()) {
    try {
      return await me(url, token);
    } catch (error) {
      if (i === urls.length - 1) throw error;
    }
  }
  throw new Error('meAtAny needs at least one URL');
}

/** Credits a wallet as admin (idempotent under `key`); returns the new balance. */
export async function credit(baseUrl: string, adminToken: string, playerId: string, amount: string, key: string = randomUUID()): Promise<string> {
  const a = await request('POST', `${baseUrl}/api/admin/players/${playerId}/credit`, { amount, idempotencyKey: key }, adminToken);
  if (a.status !== 200) throw new ApiError(`credit ${playerId}`, a);
  return String(a.body.balance);
}

/** The table parameters the simulator creates tables with. */
export interface TableSpecBody {
  name: string;
  variant: Variant;
  maxSeats: number;
  unit: string;
  smallBlind: string;
  bigBlind: string;
  minBuyIn: string;
  maxBuyIn: string;
  rakePercent?: string;
  rakeCap?: string;
  actionTimeoutMs?: number;
  timeBankMs?: number;
}

/** Creates a table as admin and returns its id. */
export async function createTable(baseUrl: string, adminToken: string, spec: TableSpecBody): Promise<string> {
  const a = await request('POST', `${baseUrl}/api/admin/tables`, spec, adminToken);
  if (a.status !== 201) throw new ApiError(`create table ${spec.name}`, a);
  return String(a.body.tableId);
}

/** GET /api/admin/reconcile: the server's own ledger proof, or null when this server has no such route. */
export async function reconcile(baseUrl: string, adminToken: string): Promise<Record<string, unknown> | null> {
  const a = await request('GET', `${baseUrl}/api/admin/reconcile`, undefined, adminToken);
  if (a.status === 404) return null;
  if (a.status !== 200) throw new ApiError('reconcile', a);
  return a.body;
}
