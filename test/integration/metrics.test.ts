import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { recordHttpRequest } from '../../server/src/metrics';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const m = new RegExp(`^${line.replace(/[{}"=]/g, (c) => `\\${c}`)} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('GET /metrics', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' });
    admin = await adminToken(felt.url, 'admin', 'admin-password-1');
  });
  afterAll(async () => {
    await felt.close();
  });

  it('serves the Prometheus text format with every Felt metric and process metrics', async () => {
    const res = await fetch(`${felt.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'felt_connected_sockets',
      'felt_active_tables',
      'felt_hands_total',
      'felt_action_latency_seconds_bucket',
      'felt_settlement_latency_seconds_bucket',
      'felt_rejected_actions_total',
      'felt_http_requests_total',
      'felt_process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('felt_action_latency_seconds_bucket{le="0.0005"}');
    expect(text).toContain('felt_action_latency_seconds_bucket{le="1"}');
  });

  it('gauges stay true to the running room; counters count hands by variant and rejections by code', async () => {
    const scrape = async () => (await fetch(`${felt.url}/metrics`)).text();
    const before = await scrape();
    const tableIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      tableIds.push(await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' }));
    }
    const clients: TestClient[] = [];
    for (let i = 0; i < 2; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '500');
      const c = await open(felt.url, p.token, p.playerId);
      expect((await c.call('table:sit', { tableId: tableIds[0], buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
      clients.push(c);
    }
    await clients[0]!.until(() => !!clients[0]!.latest?.turn, 5000, 'a hand');
    // A schema rejection and a game rejection, both counted by code.
    expect((await clients[0]!.call('table:act', { tableId: tableIds[0], action: 'fold' })).ok).toBe(false);
    expect((await clients[0]!.call('table:sit', { tableId: tableIds[0], buyIn: '100', requestId: randomUUID() })).ok).toBe(false);
    const during = await scrape();
    expect(sample(during, 'felt_active_tables')).toBe((sample(before, 'felt_active_tables') ?? 0) + 3);
    expect(sample(during, 'felt_seated_players')).toBe(2);
    expect(sample(during, 'felt_hands_in_progress')).toBe(1);
    expect(sample(during, 'felt_connected_sockets')).toBe(2);
    expect(sample(during, 'felt_rejected_actions_total{code="invalid_payload"}')).toBeGreaterThanOrEqual(1);
    expect(sample(during, 'felt_rejected_actions_total{code="already_seated"}')).toBe(1);
    await playHands(clients, 2, passive);
    for (const c of clients) c.close();
    const after = await scrape();
    expect(sample(after, 'felt_hands_total{variant="NT"}')).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'felt_settlement_latency_seconds_count')).toBeGreaterThanOrEqual(2);
  });

  it('labels HTTP requests by route pattern, never by raw ids or unknown paths', async () => {
    recordHttpRequest('POST', '/api/admin/players/4b0d6c1e-8a31-4f57-9d2a-0c6f3e1b2a99/debit', 200);
    recordHttpRequest('POST', '/api/admin/players/00000000-0000-4000-8000-000000000000/debit', 200);
    recordHttpRequest('GET', '/some/random/probe', 404);
    const text = await (await fetch(`${felt.url}/metrics`)).text();
    expect(text).toContain('felt_http_requests_total{route="POST /api/admin/players/:id/debit",status="200"} 2');
    expect(text).toContain('felt_http_requests_total{route="unmatched",status="404"} 1');
    expect(text).not.toContain('4b0d6c1e');
  });
});
