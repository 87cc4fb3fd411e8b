import type { Felt } from '../../server/src/boot';
import { startTestServer } from '../helpers/server';

describe('health endpoints against the real server and PostgreSQL', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer();
  });
  afterAll(async () => {
    await felt.close();
  });

  it('GET /healthz answers 200 while the process is up', async () => {
    const res = await fetch(`${felt.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /readyz answers 200 once the database is reachable and migrated', async () => {
    const res = await fetch(`${felt.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, shuttingDown: false } });
  });

  it('the migration created the player table with its constraints', async () => {
    await expect(felt.dataSource.query(`INSERT INTO player (username, password_hash) VALUES ('x', 'h')`)).rejects.toThrow(/check/i);
    const rows = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM player`)) as Array<{ n: number }>;
    expect(rows[0]?.n).toBe(0);
  });

  it('unknown routes answer 404 with a code from the closed list', async () => {
    const res = await fetch(`${felt.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route.' } });
  });
});
