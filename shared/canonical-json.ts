/**
 * One canonical JSON encoding for the whole tree: object keys sorted (by code unit, not locale, so
 * every machine agrees) at every depth, undefined members dropped. Idempotency hashes, stored-event
 * comparisons and the simulator's duplicate-answer check all need "equal content, equal text".
 */

/** JSON with object keys sorted at every depth, so that equal values always encode equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
