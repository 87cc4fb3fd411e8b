import type { Felt } from '../../server/src/boot';
import { chips } from '../../shared/money';
import { startTestServer } from '../helpers/server';
import { login, registerPlayer, request } from '../helpers/auth-http';

function chipsAdd(a: string, b: string): string {
  return chips(a).plus(chips(b)).toFixed(2);
}

type ErrorAnswer = { error: { code: string; message: string } };

const ADMIN = { ADMIN_USERNAME: 'root_admin', ADMIN_PASSWORD: 'admin-password-1' };

const TABLE = {
  name: 'Main NLHE',
  variant: 'NT',
  maxSeats: 6,
  smallBlind: '0.50',
  bigBlind: '1',
  minBuyIn: '20',
  maxBuyIn: '100',
};

describe('admin routes against the real server and PostgreSQL', () => {
  let felt: Felt;
  let base: string;
  let adminToken: string;
  let player: { token: string; playerId: string };

  beforeAll(async () => {
    felt = await startTestServer(ADMIN);
    base = felt.url;
    adminToken = await login(base, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
    player = await registerPlayer(base, 'paula');
  });
  afterAll(async () => {
    await felt.close();
  });

  async function balanceOf(token: string): Promise<string> {
    const me = await request<{ balance: string }>('GET', `${base}/api/me`, { token });
    return me.body.balance;
  }

  async function creditPlayer(body: unknown, token = adminToken, playerId = player.playerId) {
    return request<{ transferId: string; balance: string } & Partial<ErrorAnswer>>('POST', `${base}/api/admin/players/${playerId}/credit`, {
      body,
      token,
    });
  }

  it('bootstraps the admin from ADMIN_USERNAME/ADMIN_PASSWORD with role admin', async () => {
    const me = await request('GET', `${base}/api/me`, { token: adminToken });
    expect(me.body).toMatchObject({ username: 'root_admin', role: 'admin', balance: '0.00' });
  });

  it('credits a wallet; the same key twice moves chips once', async () => {
    const first = await creditPlayer({ amount: '25.50', idempotencyKey: 'grant-1' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ transferId: expect.any(String), balance: '25.50' });
    const again = await creditPlayer({ amount: '25.50', idempotencyKey: 'grant-1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await balanceOf(player.token)).toBe('25.50');
    const transfers = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM transfer WHERE kind = 'credit' AND player_id = $1`, [
      player.playerId,
    ])) as Array<{ n: number }>;
    expect(transfers[0]?.n).toBe(1);
  });

  it('concurrent credits with one key move chips exactly once', async () => {
    const before = await balanceOf(player.token);
    const results = await Promise.all(Array.from({ length: 6 }, () => creditPlayer({ amount: '7.25', idempotencyKey: 'race-1' })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.transferId)).size).toBe(1);
    expect(await balanceOf(player.token)).toBe(chipsAdd(before, '7.25'));
  });

  it('the same key with a different amount is idempotency_conflict and moves nothing', async () => {
    await creditPlayer({ amount: '10', idempotencyKey: 'grant-2' });
    const before = await balanceOf(player.token);
    const conflict = await creditPlayer({ amount: '11', idempotencyKey: 'grant-2' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error?.code).toBe('idempotency_conflict');
    expect(await balanceOf(player.token)).toBe(before);
  });

  it.each([
    ['1.001', 'invalid_amount'],
    ['-1', 'invalid_amount'],
    ['1e3', 'invalid_amount'],
    ['NaN', 'invalid_amount'],
    ['Infinity', 'invalid_amount'],
    ['', 'invalid_amount'],
    ['0', 'invalid_amount'],
    ['0.00', 'invalid_amount'],
    [' 1', 'invalid_amount'],
    ['01', 'invalid_amount'],
    ['0x10', 'invalid_amount'],
    ['1'.repeat(30), 'invalid_amount'],
    [1, 'invalid_payload'],
    [null, 'invalid_payload'],
  ])('amount %p → %s and the balance is unchanged', async (amount, code) => {
    const before = await balanceOf(player.token);
    const res = await creditPlayer({ amount, idempotencyKey: `bad-${String(amount).slice(0, 20)}-${code}` });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe(code);
    expect(await balanceOf(player.token)).toBe(before);
  });

  it('validates the credit body and the player id', async () => {
    for (const body of [{ amount: '1' }, { amount: '1', idempotencyKey: '' }, { amount: '1', idempotencyKey: 'k'.repeat(101) }, { amount: '1', idempotencyKey: 'k', x: 1 }]) {
      const res = await creditPlayer(body);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('invalid_payload');
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await creditPlayer({ amount: '1', idempotencyKey: `nobody-${id}` }, adminToken, id);
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe('player_not_found');
    }
  });

  it('non-admins get 403 forbidden and no token gets 401 on every admin route', async () => {
    const before = await balanceOf(player.token);
    const credit = await creditPlayer({ amount: '1000', idempotencyKey: 'self-grant' }, player.token);
    expect(credit.status).toBe(403);
    expect(credit.body.error?.code).toBe('forbidden');
    const table = await request<ErrorAnswer>('POST', `${base}/api/admin/tables`, { body: TABLE, token: player.token });
    expect(table.status).toBe(403);
    const anonymous = await request<ErrorAnswer>('POST', `${base}/api/admin/tables`, { body: TABLE });
    expect(anonymous.status).toBe(401);
    expect(await balanceOf(player.token)).toBe(before);
  });

  it('a demoted admin loses admin rights at once, even with an unexpired token', async () => {
    const { token, playerId } = await registerPlayer(base, 'temp_admin');
    await felt.dataSource.query(`UPDATE player SET role = 'admin' WHERE id = $1`, [playerId]);
    const adminToken2 = await login(base, 'temp_admin', 'password-123');
    expect((await request('POST', `${base}/api/admin/tables`, { body: { ...TABLE, name: 'T2' }, token: adminToken2 })).status).toBe(201);
    await felt.dataSource.query(`UPDATE player SET role = 'player' WHERE id = $1`, [playerId]);
    const res = await request<ErrorAnswer>('POST', `${base}/api/admin/tables`, { body: { ...TABLE, name: 'T3' }, token: adminToken2 });
    expect(res.status).toBe(403);
    expect(token).not.toBe(adminToken2);
  });

  it('creates a table with defaults and lists it publicly', async () => {
    const res = await request<Record<string, unknown>>('POST', `${base}/api/admin/tables`, { body: { ...TABLE, ante: '0.10' }, token: adminToken });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      tableId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Main NLHE',
      variant: 'NT',
      maxSeats: 6,
      unit: '0.01',
      smallBlind: '0.50',
      bigBlind: '1.00',
      ante: '0.10',
      minBuyIn: '20.00',
      maxBuyIn: '100.00',
      rakePercent: '0',
      rakeCap: '0.00',
      actionTimeoutMs: 15000,
      timeBankMs: 30000,
      status: 'open',
    });
    const list = await request<{ tables: Array<Record<string, unknown>> }>('GET', `${base}/api/tables`);
    expect(list.status).toBe(200);
    expect(list.body.tables).toContainEqual(expect.objectContaining({ tableId: res.body.tableId, name: 'Main NLHE', bigBlind: '1.00' }));
  });

  it('accepts a whole-chip table with rake and a custom timer', async () => {
    const body = { name: 'PLO 5/10', variant: 'PO', maxSeats: 9, unit: '5', smallBlind: '5', bigBlind: '10', minBuyIn: '400', maxBuyIn: '1000', rakePercent: '5', rakeCap: '15', actionTimeoutMs: 30000 };
    const res = await request<Record<string, unknown>>('POST', `${base}/api/admin/tables`, { body, token: adminToken });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ unit: '5', smallBlind: '5', bigBlind: '10', rakePercent: '5', rakeCap: '15', actionTimeoutMs: 30000 });
  });

  it.each([
    ['small blind above big blind', { smallBlind: '2', bigBlind: '1' }, 'invalid_amount'],
    ['min buy-in above max buy-in', { minBuyIn: '200', maxBuyIn: '100' }, 'invalid_amount'],
    ['min buy-in below the big blind', { minBuyIn: '0.50' }, 'invalid_amount'],
    ['an amount finer than the unit', { smallBlind: '0.505' }, 'invalid_amount'],
    ['an amount not a multiple of a whole unit', { unit: '1', smallBlind: '0.50' }, 'invalid_amount'],
    ['a unit finer than a cent', { unit: '0.001' }, 'invalid_amount'],
    ['a zero big blind', { smallBlind: '0', bigBlind: '0' }, 'invalid_amount'],
    ['a negative ante', { ante: '-1' }, 'invalid_amount'],
    ['a rake above 10%', { rakePercent: '10.5' }, 'invalid_amount'],
    ['an exponent amount', { maxBuyIn: '1e3' }, 'invalid_amount'],
    ['a numeric amount', { bigBlind: 1 }, 'invalid_payload'],
    ['one seat', { maxSeats: 1 }, 'invalid_payload'],
    ['eleven seats', { maxSeats: 11 }, 'invalid_payload'],
    ['a fractional seat count', { maxSeats: 6.5 }, 'invalid_payload'],
    ['an unknown variant', { variant: 'STUD' }, 'invalid_payload'],
    ['a timer under a second', { actionTimeoutMs: 999 }, 'invalid_payload'],
    ['a timer over two minutes', { actionTimeoutMs: 120001 }, 'invalid_payload'],
    ['an empty name', { name: '   ' }, 'invalid_payload'],
    ['an extra key', { status: 'closed' }, 'invalid_payload'],
  ])('refuses a table with %s (%p) → %s', async (_label, change, code) => {
    const before = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM poker_table`)) as Array<{ n: number }>;
    const res = await request<ErrorAnswer>('POST', `${base}/api/admin/tables`, { body: { ...TABLE, ...change }, token: adminToken });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    const after = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM poker_table`)) as Array<{ n: number }>;
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});

describe('admin bootstrap', () => {
  it('never promotes an existing player who holds the admin username, and rotates an admin password', async () => {
    const felt = await startTestServer();
    try {
      await registerPlayer(felt.url, 'squatter', 'squatter-pass');
      expect(await felt.auth.ensureAdmin('squatter', 'admin-password-1')).toEqual({ outcome: 'refused' });
      const rows = (await felt.dataSource.query(`SELECT role FROM player WHERE username = 'squatter'`)) as Array<{ role: string }>;
      expect(rows[0]?.role).toBe('player');
      const created = await felt.auth.ensureAdmin('boss', 'first-password');
      expect(created.outcome).toBe('created');
      expect(await felt.auth.ensureAdmin('boss', 'first-password')).toEqual({ playerId: created.playerId, outcome: 'unchanged' });
      expect(await felt.auth.ensureAdmin('BOSS', 'second-password')).toEqual({ playerId: created.playerId, outcome: 'updated' });
      const res = await request('POST', `${felt.url}/api/auth/login`, { body: { username: 'boss', password: 'first-password' } });
      expect(res.status).toBe(401);
      await login(felt.url, 'boss', 'second-password');
    } finally {
      await felt.close();
    }
  });
});
