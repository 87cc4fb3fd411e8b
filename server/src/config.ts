/**
 * Environment configuration, parsed once at startup with zod. A bad value stops the process with a
 * message naming the variable, instead of surfacing later as a confusing runtime error.
 */
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
});

/** The validated configuration. */
export type Config = z.infer<typeof envSchema>;

/** Thrown when the environment is invalid; its message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
  const config = parsed.data;
  if ((config.ADMIN_USERNAME === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (config.NODE_ENV === 'production' && !config.TOKEN_SECRET) {
    throw new ConfigError('Invalid configuration:\n  TOKEN_SECRET is required when NODE_ENV=production');
  }
  return config;
}
