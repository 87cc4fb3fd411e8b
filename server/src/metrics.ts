/**
 * Prometheus metrics on a private Registry (not prom-client's global one), so that a test process that
 * boots several servers, or a library that also uses prom-client, cannot collide with Felt's names.
 * Other modules import the metric objects below and update them; GET /metrics renders the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '../../shared/codes';
import type { Router } from './transport/router';

/** Felt's metric registry. */
export const registry = new Registry();

collectDefaultMetrics({ register: registry, prefix: 'felt_' });

/** Socket.IO connections currently open. */
export const connectedSockets = new Gauge({
  name: 'felt_connected_sockets',
  help: 'Socket.IO connections currently open.',
  registers: [registry],
});

/** Table actors currently running. */
export const activeTables = new Gauge({
  name: 'felt_active_tables',
  help: 'Tables with a running actor.',
  registers: [registry],
});

/** Hands settled since start; hands per second is rate(felt_hands_total[1m]). */
export const handsTotal = new Counter({
  name: 'felt_hands_total',
  help: 'Hands settled since the process started.',
  registers: [registry],
});

// Actions are answered from memory plus one commit, so the interesting range is sub-millisecond to a second.
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Time from receiving a player action to acknowledging it. */
export const actionLatency = new Histogram({
  name: 'felt_action_latency_seconds',
  help: 'Seconds from receiving a player action to acknowledging it.',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Time to settle a hand in the ledger (one database transaction). */
export const settlementLatency = new Histogram({
  name: 'felt_settlement_latency_seconds',
  help: 'Seconds to settle a finished hand in the ledger.',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Player actions refused, by error code (a closed list, so the label set is bounded). */
export const rejectedActions = new Counter<'code'>({
  name: 'felt_rejected_actions_total',
  help: 'Player actions rejected, by error code.',
  labelNames: ['code'],
  registers: [registry],
});

/** HTTP requests answered, by route pattern (never the raw path, which would be unbounded) and status. */
export const httpRequests = new Counter<'route' | 'status'>({
  name: 'felt_http_requests_total',
  help: 'HTTP requests answered, by route pattern and status.',
  labelNames: ['route', 'status'],
  registers: [registry],
});

/**
 * Counts one answered HTTP request. The route label is the path with ids replaced by `:id` and is
 * `unmatched` for 404s, so a scanner probing random paths cannot grow the label set without bound.
 */
export function recordHttpRequest(method: string, pathname: string, status: number): void {
  const route =
    status === 404
      ? 'unmatched'
      : `${method} ${pathname
          .split('/')
          .slice(0, 8)
          .map((part) => (/^[0-9a-f-]{8,}$/i.test(part) || /^[0-9]+$/.test(part) ? ':id' : part.slice(0, 40)))
          .join('/')}`;
  httpRequests.inc({ route, status: String(status) });
}

/** Counts one rejected action under its code. */
export function countRejectedAction(code: ErrorCode): void {
  rejectedActions.inc({ code });
}

/** Starts a timer on `histogram`; call the returned function when the work is done. */
export function startTimer(histogram: Histogram): () => number {
  return histogram.startTimer();
}

/** Registers GET /metrics, which renders the registry in the Prometheus text format. */
export function registerMetricsRoute(router: Router): void {
  router.on('GET', '/metrics', async () => ({
    body: await registry.metrics(),
    contentType: registry.contentType,
  }));
}
