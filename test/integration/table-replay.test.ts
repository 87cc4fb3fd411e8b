/**
 * Replayed request ids against the real server and database. The table's memory of request ids is
 * bounded and lost at a restart, while the ledger's idempotency keys are permanent: a replayed
 * buy-in or top-up must never put chips on the table that the ledger does not hold, and a leave
 * with an old id must really cash out. Each variant is played after the table forgot the id (the
 * player's own flood of cheap requests) and across a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { chips } from '../../shared/money';
import { MAX_REMEMBERED_REQUESTS_PER_PLAYER } from '../../server/src/table/table-handle';
import { restartTestServer, startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, get, open, register, type TestClient } from '../helpers/clients';

const ENV = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0', PLAYER_EVENTS_PER_SECOND: '5000' };
const TABLE = { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' };

describe('replayed request ids', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer(ENV);
    admin = await adminToken(felt.url, 'admin', 'admin-password-1');
  });
  afterAll(async () => {
    await felt?.close();
  });

  async function player(): Promise<{ client: TestClient; token: string; playerId: string }> {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, '500');
    return { client: await open(felt.url, p.token, p.playerId), token: p.token, playerId: p.playerId };
  }

  async function walletOf(token: string): Promise<string> {
    // Compared as decimals: the wallet is shown in its own scale ("500.00").
    return chips((await get(`${felt.url}/api/me`, token)).body.balance as string).toString();
  }

  async function seatBalance(tableId: string, playerId: string): Promise<string> {
    const rows = (await felt.dataSource.query(`SELECT balance::text AS balance FROM account WHERE kind = 'seat' AND table_id = $1 AND player_id = $2`, [
      tableId,
      playerId,
    ])) as Array<{ balance: string }>;
    return rows[0]?.balance ?? 'none';
  }

  /** Makes the table forget this player's earlier request ids, the way an attacker can: many cheap stale requests. */
  async function flushMemory(client: TestClient, tableId: string): Promise<void> {
    const handId = randomUUID();
    for (let i = 0; i <= MAX_REMEMBERED_REQUESTS_PER_PLAYER; i++) {
      const ack = await client.call('table:act', { tableId, handId, action: 'fold', requestId: `flush-${i}` });
      expect(ack.ok).toBe(false);
    }
  }

  /**
   * Moves `amount` from house_cash to account `accountId` with plain SQL, as an operator's manual
   * correction would: one transfer, two entries summing to zero (the deferred zero-sum trigger checks
   * them at COMMIT) and both balances updated, so the books stay balanced.
   */
  async function bookFromHouseCash(accountId: string, amount: string): Promise<void> {
    await felt.dataSource.transaction(async (em) => {
      const [transfer] = (await em.query(
        `INSERT INTO transfer (kind, idempotency_key, params_hash, reason) VALUES ('adjustment', $1, repeat('0', 64), 'test drift') RETURNING id::text AS id`,
        [randomUUID()],
      )) as Array<{ id: string }>;
      const moved = (await em.query(
        `UPDATE account SET balance = balance + CASE WHEN kind = 'house_cash' THEN -1 ELSE 1 END * $2::numeric
         WHERE id = $1 OR kind = 'house_cash' RETURNING id::text AS id, balance::text AS balance`,
        [accountId, amount],
      )) as [Array<{ id: string; balance: string }>, number];
      for (const row of moved[0]) {
        const signed = row.id === accountId ? amount : `-${amount}`;
        await em.query(`INSERT INTO ledger_entry (transfer_id, account_id, amount, balance_after) VALUES ($1, $2, $3, $4)`, [transfer!.id, row.id, signed, row.balance]);
      }
    });
  }

  async function expectBooksBalanced(): Promise<void> {
    const report = await reconcile(felt.dataSource);
    expect({ ok: report.ok, report }).toMatchObject({ ok: true });
  }

  it('a buy-in replayed after the table forgot it is refused and seats nothing', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const a = await player();
    const sit = { tableId, buyIn: '100', requestId: 'sit-R' };
    expect(await a.client.call('table:sit', sit)).toMatchObject({ ok: true, stack: '100' });
    expect(await a.client.call('table:leave', { tableId, requestId: 'leave-1' })).toMatchObject({ ok: true, cashedOut: '100' });
    expect(await walletOf(a.token)).toBe('500');
    await flushMemory(a.client, tableId);
    const replay = await a.client.call('table:sit', sit);
    expect(replay).toMatchObject({ ok: false, error: { code: 'request_replayed' } });
    const view = await a.client.call('table:watch', { tableId });
    expect(view.ok && view.state.seats.some((s: { playerId: string }) => s.playerId === a.playerId)).toBe(false);
    expect(await walletOf(a.token)).toBe('500');
    expect(await seatBalance(tableId, a.playerId)).toBe('0');
    // A fresh request id still works: the refusal is about the id, not the player.
    expect(await a.client.call('table:sit', { ...sit, requestId: 'sit-R2' })).toMatchObject({ ok: true, stack: '100' });
    expect(await seatBalance(tableId, a.playerId)).toBe('100');
    await expectBooksBalanced();
    a.client.close();
  });

  it('a top-up replayed in a later seat session is refused and changes no stack', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const a = await player();
    expect((await a.client.call('table:sit', { tableId, buyIn: '100', requestId: 'sit-1' })).ok).toBe(true);
    const topUp = { tableId, amount: '20', requestId: 'top-T' };
    expect(await a.client.call('table:topup', topUp)).toMatchObject({ ok: true, stack: '120', pending: false });
    expect(await a.client.call('table:leave', { tableId, requestId: 'leave-1' })).toMatchObject({ ok: true, cashedOut: '120' });
    expect((await a.client.call('table:sit', { tableId, buyIn: '50', requestId: 'sit-2' })).ok).toBe(true);
    await flushMemory(a.client, tableId);
    expect(await a.client.call('table:topup', topUp)).toMatchObject({ ok: false, error: { code: 'request_replayed' } });
    expect(await seatBalance(tableId, a.playerId)).toBe('50');
    const view = await a.client.call('table:watch', { tableId });
    expect(view.ok && view.state.seats.find((s: { playerId: string }) => s.playerId === a.playerId)?.stack).toBe('50');
    expect(await a.client.call('table:leave', { tableId, requestId: 'leave-2' })).toMatchObject({ ok: true, cashedOut: '50' });
    expect(await walletOf(a.token)).toBe('500');
    await expectBooksBalanced();
    a.client.close();
  });

  it('a leave with an old request id cashes out the current seat for real', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const a = await player();
    expect((await a.client.call('table:sit', { tableId, buyIn: '100', requestId: 'sit-1' })).ok).toBe(true);
    const leave = { tableId, requestId: 'leave-L' };
    expect(await a.client.call('table:leave', leave)).toMatchObject({ ok: true, cashedOut: '100' });
    expect((await a.client.call('table:sit', { tableId, buyIn: '80', requestId: 'sit-2' })).ok).toBe(true);
    expect(await walletOf(a.token)).toBe('420');
    await flushMemory(a.client, tableId);
    expect(await a.client.call('table:leave', leave)).toMatchObject({ ok: true, cashedOut: '80' });
    expect(await seatBalance(tableId, a.playerId)).toBe('0');
    expect(await walletOf(a.token)).toBe('500');
    await expectBooksBalanced();
    a.client.close();
  });

  it('a buy-in and a top-up replayed after a restart are refused; nothing is seated or moved', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const a = await player();
    const sit = { tableId, buyIn: '100', requestId: 'restart-sit' };
    const topUp = { tableId, amount: '30', requestId: 'restart-top' };
    expect((await a.client.call('table:sit', sit)).ok).toBe(true);
    expect(await a.client.call('table:topup', topUp)).toMatchObject({ ok: true, stack: '130' });
    a.client.close();
    // The restart cashes the seat out (seats lived in the old process's memory).
    felt = await restartTestServer(felt, ENV);
    admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    expect(await walletOf(a.token)).toBe('500');
    const again = await open(felt.url, a.token, a.playerId);
    expect(await again.call('table:sit', sit)).toMatchObject({ ok: false, error: { code: 'request_replayed' } });
    expect(await seatBalance(tableId, a.playerId)).toBe('0');
    expect((await again.call('table:sit', { ...sit, requestId: 'restart-sit-2' })).ok).toBe(true);
    expect(await again.call('table:topup', topUp)).toMatchObject({ ok: false, error: { code: 'request_replayed' } });
    expect(await seatBalance(tableId, a.playerId)).toBe('100');
    expect(await walletOf(a.token)).toBe('400');
    await expectBooksBalanced();
    again.close();
  });

  it('a seat account that disagrees with the table halts the table before the next deal', async () => {
    const tableId = await createTable(felt.url, admin, TABLE);
    const a = await player();
    const b = await player();
    expect((await a.client.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    // A correction booked against the seat account behind the table's back (a balanced ledger transfer).
    const [seat] = (await felt.dataSource.query(`SELECT id::text AS id FROM account WHERE kind = 'seat' AND table_id = $1 AND player_id = $2`, [
      tableId,
      a.playerId,
    ])) as Array<{ id: string }>;
    await bookFromHouseCash(seat!.id, '7');
    expect((await b.client.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
    const table = felt.tables.get(tableId)!;
    const deadline = Date.now() + 5000;
    while (!table.halted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(table.halted?.message).toMatch(/ledger holds 107, table has 100/);
    const hands = (await felt.dataSource.query(`SELECT count(*)::int AS n FROM hand WHERE table_id = $1`, [tableId])) as Array<{ n: number }>;
    expect(hands[0]!.n).toBe(0);
    await expectBooksBalanced();
    a.client.close();
    b.client.close();
  });
});
