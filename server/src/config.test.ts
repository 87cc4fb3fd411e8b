import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError, KNOWN_PLACEHOLDERS } from './config';

const ROOT = path.resolve(__dirname, '../..');
const STRONG_SECRET = 'Qm9vdHN0cmFwLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM0NTY3OA';

/** The placeholder values the repository's own files publish for the two secrets. */
function publishedPlaceholders(): string[] {
  const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [
    ...[...compose.matchAll(/\$\{(?:TOKEN_SECRET|ADMIN_PASSWORD):-([^}]+)\}/g)].map((m) => m[1]!),
    ...[...example.matchAll(/ADMIN_PASSWORD=(\S+)/g)].map((m) => m[1]!),
    ...[...readme.matchAll(/ADMIN_PASSWORD='([^']+)'/g)].map((m) => m[1]!),
    ...[...readme.matchAll(/"password":"([^"]+)"/g)].map((m) => m[1]!),
  ];
}

describe('loadConfig', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT: must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ADMIN_USERNAME: 'root' }, /ADMIN_USERNAME and ADMIN_PASSWORD must be set together/],
    [{ NODE_ENV: 'production' }, /TOKEN_SECRET is required/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('knows every placeholder the repository publishes', () => {
    const published = publishedPlaceholders();
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const value of published) expect({ value, known: KNOWN_PLACEHOLDERS.has(value) }).toEqual({ value, known: true });
  });

  it.each([...KNOWN_PLACEHOLDERS])('refuses to start in production with the placeholder %s as either secret', (value) => {
    const base = { NODE_ENV: 'production', ADMIN_USERNAME: 'admin' };
    const asSecret = { ...base, TOKEN_SECRET: value.padEnd(32, value), ADMIN_PASSWORD: STRONG_SECRET };
    if (value.length >= 32) expect(() => loadConfig(asSecret)).toThrow(/TOKEN_SECRET is a placeholder/);
    expect(() => loadConfig({ ...base, TOKEN_SECRET: STRONG_SECRET, ADMIN_PASSWORD: value })).toThrow(/ADMIN_PASSWORD (is a placeholder|must be at least)/);
  });

  it('refuses weak production secrets and accepts strong ones', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'a'.repeat(40) })).toThrow(/too few distinct characters/);
    expect(() => loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: STRONG_SECRET, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short-pw1' })).toThrow(
      /ADMIN_PASSWORD must be at least 12/,
    );
    expect(loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: STRONG_SECRET, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'a long pass phrase 7' }).NODE_ENV).toBe('production');
    // Outside production the development defaults keep working.
    expect(loadConfig({ TOKEN_SECRET: 'replace-me-with-at-least-32-random-characters' }).NODE_ENV).toBe('development');
  });

  it('applies defaults and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: 'debug' });
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.FELT_DATA_DIR).toBe('./.felt');
  });
});

describe('node id and lease settings', () => {
  it('names a standalone node by its hostname and a clustered one by hostname and pid, unless NODE_ID is set', () => {
    const standalone = loadConfig({}).NODE_ID;
    expect(standalone).toMatch(/^[A-Za-z0-9_.:-]+$/);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).NODE_ID).toBe(`${standalone}-${process.pid}`);
    expect(loadConfig({ FELT_WORKERS: '2' }).NODE_ID).toBe(`${standalone}-${process.pid}`);
    expect(loadConfig({ NODE_ID: 'node-7', REDIS_URL: 'redis://127.0.0.1:6379' }).NODE_ID).toBe('node-7');
  });

  it('renews a third of the TTL by default and refuses a renewal period as long as the TTL', () => {
    expect(loadConfig({}).LEASE_TTL_MS).toBe(5_000);
    expect(loadConfig({}).LEASE_RENEW_MS).toBe(1_666);
    expect(loadConfig({ LEASE_TTL_MS: '9000', LEASE_RENEW_MS: '1000' }).LEASE_RENEW_MS).toBe(1_000);
    expect(() => loadConfig({ LEASE_TTL_MS: '1000', LEASE_RENEW_MS: '1000' })).toThrow(/LEASE_RENEW_MS must be shorter/);
    expect(() => loadConfig({ NODE_ID: 'bad id' })).toThrow(/NODE_ID/);
  });
});
