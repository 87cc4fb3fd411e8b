/**
 * The simulation itself, as a function the CLI, the integration test and the flood bench all call:
 * set up through the real API, play concurrently until enough hands settled (or time ran out), make
 * every bot leave, then prove conservation from the bots' accounting and the server's reconcile.
 */
import type { ProtocolVersion, Variant } from '../../shared/protocol';
import { Money, ZERO, type Chips } from '../../shared/money';
import { credit, login, me, reconcile, request } from './api';
import { Bot } from './bot';
import type { Pacing } from './connection';
import { BotChaos, DEFAULT_RATES, runBuyInRace, runHostileClient, sleep, type ChaosRates } from './chaos';
import { startInProcessFelt, type InProcessFelt, type InProcessOptions } from './in-process';
import { ClusterProbe } from './cluster-probe';
import { LocalCluster } from './local-cluster';
import { Progress, type ProgressOptions } from './progress';
import { buildReport, conservation, type AccountEnd, type SimReport } from './report';
import { createRng } from './rng';
import { createAccounts, createTables, mapLimit, newRunId, type SimAccount, type SimTable } from './setup';
import { SimStats } from './stats';
import { strategyFor, type StrategyName } from './strategies';

/** Everything a run is configured with. */
export interface SimOptions {
  /** A running server; without it one is booted in-process. */
  url?: string;
  /** Several nodes of one running cluster (the bots are spread over them); `url` is then the first. */
  urls?: string[];
  /** Start a local cluster of this many Felt processes (own PostgreSQL and redis-server) and play on it. */
  nodes?: number;
  /** Play on this already running local cluster (the tests start their own). */
  cluster?: LocalCluster;
  /** LEASE_TTL_MS of a cluster the run starts (default: the server's). */
  leaseTtlMs?: number;
  /** kill -9 the node owning most of the run's tables this long after play started (needs a local cluster). */
  killNodeAfterMs?: number;
  /** The cluster's database, to read table leases and the house rake (a local cluster's is known). */
  databaseUrl?: string;
  /** Runs during play with the cluster and the run's tables (chaos of the tests); awaited before the bots leave. */
  duringPlay?: (ctx: { probe: ClusterProbe; stats: SimStats; tableIds: string[] }) => Promise<void>;
  /** End play as soon as `duringPlay` (and the kill) is done, even below the hand target. */
  stopAfterDuringPlay?: boolean;
  admin?: { username: string; password: string };
  tables: number;
  seats: number;
  hands: number;
  durationMs?: number;
  variant: Variant;
  strategy: StrategyName;
  chaos: boolean;
  seed: number;
  /** Leave the tables this run created open at the end (default: close them, so runs leave no tables behind). */
  keepTables?: boolean;
  actionTimeoutMs?: number;
  chaosRates?: ChaosRates;
  /** Buy-ins each bot is credited (default 3); a bot that busts with no money left leaves its table. */
  buyInsPerBot?: number;
  /** Bots' client-side request pacing; must stay under the server's SOCKET_EVENTS_PER_SECOND. */
  pacing?: Pacing;
  /** The bots' wire protocol (default 2, one `table:frame` per table step; 1 for per-event messages). */
  protocol?: ProtocolVersion;
  progress?: Omit<ProgressOptions, 'target'>;
  inProcess?: InProcessOptions;
  /** Called when play starts (everyone seated) and when the stop comes, before the bots leave. */
  hooks?: { playStarted?(): Promise<void> | void; playStopped?(): Promise<void> | void };
  /** Status lines (setup, stop); default: none. */
  log?: (line: string) => void;
}

/** Tables used only by the concurrent buy-in race, and how many buy-ins its account can afford. */
const RACE_TABLES = 5;
const RACE_AFFORDABLE = 2;
/** Each bot is credited this many buy-ins, so a few busts can be refilled. */
const BUY_INS_PER_BOT = 3;
/**
 * A bot that went broke is credited again (buy-ins per reload, reloads at most), as a player deposits
 * again: without it a long chaos run lost most of its players and stalled with one left per table.
 */
const BUY_INS_PER_RELOAD = 3;
const MAX_RELOADS_PER_BOT = 20;
/** Tries of one reload credit, all with the same idempotency key (the ledger credits it once). */
const RELOAD_TRIES = 5;
/** No hand settled anywhere for this long during play: the run stops and says so instead of hanging. */
const STALL_MS = 60_000;

/** After a kill -9, failover answers are expected for the lease TTL plus this long. */
const FAILOVER_GRACE_MS = 15_000;

/** Runs one simulation and returns its report (the caller decides the exit code from `report.ok`). */
export async function runSim(options: SimOptions): Promise<SimReport> {
  const log = options.log ?? (() => undefined);
  let server: InProcessFelt | null = null;
  let started: LocalCluster | null = null;
  if (options.nodes && !options.cluster) {
    log(`starting a local cluster of ${options.nodes} Felt nodes (own PostgreSQL and redis-server)…`);
    started = await LocalCluster.start({ nodes: options.nodes, log, ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}) });
  } else if (!options.url && !options.urls && !options.cluster) {
    log('starting an in-process Felt server (embedded PostgreSQL)…');
    server = await startInProcessFelt(options.inProcess);
  }
  try {
    const cluster = options.cluster ?? started;
    const urls = cluster?.urls ?? options.urls ?? [options.url ?? server!.url];
    const admin = cluster?.admin ?? options.admin ?? server?.admin;
    if (!admin) throw new Error('--url needs ADMIN_USERNAME and ADMIN_PASSWORD in the environment for setup');
    const probe = new ClusterProbe(urls, cluster, cluster?.databaseUrl ?? options.databaseUrl ?? null);
    return await runAgainst(probe, admin, options, log);
  } finally {
    await server?.close();
    if (started) {
      const { orphans } = await started.close();
      if (orphans.length > 0) log(`cluster teardown had to kill ${orphans.length} leftover processes: ${orphans.join(', ')}`);
    }
  }
}

/** The first node that is not known to be down (the run's setup and audit calls go there). */
function liveUrl(probe: ClusterProbe, cluster: LocalCluster | undefined | null): string {
  const up = cluster?.nodes.find((n) => n.state !== 'down');
  return up?.url ?? probe.urls[0]!;
}

async function runAgainst(probe: ClusterProbe, adminCreds: { username: string; password: string }, options: SimOptions, log: (line: string) => void): Promise<SimReport> {
  const stats = new SimStats();
  const rng = createRng(options.seed);
  const runId = newRunId();
  const cluster = probe.cluster;
  const live = () => liveUrl(probe, cluster);
  const baseUrl = live();
  const adminToken = (await login(baseUrl, adminCreds.username, adminCreds.password)).token;
  const rakeBefore = await probe.houseRake();
  const timeoutMs = options.actionTimeoutMs ?? (options.chaos ? 1_000 : 10_000);
  log(`setting up ${options.tables} tables × ${options.seats} seats (run ${runId})…`);
  const tables = await createTables(baseUrl, adminToken, runId, options.tables, options.variant, options.seats, timeoutMs);
  const bots = await createBots(probe.urls, adminToken, runId, tables, options, stats, live);
  const extra = options.chaos ? await chaosSetup(baseUrl, adminToken, runId, options, timeoutMs) : null;
  log(`${bots.length} bots registered and credited; sitting down…`);
  // Everyone connects before anyone sits: once the first tables deal, a busy server (many workers on few
  // cores) answers handshakes slowly, and late connects timed out.
  await mapLimit(bots, 16, (bot) => bot.conn.open());
  await mapLimit(bots, 16, (bot) => bot.start());

  const tableIds = tables.map((t) => t.tableId);
  await probe.playStarted(tableIds);
  await options.hooks?.playStarted?.();
  const progress = new Progress(stats, { target: options.hands, stream: process.stderr, ...(options.durationMs ? { durationMs: options.durationMs } : {}), ...options.progress });
  const started = performance.now();
  let stopped = false;
  const done = new Promise<void>((resolve) => {
    stats.onHand((n) => n >= options.hands && resolve());
    if (options.durationMs) setTimeout(resolve, options.durationMs).unref();
    watchForStall(stats, bots, () => stopped, resolve);
  });
  progress.start();
  const chaosTasks = extra ? startChaos(baseUrl, probe.urls, extra, stats, rng, tables, () => stopped, options.killNodeAfterMs) : [];
  const nodeChaos = runNodeChaos(probe, stats, tableIds, options, log);
  await (options.stopAfterDuringPlay ? Promise.race([done, nodeChaos]) : done);
  stats.markStop();
  stopped = true;
  const playSeconds = (performance.now() - started) / 1000;
  progress.stop();
  await options.hooks?.playStopped?.();
  log(`stopping: ${stats.settledHands.size} hands settled; every bot leaves the table…`);
  await Promise.all([...chaosTasks, nodeChaos]);
  const left = await Promise.all(bots.map((b) => b.stop()));
  // Hands still running when the stop came finish and are announced; let late results land in the count.
  await sleep(200);

  const auditUrl = live();
  const ends = await accountEnds(auditUrl, bots, left, extra?.accounts ?? []);
  const serverReport = await reconcile(auditUrl, adminToken);
  const clusterSummary = await probe.summary(tableIds);
  const rakeAfter = await probe.houseRake();
  if (options.killNodeAfterMs !== undefined && clusterSummary.failovers === 0) stats.error('a node was killed but no table of the run moved to another node');
  for (const bot of bots) bot.close();
  const created = [...tables, ...(extra?.raceTables ?? [])];
  const liveUrls = cluster ? cluster.nodes.filter((n) => n.state !== 'down').map((n) => n.url) : probe.urls;
  const closed = options.keepTables ? 0 : await closeTables(liveUrls, adminToken, created, stats);
  if (!options.keepTables) log(`closed ${closed} of ${created.length} tables this run created`);
  const ledgerRake = rakeBefore !== null && rakeAfter !== null ? new Money(rakeAfter).minus(rakeBefore) : null;
  // A hand settled just before its node died may never have been announced: after a node failure the
  // ledger's own rake figure is the reference, and what the results announced is reported beside it.
  const verdict = conservation(ends, stats.rakeFromResults, serverReport, stats.nodeFailures > 0 ? ledgerRake : null);
  return buildReport(stats, playSeconds, verdict, {
    url: probe.urls.length > 1 ? probe.urls.join(',') : (options.url ?? 'in-process'),
    nodes: probe.urls.length,
    killNodeAfterMs: options.killNodeAfterMs ?? null,
    tables: options.tables,
    seats: options.seats,
    hands: options.hands,
    durationMs: options.durationMs ?? null,
    variant: options.variant,
    strategy: options.strategy,
    chaos: options.chaos,
    seed: options.seed,
    keepTables: options.keepTables ?? false,
    tablesClosed: closed,
    actionTimeoutMs: timeoutMs,
    runId,
  }, clusterSummary);
}

/** Closes the tables a run created; a table that cannot be closed is an error of the run. */
async function closeTables(urls: readonly string[], adminToken: string, tables: SimTable[], stats: SimStats): Promise<number> {
  const outcomes = await mapLimit(tables, 8, async (t) => {
    // A node that does not run the table may answer table_not_found: the owner is asked in turn.
    let a = await request('POST', `${urls[0]}/api/admin/tables/${t.tableId}/close`, {}, adminToken);
    for (const url of urls.slice(1)) {
      if (a.status !== 404 || (a.body as { error?: { code?: string } })?.error?.code !== 'table_not_found') break;
      a = await request('POST', `${url}/api/admin/tables/${t.tableId}/close`, {}, adminToken).catch(() => a);
    }
    // A server without the close route (an older Felt) keeps its tables; that is not this run's fault.
    if (a.status === 404 && (a.body as { error?: { code?: string } })?.error?.code === 'not_found') return false;
    if (a.status !== 200 && a.status !== 202) stats.error(`closing table ${t.tableId}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
    return a.status === 200 || a.status === 202;
  });
  return outcomes.filter(Boolean).length;
}

/**
 * Bot n plays through node n mod N (its HTTP calls too) and, should that node die, reconnects to the
 * following ones: players of one table sit on different nodes, so every table is played across nodes.
 */
async function createBots(urls: readonly string[], adminToken: string, runId: string, tables: SimTable[], options: SimOptions, stats: SimStats, live: () => string): Promise<Bot[]> {
  const rng = createRng(options.seed);
  const baseUrl = urls[0]!;
  const bots: Bot[] = [];
  for (const [t, table] of tables.entries()) {
    const credit = table.buyIn.mul(options.buyInsPerBot ?? BUY_INS_PER_BOT);
    const accounts = await createAccounts(baseUrl, adminToken, `sim${runId}t${t}s`, options.seats, credit);
    for (const [s, account] of accounts.entries()) {
      const botRng = rng.fork(`bot:${t}:${s}`);
      const n = bots.length % urls.length;
      const mine = [...urls.slice(n), ...urls.slice(0, n)];
      bots.push(
        new Bot({
          baseUrl: mine[0]!,
          ...(urls.length > 1 ? { urls: mine } : {}),
          session: account.session,
          tableId: table.tableId,
          buyIn: table.buyIn,
          credited: account.credited,
          strategy: strategyFor(options.strategy, botRng.fork('strategy')),
          rng: botRng,
          stats,
          reload: reloader(live, adminToken, `${runId}:${account.session.playerId}`, account.session.playerId, table.buyIn, stats),
          ...(options.pacing ? { pacing: options.pacing } : {}),
          ...(options.protocol ? { protocol: options.protocol } : {}),
          ...(options.chaos ? { chaos: new BotChaos(botRng.fork('chaos'), stats, options.chaosRates ?? DEFAULT_RATES) } : {}),
        }),
      );
    }
  }
  return bots;
}

interface ChaosExtra {
  raceTables: SimTable[];
  race: SimAccount;
  hostile: SimAccount;
  accounts: SimAccount[];
}

async function chaosSetup(baseUrl: string, adminToken: string, runId: string, options: SimOptions, timeoutMs: number): Promise<ChaosExtra> {
  const raceTables = await createTables(baseUrl, adminToken, `${runId}r`, RACE_TABLES, options.variant, Math.max(2, options.seats), timeoutMs);
  const [race] = await createAccounts(baseUrl, adminToken, `sim${runId}race`, 1, raceTables[0]!.buyIn.mul(RACE_AFFORDABLE));
  const [hostile] = await createAccounts(baseUrl, adminToken, `sim${runId}evil`, 1, ZERO);
  return { raceTables, race: race!, hostile: hostile!, accounts: [race!, hostile!] };
}

/** Kills a node at --kill-node-after, then runs the caller's cluster chaos; both finish before the bots leave. */
async function runNodeChaos(probe: ClusterProbe, stats: SimStats, tableIds: string[], options: SimOptions, log: (line: string) => void): Promise<void> {
  try {
    if (options.killNodeAfterMs !== undefined) {
      await sleep(options.killNodeAfterMs);
      stats.markFailover((options.leaseTtlMs ?? 5_000) + FAILOVER_GRACE_MS);
      const victim = await probe.killBusiest(tableIds);
      log(`killed ${victim} (kill -9) ${options.killNodeAfterMs / 1000} s into play`);
    }
    await options.duringPlay?.({ probe, stats, tableIds });
  } catch (error) {
    stats.error(`node chaos: ${(error as Error).message}`);
  }
}

function startChaos(
  baseUrl: string,
  urls: readonly string[],
  extra: ChaosExtra,
  stats: SimStats,
  rng: ReturnType<typeof createRng>,
  tables: SimTable[],
  stopped: () => boolean,
  killAfterMs: number | undefined,
): Promise<void>[] {
  const playStart = performance.now();
  // A buy-in race needs definite answers; it is not run across a planned node kill or a failover.
  const mayRace = () => !stopped() && !stats.inFailover() && (killAfterMs === undefined || performance.now() - playStart < killAfterMs - 8_000);
  const hostile = runHostileClient({ baseUrl, urls, stats, rng: rng.fork('hostile'), tableId: tables[0]!.tableId, stopped }, extra.hostile.session).catch((error: unknown) =>
    stats.error(`hostile client: ${(error as Error).message}`),
  );
  const race = (async () => {
    // Several rounds, spread over the run, so the race meets the server at different load.
    for (let round = 0; round < 3 && mayRace(); round++) {
      await runBuyInRace({ baseUrl, stats }, extra.race.session, extra.raceTables.map((t) => t.tableId), extra.raceTables[0]!.buyIn, RACE_AFFORDABLE);
      for (let i = 0; i < 20 && !stopped(); i++) await sleep(100);
    }
  })().catch((error: unknown) => stats.error(`buy-in race: ${(error as Error).message}`));
  return [hostile, race];
}

async function accountEnds(baseUrl: string, bots: Bot[], left: boolean[], others: SimAccount[]): Promise<AccountEnd[]> {
  const botEnds = await mapLimit(bots, 16, async (bot, i): Promise<AccountEnd> => {
    const wallet = await bot.checkWallet(baseUrl);
    return { username: bot.opts.session.username, credited: bot.account.credited, wallet: wallet.actual, expectedWallet: wallet.expected, seat: left[i] ? ZERO : bot.account.stack, left: left[i]! };
  });
  const otherEnds = await mapLimit(others, 4, async (a): Promise<AccountEnd> => {
    const wallet = new Money((await me(baseUrl, a.session.token)).balance);
    return { username: a.session.username, credited: a.credited, wallet, seat: ZERO, left: true };
  });
  return [...botEnds, ...otherEnds];
}

/** A bot's wallet reload: an admin credit of BUY_INS_PER_RELOAD buy-ins, at most MAX_RELOADS_PER_BOT times. */
function reloader(url: () => string, adminToken: string, keyPrefix: string, playerId: string, buyIn: Chips, stats: SimStats): () => Promise<Chips | null> {
  let used = 0;
  return async () => {
    if (used >= MAX_RELOADS_PER_BOT) return null;
    const key = `sim-reload:${keyPrefix}:${used++}`;
    const amount = buyIn.mul(BUY_INS_PER_RELOAD);
    for (let attempt = 1; ; attempt++) {
      try {
        // The same key on every try: a credit whose answer was lost (its node died) is not made twice.
        await credit(url(), adminToken, playerId, amount.toFixed(2), key);
        return amount;
      } catch (error) {
        if (attempt >= RELOAD_TRIES) {
          stats.error(`reload of ${playerId} (key ${key}) failed ${attempt} times: ${(error as Error).message}`);
          return null;
        }
        await sleep(1_000);
      }
    }
  };
}

/** Ends play (`stop`) with an error when no hand settled for STALL_MS, naming how many bots still sit. */
function watchForStall(stats: SimStats, bots: readonly Bot[], stopped: () => boolean, stop: () => void): void {
  let lastCount = stats.settledHands.size;
  let lastChange = performance.now();
  const timer = setInterval(() => {
    if (stopped()) return clearInterval(timer);
    if (stats.settledHands.size !== lastCount) {
      lastCount = stats.settledHands.size;
      lastChange = performance.now();
      return;
    }
    if (performance.now() - lastChange < STALL_MS) return;
    const seated = bots.filter((b) => b.phase === 'seated').length;
    stats.error(`play stalled: no hand settled for ${STALL_MS / 1000} s (${seated} of ${bots.length} bots still seated, ${stats.brokeBots} broke)`);
    clearInterval(timer);
    stop();
  }, 1_000);
  timer.unref();
}
