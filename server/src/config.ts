/**
 * Environment configuration, parsed once at startup with zod. A bad value stops the process with a
 * message naming the variable, instead of surfacing later as a confusing runtime error.
 */
import { hostname } from 'node:os';
import { z } from 'zod';

const boolFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const intInRange = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: intInRange(0, 65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  FELT_DATA_DIR: z.string().min(1).default('./.felt'),
  // Below Linux's ephemeral range (32768-60999): a client retrying against a stopped server on an
  // ephemeral port can end up connected to itself on that very port and keep PostgreSQL from restarting.
  EMBEDDED_PG_PORT: intInRange(1024, 65535).default(25432),
  DB_POOL_SIZE: intInRange(1, 200).default(20),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TOKEN_TTL_SECONDS: intInRange(60, 30 * 24 * 3600).default(24 * 3600),
  ADMIN_USERNAME: z.string().min(3).max(32).optional(),
  ADMIN_PASSWORD: z.string().min(8).max(200).optional(),
  CORS_ORIGINS: z.string().default('*'),
  RUN_MIGRATIONS: boolFromEnv.default(true),
  HAND_PAUSE_MS: intInRange(0, 60_000).default(2_000),
  SOCKET_EVENTS_PER_SECOND: intInRange(1, 10_000).default(20),
  SOCKET_EVENT_BURST: intInRange(1, 10_000).default(40),
  PLAYER_EVENTS_PER_SECOND: intInRange(1, 100_000).default(60),
  SHUTDOWN_DRAIN_MS: intInRange(0, 600_000).default(30_000),
  SEAT_DISCONNECT_SITOUT_MS: intInRange(100, 24 * 3600 * 1000).default(60_000),
  SEAT_SITOUT_STANDUP_MS: intInRange(100, 7 * 24 * 3600 * 1000).default(600_000),
  // Worker processes behind one port (node:cluster); 1 runs the server in this process, as before.
  FELT_WORKERS: intInRange(1, 64).default(1),
  // This node's name in table leases; the default depends on the run mode (see defaultNodeId).
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1-100 letters, digits or _ . : -').optional(),
  LEASE_TTL_MS: intInRange(500, 600_000).default(5_000),
  // Default: a third of the TTL, so two renewals can fail before the lease expires.
  LEASE_RENEW_MS: intInRange(100, 600_000).optional(),
});

/**
 * Values published in this repository (docker-compose.yml, .env.example, README) as placeholders. A
 * production server started with one of them would sign tokens anyone can forge, or let anyone in as admin.
 */
export const KNOWN_PLACEHOLDERS = new Set([
  'replace-me-with-at-least-32-random-characters',
  'change-me-please',
  'choose-a-password',
  'admin-password-1',
  'test-secret-test-secret-test-secret-0123',
]);

/** Why a production secret is unacceptable, or undefined when it is fine. */
export function weakSecret(value: string, minLength: number): string | undefined {
  if (KNOWN_PLACEHOLDERS.has(value)) return 'is a placeholder published in this repository';
  if (value.length < minLength) return `must be at least ${minLength} characters in production`;
  if (new Set(value).size < 8) return 'has too few distinct characters';
  return undefined;
}

/** The validated configuration; NODE_ID and LEASE_RENEW_MS always have a value after loading. */
export type Config = Omit<z.infer<typeof envSchema>, 'NODE_ID' | 'LEASE_RENEW_MS'> & { NODE_ID: string; LEASE_RENEW_MS: number };

/**
 * The default node id. A standalone process (no REDIS_URL, one worker) is the hostname, so a restarted
 * process recognises the leases it held and reclaims them at once instead of waiting out the TTL; in a
 * cluster several processes share a host, so the pid tells them apart.
 */
export function defaultNodeId(clustered: boolean): string {
  const host = hostname().replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 80) || 'felt';
  return clustered ? `${host}-${process.pid}` : host;
}

/** Thrown when the environment is invalid; its message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function checkProductionSecrets(config: Config): void {
  if (!config.TOKEN_SECRET) throw new ConfigError('Invalid configuration:\n  TOKEN_SECRET is required when NODE_ENV=production');
  const problems: string[] = [];
  const secret = weakSecret(config.TOKEN_SECRET, 32);
  if (secret) problems.push(`  TOKEN_SECRET ${secret}`);
  const password = config.ADMIN_PASSWORD === undefined ? undefined : weakSecret(config.ADMIN_PASSWORD, 12);
  if (password) problems.push(`  ADMIN_PASSWORD ${password}`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration (NODE_ENV=production):\n${problems.join('\n')}`);
}

/** Parses `env` (default: process.env) into a Config or throws ConfigError with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings are treated as unset so that `FOO=` in a .env file does not count as a value.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const clustered = parsed.data.REDIS_URL !== undefined || Number(env.FELT_WORKERS ?? '1') > 1;
  const config: Config = {
    ...parsed.data,
    NODE_ID: parsed.data.NODE_ID ?? defaultNodeId(clustered),
    LEASE_RENEW_MS: parsed.data.LEASE_RENEW_MS ?? Math.max(100, Math.floor(parsed.data.LEASE_TTL_MS / 3)),
  };
  if (config.LEASE_RENEW_MS >= config.LEASE_TTL_MS) {
    throw new ConfigError('Invalid configuration:\n  LEASE_RENEW_MS must be shorter than LEASE_TTL_MS');
  }
  if ((config.ADMIN_USERNAME === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (config.NODE_ENV === 'production') checkProductionSecrets(config);
  return config;
}
