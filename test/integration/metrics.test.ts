import type { Felt } from '../../server/src/boot';
import { countRejectedAction, handsTotal, recordHttpRequest } from '../../server/src/metrics';
import { startTestServer } from '../helpers/server';

describe('GET /metrics', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer();
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

  it('reflects updates made through the exported metric objects', async () => {
    handsTotal.inc(3);
    countRejectedAction('not_your_turn');
    const text = await (await fetch(`${felt.url}/metrics`)).text();
    expect(text).toMatch(/^felt_hands_total [1-9][0-9]*$/m);
    expect(text).toContain('felt_rejected_actions_total{code="not_your_turn"} 1');
  });

  it('labels HTTP requests by route pattern, never by raw ids or unknown paths', async () => {
    recordHttpRequest('POST', '/api/admin/players/4b0d6c1e-8a31-4f57-9d2a-0c6f3e1b2a99/credit', 200);
    recordHttpRequest('POST', '/api/admin/players/00000000-0000-4000-8000-000000000000/credit', 200);
    recordHttpRequest('GET', '/some/random/probe', 404);
    const text = await (await fetch(`${felt.url}/metrics`)).text();
    expect(text).toContain('felt_http_requests_total{route="POST /api/admin/players/:id/credit",status="200"} 2');
    expect(text).toContain('felt_http_requests_total{route="unmatched",status="404"} 1');
    expect(text).not.toContain('4b0d6c1e');
  });
});
