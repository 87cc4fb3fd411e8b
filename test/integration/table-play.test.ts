import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands, shove } from '../helpers/play';

const ADMIN = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' };

async function seatPlayers(felt: Felt, admin: string, tableId: string, count: number, buyIn: string, walletAmount = '1000') {
  const clients: TestClient[] = [];
  for (let i = 0; i < count; i++) {
    const p = await register(felt.url);
    await credit(felt.url, admin, p.playerId, walletAmount);
    const c = await open(felt.url, p.token, p.playerId);
    const ack = await c.call('table:sit', { tableId, buyIn, requestId: randomUUID() });
    expect(ack).toMatchObject({ ok: true, stack: buyIn });
    clients.push(c);
  }
  return clients;
}

async function dbBalances(felt: Felt, tableId: string) {
  const rows = (await felt.dataSource.query(
    `SELECT a.player_id, a.kind, a.balance::text AS balance FROM account a WHERE a.kind = 'wallet' OR a.table_id = $1`,
    [tableId],
  )) as Array<{ player_id: string; kind: string; balance: string }>;
  return rows;
}

describe('table server: full hands over Socket.IO against PostgreSQL', () => {
  let felt: Felt;
  let admin: string;
  beforeAll(async () => {
    felt = await startTestServer(ADMIN);
    admin = await adminToken(felt.url, ADMIN.ADMIN_USERNAME, ADMIN.ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await felt.close();
  });

  it('plays heads-up hands to completion, settles each through the ledger, and reconciles', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200',
    });
    const clients = await seatPlayers(felt, admin, tableId, 2, '100');
    await playHands(clients, 5, passive);
    const last = clients[0]!.results.at(-1)!;
    const total = last.stacks.reduce((sum, s) => sum + Number(s.stack), 0);
    expect(total).toBe(200);
    const rows = await dbBalances(felt, tableId);
    for (const s of last.stacks) {
      expect(rows.find((r) => r.player_id === s.playerId && r.kind === 'seat')?.balance).toBe(s.stack);
    }
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of clients) c.close();
  });

  it('settles a three-way all-in with side pots exactly and cashes everyone out', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 9, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '10.00', maxBuyIn: '100.00',
      rakePercent: '5', rakeCap: '3.00',
    });
    const clients = [
      ...(await seatPlayers(felt, admin, tableId, 1, '10.00')),
      ...(await seatPlayers(felt, admin, tableId, 1, '25.50')),
      ...(await seatPlayers(felt, admin, tableId, 1, '60.25')),
    ];
    await playHands(clients, 1, shove);
    const result = clients[0]!.results.at(-1)!;
    const potTotal = result.pots.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0);
    expect(result.pots.length).toBeGreaterThanOrEqual(2);
    // 10.00 + 25.50 + 25.50 is in play; the big stack's uncalled 34.75 goes back and is never raked.
    expect(potTotal + Math.round(Number(result.rake) * 100)).toBe(6100);
    expect(result.rake).toBe('3.00');
    for (const c of clients) {
      const ack = await c.call('table:leave', { tableId, requestId: randomUUID() });
      expect(ack.ok).toBe(true);
    }
    await clients[0]!.until(() => (clients[0]!.latest?.seats.length ?? 1) === 0, 10_000, 'everyone to leave');
    const rows = await dbBalances(felt, tableId);
    const seatTotal = rows.filter((r) => r.kind === 'seat').reduce((s, r) => s + Number(r.balance), 0);
    expect(seatTotal).toBe(0);
    const report = await reconcile(felt.dataSource);
    expect(report.ok).toBe(true);
    for (const c of clients) c.close();
  });
});
