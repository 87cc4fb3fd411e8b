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

/** What the live gauges read at each scrape. */
export interface LiveCounts {
  activeTables: number;
  seatedPlayers: number;
  handsInProgress: number;
  connectedSockets: number;
}

let liveSource: () => LiveCounts = () => ({ activeTables: 0, seatedPlayers: 0, handsInProgress: 0, connectedSockets: 0 });

/**
 * Sets where the live gauges read from. Gauges are computed at scrape time from the running tables and
 * sockets, never incremented and decremented along the way, so they cannot drift from the truth (an
 * incremented gauge read 0 with 10 tables open).
 */
export function setLiveSource(source: () => LiveCounts): void {
  liveSource = source;
}

function liveGauge(name: string, help: string, pick: (c: LiveCounts) => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(pick(liveSource()));
    },
  });
}

/** Socket.IO connections currently open. */
export const connectedSockets = liveGauge('felt_connected_sockets', 'Socket.IO connections currently open.', (c) => c.connectedSockets);
/** Table actors currently running (not halted, not closed). */
export const activeTables = liveGauge('felt_active_tables', 'Tables with a running actor.', (c) => c.activeTables);
/** Players holding a seat at a running table. */
export const seatedPlayers = liveGauge('felt_seated_players', 'Seats held at running tables.', (c) => c.seatedPlayers);
/** Hands being played right now. */
export const handsInProgress = liveGauge('felt_hands_in_progress', 'Hands dealt and not yet settled or voided.', (c) => c.handsInProgress);

/** Hands settled since start, by variant; hands per second is rate(felt_hands_total[1m]). */
export const handsTotal = new Counter<'variant'>({
  name: 'felt_hands_total',
  help: 'Hands settled since the process started, by table variant.',
  labelNames: ['variant'],
  registers: [registry],
});

/** Hands voided since start (no chips moved), by variant. */
export const handsVoided = new Counter<'variant'>({
  name: 'felt_hands_voided_total',
  help: 'Hands voided since the process started, by table variant.',
  labelNames: ['variant'],
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

/** Socket requests refused, schema rejections included, by error code (a closed list, so the label set is bounded). */
const rejectedActions = new Counter<'code'>({
  name: 'felt_rejected_actions_total',
  help: 'Socket requests rejected (schema rejections included), by error code.',
  labelNames: ['code'],
  registers: [registry],
});

/** HTTP requests answered, by route pattern (never the raw path, which would be unbounded) and status. */
const httpRequests = new Counter<'route' | 'status'>({
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

/** Registers GET /metrics, which renders the registry in the Prometheus text format. */
export function registerMetricsRoute(router: Router): void {
  router.on('GET', '/metrics', async () => ({
    body: await registry.metrics(),
    contentType: registry.contentType,
  }));
}

/**
 * Work refused by the lease epoch check: `op="ledger"`, a table-scoped ledger transaction of a node that
 * lost the table's lease (paused, partitioned, slow) and tried to move chips or write history; and
 * `op="renewal"`, that node's lease renewal, which finds the epoch moved on and stops the table's actor
 * before it tries anything (after a pause, whichever runs first decides which of the two counts).
 */
export const fencedRefusals = new Counter({
  name: 'felt_fenced_refusals_total',
  help: 'Ledger transactions and lease renewals refused because the node no longer held the table lease (by op).',
  labelNames: ['op'] as const,
  registers: [registry],
});
