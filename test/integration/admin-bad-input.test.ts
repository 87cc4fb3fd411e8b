/**
 * Admin routes against the real server: crafted query values are bad input (400 invalid_payload),
 * never a failed query (500), and a table is usable as soon as its creation is answered.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Felt } from '../../server/src/boot';
import { startTestServer } from '../helpers/server';
import { login, registerPlayer, request } from '../helpers/auth-http';
import { open } from '../helpers/clients';

const ADMIN = { ADMIN_USERNAME: 'root_admin', ADMIN_PASSWORD: 'admin-password-1' };
const TABLE = { variant: 'NT', maxSeats: 6, smallBlind: '0.50', bigBlind: '1', minBuyIn: '20', maxBuyIn: '100' };

/** A cursor in the search's own encoding with arbitrary contents. */
const crafted = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('admin routes refuse crafted input and answer table creation once the table runs', () => {
  let felt: Felt;
  let admin: string;
  let player: { token: string; playerId: string };
  beforeAll(async () => {
    felt = await startTestServer(ADMIN);
    admin = await login(felt.url, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
    player = await registerPlayer(felt.url, 'statement_owner');
  });
  afterAll(async () => {
    await felt.close();
  });

  it('answers 400 invalid_payload, not 500, for crafted cursors and out-of-range dates in the hand search', async () => {
    const id = randomUUID();
    const queries = [
      `cursor=${crafted(['not a time', id])}`,
      `cursor=${crafted(['2026-13-45 10:00:00+00', id])}`,
      `cursor=${crafted(['2026-02-30 10:00:00+00', id])}`,
      `cursor=${crafted(['2026-01-01 10:00:00+00', '------------------------------------'])}`,
      `cursor=${crafted(['0000-01-01 00:00:00+00', id])}`,
      `cursor=${crafted(['2026-01-01 10:00:00+99', id])}`,
      `cursor=${crafted(['2026-01-01 10:00:00+05:99', id])}`,
      'from=2026-01-01T25:00',
      'from=2026-01-01T10:00%2B99:00',
      'from=99999',
      'to=99999',
      'from=%2B275760-09-13',
      'from=-000001-01-01',
      'from=0000-01-01',
      'to=0001-01-01T00:00%2B05:00',
      'from=10000-01-01',
      'from=1',
    ];
    for (const q of queries) {
      const res = await request<{ error: { code: string } }>('GET', `${felt.url}/api/admin/hands?${q}`, { token: admin });
      expect({ q, status: res.status, code: res.body.error?.code }).toEqual({ q, status: 400, code: 'invalid_payload' });
    }
    for (const q of ['from=99999&format=phh', 'to=%2B275760-09-13&format=pokerstars']) {
      const res = await request<{ error: { code: string } }>('GET', `${felt.url}/api/admin/hands/export?${q}`, { token: admin });
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
  });

  it('never answers 500 for generated dates and cursors', async () => {
    const dateLike = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.integer({ min: -300_000, max: 300_000 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(
        ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
    );
    const cursorLike = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.tuple(dateLike, fc.oneof(fc.uuid(), fc.string({ maxLength: 36 }))).map(([t, i]) => crafted([`${t} 10:00:00+00`, i])),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('from', 'to', 'cursor'), fc.oneof(dateLike, cursorLike), async (name, value) => {
        const res = await request('GET', `${felt.url}/api/admin/hands?${name}=${encodeURIComponent(value)}`, { token: admin });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });

  it('still accepts real dates and its own cursors', async () => {
    for (const q of ['from=2020-01-01', 'to=2999-12-31T23:59:59Z', 'from=2026-06-01T10:00%2B02:00', `cursor=${crafted(['2026-01-01 10:00:00.123456+00', randomUUID()])}`]) {
      const res = await request('GET', `${felt.url}/api/admin/hands?${q}`, { token: admin });
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
  });

  it('answers 400 for a ledger statement cursor beyond bigint', async () => {
    const url = `${felt.url}/api/admin/players/${player.playerId}/ledger`;
    expect((await request('GET', `${url}?cursor=9999999999999999999`, { token: admin })).status).toBe(400);
    expect((await request('GET', `${url}?cursor=9223372036854775807`, { token: admin })).status).toBe(200);
  });

  it('a table:watch and a table:sit sent the moment the 201 arrives find the new table', async () => {
    const socket = await open(felt.url, player.token, player.playerId);
    try {
      for (let i = 0; i < 10; i++) {
        const created = await request<{ tableId: string }>('POST', `${felt.url}/api/admin/tables`, { token: admin, body: { name: `fresh-${i}`, ...TABLE } });
        expect(created.status).toBe(201);
        const [watch, sit] = await Promise.all([
          socket.call('table:watch', { tableId: created.body.tableId }),
          socket.call('table:sit', { tableId: created.body.tableId, seat: 0, buyIn: '20', requestId: randomUUID() }),
        ]);
        expect(watch.ok).toBe(true);
        // The player has no chips: the sit reaches the table and is refused for funds, not for a missing table.
        expect(sit.ok ? 'ok' : sit.error.code).toBe('insufficient_funds');
      }
    } finally {
      socket.close();
    }
  });
});
