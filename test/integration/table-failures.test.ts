/**
 * Failure paths against the real database: a settlement that PostgreSQL refuses voids the hand and the
 * table plays on; a balance changed behind the server's back is caught at settlement and halts the
 * table instead of letting it continue on wrong numbers.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

describe('table failure handling', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' });
    admin = await adminToken(felt.url, 'admin', 'admin-password-1');
  });
  afterAll(async () => {
    await felt.close();
  });

  async function seatTwo(tableId: string): Promise<TestClient[]> {
    const clients: TestClient[] = [];
    for (let i = 0; i < 2; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '500');
      const c = await open(felt.url, p.token, p.playerId);
      expect((await c.call('table:sit', { tableId, buyIn: '100', requestId: randomUUID() })).ok).toBe(true);
      clients.push(c);
    }
    return clients;
  }

  async function handStatuses(tableId: string): Promise<string[]> {
    const rows = (await felt.dataSource.query(`SELECT status FROM hand WHERE table_id = $1 ORDER BY hand_number`, [tableId])) as Array<{ status: string }>;
    return rows.map((r) => r.status);
  }

  it('a refused settlement voids the hand, announces no result, moves no chips, and the next hand settles', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' });
    // Make PostgreSQL refuse the first settlement of this table's hands (a non-retryable error).
    await felt.dataSource.query(`
      CREATE FUNCTION felt_test_refuse_settle() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'settled' AND NEW.table_id = '${tableId}' AND NEW.hand_number = 1 THEN
          RAISE EXCEPTION 'injected settlement failure';
        END IF;
        RETURN NEW;
      END $$`);
    await felt.dataSource.query(`CREATE TRIGGER felt_test_refuse_settle BEFORE UPDATE ON hand FOR EACH ROW EXECUTE FUNCTION felt_test_refuse_settle()`);
    try {
      const clients = await seatTwo(tableId);
      await playHands(clients, 1, passive);
      const statuses = await handStatuses(tableId);
      expect(statuses[0]).toBe('voided');
      expect(statuses[1]).toBe('settled');
      expect(clients[0]!.results.map((r) => r.handNumber)).not.toContain(1);
      expect(clients[0]!.frames.some((f) => f.event === 'hand:event' && f.payload.type === 'voided')).toBe(true);
      const voidRow = (await felt.dataSource.query(`SELECT void_reason FROM hand WHERE table_id = $1 AND hand_number = 1`, [tableId])) as Array<{ void_reason: string }>;
      expect(voidRow[0]!.void_reason).toMatch(/settlement failed/);
      // The void moved nothing, so the second hand started from the buy-ins and its result conserves them.
      const second = clients[0]!.results[0]!;
      expect(second.handNumber).toBe(2);
      expect(second.stacks.reduce((s, x) => s + Number(x.stack), 0)).toBe(200);
      for (const c of clients) c.close();
    } finally {
      await felt.dataSource.query(`DROP TRIGGER felt_test_refuse_settle ON hand`);
      await felt.dataSource.query(`DROP FUNCTION felt_test_refuse_settle()`);
    }
  });

  it('hand starts that the database refuses back off, show the table paused, and resume when it answers', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' });
    // Every hand start of this table fails (a non-retryable error), counted by a sequence, which no rollback undoes.
    await felt.dataSource.query(`CREATE SEQUENCE felt_test_start_attempts`);
    await felt.dataSource.query(`
      CREATE FUNCTION felt_test_refuse_start() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.table_id = '${tableId}' THEN
          PERFORM nextval('felt_test_start_attempts');
          RAISE EXCEPTION 'injected outage';
        END IF;
        RETURN NEW;
      END $$`);
    await felt.dataSource.query(`CREATE TRIGGER felt_test_refuse_start BEFORE INSERT ON hand FOR EACH ROW EXECUTE FUNCTION felt_test_refuse_start()`);
    let clients: TestClient[] = [];
    try {
      clients = await seatTwo(tableId);
      await clients[0]!.until(() => clients[0]!.latest?.phase === 'paused', 5000, 'the table to show paused');
      await new Promise((r) => setTimeout(r, 2500));
      const [row] = (await felt.dataSource.query(`SELECT last_value::int AS attempts FROM felt_test_start_attempts`)) as Array<{ attempts: number }>;
      const attempts = row!.attempts;
      // With HAND_PAUSE_MS=0 and no backoff this was a hot loop (about 1,450 tries a second); with
      // 0.5 s doubling it is 3 tries (0, 0.5, 1.5 s), and 4 if the 3.5 s one lands in the window.
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(attempts).toBeLessThanOrEqual(4);
    } finally {
      await felt.dataSource.query(`DROP TRIGGER felt_test_refuse_start ON hand`);
      await felt.dataSource.query(`DROP FUNCTION felt_test_refuse_start()`);
      await felt.dataSource.query(`DROP SEQUENCE felt_test_start_attempts`);
    }
    await playHands(clients, 1, passive, 20_000);
    expect(await handStatuses(tableId)).toContain('settled');
    for (const c of clients) c.close();
  });

  it('a seat balance changed behind the server\'s back halts the table at settlement', async () => {
    const tableId = await createTable(felt.url, admin, { variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200' });
    const clients = await seatTwo(tableId);
    await clients[0]!.until(() => !!clients[0]!.latest?.turn, 5000, 'a hand');
    // Bypass the ledger: the stored total no longer matches the table's stack or the ledger entries.
    await felt.dataSource.query(`UPDATE account SET balance = balance + 1 WHERE kind = 'seat' AND table_id = $1 AND player_id = $2`, [tableId, clients[0]!.playerId]);
    await expect(playHands(clients, 1, passive, 5000)).rejects.toThrow();
    const table = felt.tables.get(tableId)!;
    expect(table.halted?.message).toMatch(/settlement drift/);
    const ack = await clients[0]!.call('table:sitout', { tableId });
    expect(ack).toMatchObject({ ok: false, error: { code: 'internal' } });
    for (const c of clients) c.close();
    // Put the books back for the other tests in this database.
    await felt.dataSource.query(`UPDATE account SET balance = balance - 1 WHERE kind = 'seat' AND table_id = $1 AND player_id = $2`, [tableId, clients[0]!.playerId]);
  });
});
