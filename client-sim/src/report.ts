/**
 * The simulator's final report: throughput, latency percentiles, rejections by code (expected vs
 * unexpected), chaos probe outcomes, and the conservation verdict — total credited must equal the sum
 * of wallets, seat stacks and the house rake to the unit, and the rake must match what hand:result
 * messages announced.
 */
import { Money, sumChips, type Chips } from '../../shared/money';
import type { LatencySummary, SimStats } from './stats';
import type { ClusterSummary } from './cluster-probe';

/** One account's end state as the simulator sees it. */
export interface AccountEnd {
  username: string;
  credited: Chips;
  /** GET /api/me balance after cash-out. */
  wallet: Chips;
  /** What the bot's own accounting says the wallet should be (absent for accounts that are not bots). */
  expectedWallet?: Chips;
  /** Chips still on a seat (a bot that failed to leave), by its last known stack. */
  seat: Chips;
  left: boolean;
}

/** The conservation check. */
export interface Conservation {
  ok: boolean;
  credited: string;
  wallets: string;
  seats: string;
  /** credited − wallets − seats: what the house must have taken. */
  houseRake: string;
  /** Σ rake of every hand:result seen. */
  rakeFromResults: string;
  /**
   * The house rake account's growth during the run, when the reference is the ledger (after a node
   * failure a hand can settle without its result reaching anyone); null when the announced rake is it.
   */
  rakeFromLedger: string | null;
  walletMismatches: string[];
  notLeft: string[];
  server: { available: boolean; ok: boolean | null; detail?: Record<string, unknown> };
}

/** Computes the conservation verdict from the accounts and the announced rake (or the ledger's rake, when given). */
export function conservation(accounts: readonly AccountEnd[], rakeFromResults: Chips, server: Record<string, unknown> | null, rakeFromLedger: Chips | null = null): Conservation {
  const credited = sumChips(accounts.map((a) => a.credited));
  const wallets = sumChips(accounts.map((a) => a.wallet));
  const seats = sumChips(accounts.map((a) => a.seat));
  const houseRake = credited.minus(wallets).minus(seats);
  const walletMismatches = accounts
    .filter((a) => a.expectedWallet !== undefined && !a.expectedWallet.eq(a.wallet))
    .map((a) => `${a.username}: wallet ${a.wallet.toString()} but own accounting says ${a.expectedWallet!.toString()}`);
  const notLeft = accounts.filter((a) => !a.left).map((a) => a.username);
  const serverOk = server === null ? null : server.ok === true;
  return {
    ok: houseRake.eq(rakeFromLedger ?? rakeFromResults) && walletMismatches.length === 0 && notLeft.length === 0 && serverOk !== false,
    credited: credited.toFixed(),
    wallets: wallets.toFixed(),
    seats: seats.toFixed(),
    houseRake: houseRake.toFixed(),
    rakeFromResults: rakeFromResults.toFixed(),
    rakeFromLedger: rakeFromLedger === null ? null : rakeFromLedger.toFixed(),
    walletMismatches,
    notLeft,
    server: { available: server !== null, ok: serverOk, ...(server ? { detail: summariseReconcile(server) } : {}) },
  };
}

function summariseReconcile(r: Record<string, unknown>): Record<string, unknown> {
  const pick = ['ok', 'accounts', 'transfers', 'entries', 'totalSum', 'checkedAt'];
  const out: Record<string, unknown> = {};
  for (const k of pick) if (k in r) out[k] = r[k];
  for (const k of ['drift', 'unbalancedTransfers', 'balanceAfterMismatches', 'settledHandsWithoutOneSettlement']) {
    if (Array.isArray(r[k])) out[k] = (r[k] as unknown[]).length;
  }
  return out;
}

/** The whole report, as printed and as written by --json. */
export interface SimReport {
  ok: boolean;
  config: Record<string, unknown>;
  /** Hands settled in total, including those that finished while the bots were leaving. */
  hands: number;
  /** Felt nodes the bots played on (1: a single server). */
  nodes: number;
  /** Tables of the run that moved to another node (lease epoch grew); null when not observable (no database access, or no leases). */
  failovers: number | null;
  /** Σ felt_fenced_refusals_total over the nodes; null when no node reported it. */
  fencedRefusals: number | null;
  /** Node URLs, killed nodes and lease owners at the end; absent for a single server. */
  cluster?: ClusterSummary;
  /** Hands settled when the stop came; hands/s and actions/s are computed from these. */
  handsAtStop: number;
  durationSeconds: number;
  handsPerSecond: number;
  actions: number;
  actionsPerSecond: number;
  /** Frames the bots received per accepted action (state views, events, results): the server's fan-out. */
  framesPerAction: number;
  /** Bots that went broke and left their table during the run (fewer players, fewer hands). */
  brokeBots: number;
  /** Wallet reloads of broke bots, so that the run keeps its players. */
  reloads: number;
  /** Leaves that found the seat already gone (after a failover), the cash-out read from the wallet. */
  inferredCashOuts: number;
  /** Observations that are not errors. */
  notes: string[];
  ackLatencyMs: LatencySummary;
  settlementLatencyMs: LatencySummary;
  rejections: Record<string, { expected: number; unexpected: number }>;
  chaosProbes: Record<string, { ok: number; unexpected: number }>;
  unexpectedErrors: { count: number; samples: string[] };
  conservation: Conservation;
}

/** Assembles the report from the run's stats and the conservation verdict. */
export function buildReport(stats: SimStats, playSeconds: number, verdict: Conservation, config: Record<string, unknown>, cluster?: ClusterSummary): SimReport {
  const seconds = Math.max(playSeconds, 1e-9);
  const round = (x: number) => Math.round(x * 100) / 100;
  const unexpectedCount = stats.unexpectedCount;
  const atStop = stats.atStop ?? { hands: stats.settledHands.size, actions: stats.actions, frames: stats.framesReceived };
  return {
    ok: verdict.ok && unexpectedCount === 0 && stats.unexpectedRejections === 0,
    config,
    hands: stats.settledHands.size,
    nodes: cluster?.nodes ?? 1,
    failovers: cluster?.failovers ?? null,
    fencedRefusals: cluster?.fencedRefusals ?? null,
    ...(cluster && cluster.nodes > 1 ? { cluster } : {}),
    handsAtStop: atStop.hands,
    durationSeconds: round(playSeconds),
    handsPerSecond: round(atStop.hands / seconds),
    actions: stats.actions,
    actionsPerSecond: round(atStop.actions / seconds),
    framesPerAction: atStop.actions > 0 ? round(atStop.frames / atStop.actions) : 0,
    brokeBots: stats.brokeBots,
    reloads: stats.reloads,
    inferredCashOuts: stats.inferredCashOuts,
    notes: stats.notes,
    ackLatencyMs: stats.ackLatency.summary(),
    settlementLatencyMs: stats.settlementLatency.summary(),
    rejections: Object.fromEntries([...stats.rejections.entries()].sort(([a], [b]) => a.localeCompare(b))),
    chaosProbes: Object.fromEntries([...stats.probes.entries()].sort(([a], [b]) => a.localeCompare(b))),
    unexpectedErrors: { count: unexpectedCount, samples: stats.unexpected.slice(0, 50) },
    conservation: verdict,
  };
}

const lat = (l: LatencySummary) => `p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  max ${l.max} ms  (n=${l.count})`;

/** Renders the report for a terminal. */
export function formatReport(r: SimReport): string {
  const c = r.conservation;
  const lines = [
    `Felt simulation: ${r.ok ? 'PASS' : 'FAIL'}`,
    `  nodes ${r.nodes}; tables moved by failover: ${r.failovers ?? 'n/a'}; fenced refusals: ${r.fencedRefusals ?? 'n/a'}${r.cluster?.killed.length ? `; killed: ${r.cluster.killed.join(', ')}` : ''}`,
    `  hands ${r.hands} (${r.handsAtStop} in ${r.durationSeconds} s = ${r.handsPerSecond} hands/s; ${r.actionsPerSecond} actions/s)`,
    `  frames received per action: ${r.framesPerAction}; bots that went broke and left: ${r.brokeBots}; wallet reloads: ${r.reloads}`,
    `  ack latency:        ${lat(r.ackLatencyMs)}`,
    `  settlement latency: ${lat(r.settlementLatencyMs)}`,
    `  rejections by code (expected / unexpected):`,
    ...Object.entries(r.rejections).map(([code, n]) => `    ${code.padEnd(22)} ${n.expected} / ${n.unexpected}`),
  ];
  if (Object.keys(r.chaosProbes).length > 0) {
    lines.push('  chaos probes (as expected / unexpected):');
    lines.push(...Object.entries(r.chaosProbes).map(([kind, n]) => `    ${kind.padEnd(36)} ${n.ok} / ${n.unexpected}`));
  }
  lines.push(`  unexpected errors: ${r.unexpectedErrors.count}`, ...r.unexpectedErrors.samples.slice(0, 10).map((s) => `    ${s}`));
  if (r.inferredCashOuts > 0 || r.notes.length > 0) {
    lines.push(`  seats found gone at leave (cash-out read from the wallet): ${r.inferredCashOuts}`, ...r.notes.slice(0, 10).map((s) => `    note: ${s}`));
  }
  lines.push(
    `  conservation: ${c.ok ? 'OK' : 'FAILED'}`,
    `    credited ${c.credited} = wallets ${c.wallets} + seats ${c.seats} + house rake ${c.houseRake}`,
    c.rakeFromLedger === null
      ? `    rake announced in hand results: ${c.rakeFromResults} (${new Money(c.houseRake).eq(c.rakeFromResults) ? 'matches' : 'MISMATCH'})`
      : `    rake in the ledger: ${c.rakeFromLedger} (${new Money(c.houseRake).eq(c.rakeFromLedger) ? 'matches' : 'MISMATCH'}); announced in hand results: ${c.rakeFromResults}`,
    `    bots whose wallet differs from their own accounting: ${c.walletMismatches.length}`,
    ...c.walletMismatches.slice(0, 10).map((m) => `      ${m}`),
    `    accounts that did not leave: ${c.notLeft.length}`,
    `    server reconcile: ${c.server.available ? (c.server.ok ? 'ok' : 'DRIFT') : 'not available on this server'}`,
  );
  return lines.join('\n');
}

