/**
 * CLI: `npm run sim -- [--url URL[,URL…] | --nodes N [--kill-node-after 20s] [--lease-ttl 5s]] --tables N --seats S --hands H [--duration 60s] [--variant NT|PO|FT]
 * [--strategy random|tight|calling-station|mixed] [--chaos] [--seed N] [--json out.json] [--protocol 1|2]`.
 * Exit code 0 only when the run had no unexpected error and conservation held; 1 otherwise; 2 for usage.
 */
import { writeFileSync } from 'node:fs';
import type { Variant } from '../../shared/protocol';
import { formatReport } from './report';
import { runSim, type SimOptions } from './sim';
import { STRATEGY_NAMES, type StrategyName } from './strategies';

const USAGE = `usage: npm run sim -- [--url URL[,URL…] | --nodes N [--kill-node-after 20s] [--lease-ttl 5s]]
       [--tables N] [--seats S] [--hands H] [--duration 60s]
       [--variant NT|PO|FT] [--strategy ${STRATEGY_NAMES.join('|')}] [--chaos] [--seed N] [--json out.json] [--keep-tables] [--protocol 1|2]
Without --url or --nodes an in-process Felt server with an embedded PostgreSQL is started.
--url A,B,C spreads the bots over the nodes of a running cluster; ADMIN_USERNAME and ADMIN_PASSWORD
must be set for setup (tables, credits), and DATABASE_URL (optional) lets the run count failovers.
--nodes N starts a local cluster (own PostgreSQL, redis-server, N Felt processes) and plays on it;
--kill-node-after kill -9s the node owning most tables that long into play.`;

/** The hand target of a run bounded only by its duration. */
export const UNLIMITED_HANDS = 1_000_000_000;

/** Thrown for a bad command line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses "60s", "2m", "1500ms" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration "${text}" (use 60s, 2m or 1500ms)`);
  const value = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1000);
}

function intArg(name: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^[0-9]+$/.test(text)) throw new UsageError(`--${name} needs a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

/** The parsed command line. */
export interface CliArgs {
  options: SimOptions;
  json?: string;
}

/** Parses argv (without node and script) and the environment into run options. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const options: SimOptions = { tables: 4, seats: 6, hands: 200, variant: 'NT', strategy: 'mixed', chaos: false, seed: Date.now() % 2 ** 31 };
  let json: string | undefined;
  let handsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--url': {
        const urls = value().split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
        if (urls.length === 0 || urls.length > 64) throw new UsageError('--url needs 1..64 comma-separated URLs');
        options.url = urls[0]!;
        if (urls.length > 1) options.urls = urls;
        break;
      }
      case '--nodes': options.nodes = intArg('nodes', value(), 1, 16); break;
      case '--kill-node-after': options.killNodeAfterMs = parseDuration(value()); break;
      case '--lease-ttl': options.leaseTtlMs = parseDuration(value()); break;
      case '--tables': options.tables = intArg('tables', value(), 1, 1000); break;
      case '--seats': options.seats = intArg('seats', value(), 2, 10); break;
      case '--hands': options.hands = intArg('hands', value(), 1, 100_000_000); handsGiven = true; break;
      case '--duration': options.durationMs = parseDuration(value()); break;
      case '--seed': options.seed = intArg('seed', value(), 0, 2 ** 32 - 1); break;
      case '--json': json = value(); break;
      case '--chaos': options.chaos = true; break;
      case '--protocol': options.protocol = intArg('protocol', value(), 1, 2) as 1 | 2; break;
      case '--keep-tables': options.keepTables = true; break;
      case '--variant': {
        const v = value();
        if (v !== 'NT' && v !== 'PO' && v !== 'FT') throw new UsageError('--variant must be NT, PO or FT');
        options.variant = v as Variant;
        break;
      }
      case '--strategy': {
        const v = value();
        if (!(STRATEGY_NAMES as readonly string[]).includes(v)) throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}`);
        options.strategy = v as StrategyName;
        break;
      }
      default:
        throw new UsageError(`unknown argument ${flag}`);
    }
  }
  // With only a duration, the run is time-bound: no hand target stops it early.
  if (options.durationMs !== undefined && !handsGiven) options.hands = UNLIMITED_HANDS;
  if (options.url && options.nodes) throw new UsageError('--url and --nodes exclude each other');
  if (options.killNodeAfterMs !== undefined && (options.nodes ?? 0) < 2) throw new UsageError('--kill-node-after needs --nodes 2 or more (the simulator kills only processes it started)');
  if (options.url && env.DATABASE_URL) options.databaseUrl = env.DATABASE_URL;
  if (options.url) {
    if (!env.ADMIN_USERNAME || !env.ADMIN_PASSWORD) throw new UsageError('--url needs ADMIN_USERNAME and ADMIN_PASSWORD in the environment');
    options.admin = { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD };
  }
  return { options, ...(json ? { json } : {}) };
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const { options } = args;
  process.stderr.write(`seed ${options.seed} (re-run with --seed ${options.seed} for the same bot decisions)\n`);
  const report = await runSim({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${formatReport(report)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
