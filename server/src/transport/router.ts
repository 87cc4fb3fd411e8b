/**
 * A deliberately small HTTP router over node:http: JSON in, JSON out, a size limit on bodies, and one
 * error shape from the closed code list. Routes are registered with `:param` placeholders.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type ErrorCode, HTTP_STATUS, errorBody } from '../../../shared/codes';
import { DomainError } from '../domain-error';

/** Largest JSON body accepted on any route. */
export const MAX_BODY_BYTES = 16 * 1024;

/** What a handler sees. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  requestId: string;
  log: Logger;
  /** Parsed JSON body (undefined for GET or an empty body). */
  body: unknown;
}

/** A handler's answer: JSON with a status, or a raw body with a content type. */
export type RouteResult =
  | { status?: number; json: unknown }
  | { status?: number; body: string | Buffer; contentType: string; headers?: Record<string, string> };

export type RouteHandler = (ctx: RouteContext) => Promise<RouteResult> | RouteResult;

/** Thrown by handlers to answer with a code from the closed list. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** Extra response headers, such as Retry-After on rate_limited. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? code);
  }
}

/** The HTTP answer to a service's refusal: same code and message, Retry-After when the service gave one. */
export function httpErrorOf(error: DomainError): HttpError {
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  return new HttpError(error.code, error.message, headers);
}

interface Route {
  method: string;
  parts: string[];
  handler: RouteHandler;
}

/** Registers routes and dispatches requests to them. */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly logger: Logger) {}

  /** Adds a route; `path` may contain `:name` segments. */
  on(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, handler: RouteHandler): this {
    this.routes.push({ method, parts: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** Handles one request; returns false when no route matched so that others (socket.io) may. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = this.match(req.method ?? 'GET', url.pathname);
    if (!match) return false;
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    const log = this.logger.child({ requestId });
    const started = process.hrtime.bigint();
    try {
      const body = await readJsonBody(req);
      const result = await match.route.handler({ req, res, params: match.params, query: url.searchParams, requestId, log, body });
      send(res, result, requestId);
    } catch (thrown) {
      // Services throw DomainError (no HTTP in them); the transport decides what it looks like on the wire.
      const error = thrown instanceof DomainError ? httpErrorOf(thrown) : thrown;
      const code: ErrorCode = error instanceof HttpError ? error.code : 'internal';
      if (code === 'internal') log.error({ err: error }, 'request failed');
      const message = error instanceof HttpError ? error.message : undefined;
      if (error instanceof HttpError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      send(res, { status: HTTP_STATUS[code], json: { error: errorBody(code, message === code ? undefined : message) } }, requestId);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.debug({ method: req.method, path: url.pathname, status: res.statusCode, ms }, 'http');
    return true;
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = pathname.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const want = route.parts[i]!;
        const got = parts[i]!;
        if (want.startsWith(':')) params[want.slice(1)] = safeDecode(got);
        else ok = want === got;
      }
      if (ok) return { route, params };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 128 ? s : undefined;
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError('invalid_payload', `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError('invalid_payload', 'body is not valid JSON');
  }
}

function send(res: ServerResponse, result: RouteResult, requestId: string): void {
  if (res.headersSent) return;
  res.setHeader('x-request-id', requestId);
  if ('json' in result) {
    const text = JSON.stringify(result.json);
    res.writeHead(result.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
    return;
  }
  res.writeHead(result.status ?? 200, { 'content-type': result.contentType, ...result.headers });
  res.end(result.body);
}
