/**
 * Wire fuzz: thousands of malformed payloads across every client event. Every one must be answered with
 * a code from the closed list, the server must stay up, and no balance or seat may change.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { ERROR_CODE_LIST } from '../../shared/codes';
import { CLIENT_EVENTS } from '../../shared/protocol';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, get, open, register } from '../helpers/clients';

const NASTY_AMOUNTS = ['1e309', 'NaN', 'Infinity', '-1', '-0', '0', '0.001', '1.005', ' 10', '10 ', '0x10', '1_000', '+5', '١٠', '9'.repeat(40), '.5', '5.', '', '1e2', '00.5', '10.0000000001'];

describe('wire fuzz', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer({
      ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0',
      SOCKET_EVENTS_PER_SECOND: '10000', SOCKET_EVENT_BURST: '10000', PLAYER_EVENTS_PER_SECOND: '100000',
    });
  });
  afterAll(async () => {
    await felt.close();
  });

  it('answers every malformed payload with a closed-list code and changes nothing', async () => {
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '0.01', smallBlind: '0.05', bigBlind: '0.10', minBuyIn: '5.00', maxBuyIn: '20.00',
    });
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, '15.00');
    const client = await open(felt.url, p.token, p.playerId);
    const snapshot = async () =>
      felt.dataSource.query(`SELECT kind, player_id, table_id, balance::text FROM account ORDER BY id`) as Promise<unknown[]>;
    const before = await snapshot();

    const validIds = { tableId, handId: randomUUID(), requestId: randomUUID() };
    const payloads: Array<[string, unknown]> = [];
    // Targeted: every amount-bearing event with every nasty amount.
    for (const amount of NASTY_AMOUNTS) {
      payloads.push(['table:sit', { tableId, buyIn: amount, requestId: randomUUID() }]);
      payloads.push(['table:topup', { tableId, amount, requestId: randomUUID() }]);
      payloads.push(['table:act', { ...validIds, requestId: randomUUID(), action: 'bet', amount }]);
    }
    // Structural: extra keys, wrong types, missing fields, huge strings, non-objects.
    const structural = fc.oneof(
      fc.anything(),
      fc.record({ tableId: fc.oneof(fc.string(), fc.integer(), fc.constant(tableId)), extra: fc.anything() }),
      fc.record({ tableId: fc.constant(tableId), buyIn: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 40 }).filter((x) => !/^[0-9.]+$/.test(x))), requestId: fc.string() }),
      fc.record({ ...Object.fromEntries(Object.entries(validIds).map(([k, v]) => [k, fc.constant(v)])), action: fc.string(), amount: fc.anything() }),
      fc.string({ minLength: 1000, maxLength: 5000 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...CLIENT_EVENTS), structural, (event, payload) => {
        payloads.push([event, payload]);
      }),
      { numRuns: 3000, seed: 42 },
    );

    let rejected = 0;
    for (const [event, payload] of payloads) {
      const ack = await client.call(event as never, payload);
      expect(typeof ack.ok).toBe('boolean');
      if (!ack.ok) {
        expect(ERROR_CODE_LIST).toContain(ack.error.code);
        rejected++;
      }
    }
    // Payloads without an ack callback and oversized frames must not crash the server either.
    (client.socket as unknown as { emit: (event: string, payload: unknown) => void }).emit('table:sit', { tableId });
    expect(rejected).toBeGreaterThan(3000);
    expect((await get(`${felt.url}/healthz`)).status).toBe(200);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    client.close();
  });
});
