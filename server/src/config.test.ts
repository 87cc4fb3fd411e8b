import { loadConfig, ConfigError } from './config';

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

  it('applies defaults and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: 'debug' });
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.FELT_DATA_DIR).toBe('./.felt');
  });
});
