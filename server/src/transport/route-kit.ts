/**
 * Helpers every route module uses to read a request: query strings parsed with a strict schema (a
 * repeated parameter is refused, empty values count as absent) and the common paging parameters.
 */
import { z } from 'zod';
import { parseBody } from './auth.routes';
import { HttpError, type RouteContext } from './router';

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
