/**
 * The simulation itself, as a function the CLI, the integration test and the flood bench all call:
 * set up through the real API, play concurrently until enough hands settled (or time ran out), make
 * every bot leave, then prove conservation from the bots' accounting and the server's reconcile.
 */
import type { ProtocolVersion, Variant } from '../../shared/protocol';
import { Money, ZERO } from '../../shared/money';
import { login, me, reconcile, request } from './api';
import { Bot } from './bot';
import type { Pacing } from './connection';
import { BotChaos, DEFAULT_RATES, runBuyInRace, runHostileClient, sleep, type ChaosRates } from './chaos';
import { startInProcessFelt, type InProcessFelt, type InProcessOptions } from './in-process';
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

/** Runs one simulation and returns its report (the caller decides the exit code from `report.ok`). */
export async function runSim(options: SimOptions): Promise<SimReport> {
  const log = options.log ?? (() => undefined);
  let server: InProcessFelt | null = null;
  if (!options.url) {
    log('starting an in-process Felt server (embedded PostgreSQL)…');
    server = await startInProcessFelt(options.inProcess);
  }
  try {
    const baseUrl = options.url ?? server!.url;
    const admin = options.admin ?? server?.admin;
    if (!admin) throw new Error('--url needs ADMIN_USERNAME and ADMIN_PASSWORD in the environment for setup');
    return await runAgainst(baseUrl, admin, options, log);
  } finally {
    await server?.close();
  }
}

async function runAgainst(baseUrl: string, adminCreds: { username: string; password: string }, options: SimOptions, log: (line: string) => void): Promise<SimReport> {
  const stats = new SimStats();
  const rng = createRng(options.seed);
  const runId = newRunId();
  const adminToken = (await login(baseUrl, adminCreds.username, adminCreds.password)).token;
  const timeoutMs = options.actionTimeoutMs ?? (options.chaos ? 1_000 : 10_000);
  log(`setting up ${options.tables} tables × ${options.seats} seats (run ${runId})…`);
  const tables = await createTables(baseUrl, adminToken, runId, options.tables, options.variant, options.seats, timeoutMs);
  const bots = await createBots(baseUrl, adminToken, runId, tables, options, stats);
  const extra = options.chaos ? await chaosSetup(baseUrl, adminToken, runId, options, timeoutMs) : null;
  log(`${bots.length} bots registered and credited; sitting down…`);
  await mapLimit(bots, 16, (bot) => bot.start());

  await options.hooks?.playStarted?.();
  const progress = new Progress(stats, { target: options.hands, stream: process.stderr, ...(options.durationMs ? { durationMs: options.durationMs } : {}), ...options.progress });
  const started = performance.now();
  let stopped = false;
  const done = new Promise<void>((resolve) => {
    stats.onHand((n) => n >= options.hands && resolve());
    if (options.durationMs) setTimeout(resolve, options.durationMs).unref();
  });
  progress.start();
  const chaosTasks = extra ? startChaos(baseUrl, extra, stats, rng, tables, () => stopped) : [];
  await done;
  stats.markStop();
  stopped = true;
  const playSeconds = (performance.now() - started) / 1000;
  progress.stop();
  await options.hooks?.playStopped?.();
  log(`stopping: ${stats.settledHands.size} hands settled; every bot leaves the table…`);
  await Promise.all(chaosTasks);
  const left = await Promise.all(bots.map((b) => b.stop()));
  // Hands still running when the stop came finish and are announced; let late results land in the count.
  await sleep(200);

  const ends = await accountEnds(baseUrl, bots, left, extra?.accounts ?? []);
  const serverReport = await reconcile(baseUrl, adminToken);
  for (const bot of bots) bot.close();
  const created = [...tables, ...(extra?.raceTables ?? [])];
  const closed = options.keepTables ? 0 : await closeTables(baseUrl, adminToken, created, stats);
  if (!options.keepTables) log(`closed ${closed} of ${created.length} tables this run created`);
  const verdict = conservation(ends, stats.rakeFromResults, serverReport);
  return buildReport(stats, playSeconds, verdict, {
    url: options.url ?? 'in-process',
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
  });
}

/** Closes the tables a run created; a table that cannot be closed is an error of the run. */
async function closeTables(baseUrl: string, adminToken: string, tables: SimTable[], stats: SimStats): Promise<number> {
  const outcomes = await mapLimit(tables, 8, async (t) => {
    const a = await request('POST', `${baseUrl}/api/admin/tables/${t.tableId}/close`, {}, adminToken);
    // A server without the close route (an older Felt) keeps its tables; that is not this run's fault.
    if (a.status === 404 && (a.body as { error?: { code?: string } })?.error?.code === 'not_found') return false;
    if (a.status !== 200 && a.status !== 202) stats.error(`closing table ${t.tableId}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
    return a.status === 200 || a.status === 202;
  });
  return outcomes.filter(Boolean).length;
}

async function createBots(baseUrl: string, adminToken: string, runId: string, tables: SimTable[], options: SimOptions, stats: SimStats): Promise<Bot[]> {
  const rng = createRng(options.seed);
  const bots: Bot[] = [];
  for (const [t, table] of tables.entries()) {
    const credit = table.buyIn.mul(options.buyInsPerBot ?? BUY_INS_PER_BOT);
    const accounts = await createAccounts(baseUrl, adminToken, `sim${runId}t${t}s`, options.seats, credit);
    for (const [s, account] of accounts.entries()) {
      const botRng = rng.fork(`bot:${t}:${s}`);
      bots.push(
        new Bot({
          baseUrl,
          session: account.session,
          tableId: table.tableId,
          buyIn: table.buyIn,
          credited: account.credited,
          strategy: strategyFor(options.strategy, botRng.fork('strategy')),
          rng: botRng,
          stats,
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

function startChaos(baseUrl: string, extra: ChaosExtra, stats: SimStats, rng: ReturnType<typeof createRng>, tables: SimTable[], stopped: () => boolean): Promise<void>[] {
  const hostile = runHostileClient({ baseUrl, stats, rng: rng.fork('hostile'), tableId: tables[0]!.tableId, stopped }, extra.hostile.session).catch((error: unknown) =>
    stats.error(`hostile client: ${(error as Error).message}`),
  );
  const race = (async () => {
    // Several rounds, spread over the run, so the race meets the server at different load.
    for (let round = 0; round < 3 && !stopped(); round++) {
      await runBuyInRace({ baseUrl, stats }, extra.race.session, extra.raceTables.map((t) => t.tableId), extra.raceTables[0]!.buyIn, RACE_AFFORDABLE);
      for (let i = 0; i < 20 && !stopped(); i++) await sleep(100);
    }
  })().catch((error: unknown) => stats.error(`buy-in race: ${(error as Error).message}`));
  return [hostile, race];
}

async function accountEnds(baseUrl: string, bots: Bot[], left: boolean[], others: SimAccount[]): Promise<AccountEnd[]> {
  const botEnds = await mapLimit(bots, 16, async (bot, i): Promise<AccountEnd> => {
    const wallet = await bot.checkWallet();
    return { username: bot.opts.session.username, credited: bot.account.credited, wallet: wallet.actual, expectedWallet: wallet.expected, seat: left[i] ? ZERO : bot.account.stack, left: left[i]! };
  });
  const otherEnds = await mapLimit(others, 4, async (a): Promise<AccountEnd> => {
    const wallet = new Money((await me(baseUrl, a.session.token)).balance);
    return { username: a.session.username, credited: a.credited, wallet, seat: ZERO, left: true };
  });
  return [...botEnds, ...otherEnds];
}
