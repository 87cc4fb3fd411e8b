import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTokenSecret, TOKEN_SECRET_FILE } from './token-secret';

describe('token secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'felt-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses TOKEN_SECRET when it is set and writes nothing', () => {
    const secret = resolveTokenSecret({ TOKEN_SECRET: 'configured-secret-configured-secret-0', FELT_DATA_DIR: dir });
    expect(secret.toString('utf8')).toBe('configured-secret-configured-secret-0');
    expect(() => statSync(path.join(dir, TOKEN_SECRET_FILE))).toThrow();
  });

  it('generates 48 random bytes once, mode 0600, and reuses them across restarts', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = resolveTokenSecret({ FELT_DATA_DIR: dataDir });
    expect(first).toHaveLength(48);
    const file = path.join(dataDir, TOKEN_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveTokenSecret({ FELT_DATA_DIR: dataDir });
    expect(second.equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url').equals(first)).toBe(true);
  });

  it('tightens a secret file readable by others and refuses a corrupt one', () => {
    resolveTokenSecret({ FELT_DATA_DIR: dir });
    const file = path.join(dir, TOKEN_SECRET_FILE);
    chmodSync(file, 0o644);
    resolveTokenSecret({ FELT_DATA_DIR: dir });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'short');
    expect(() => resolveTokenSecret({ FELT_DATA_DIR: dir })).toThrow(/usable secret/);
  });
});
