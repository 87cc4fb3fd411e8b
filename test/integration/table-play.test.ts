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

  it('refuses an action meant for a turn that is over, even when the same player is to act again', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 6, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', actionTimeoutMs: 60_000,
    });
    const clients = await seatPlayers(felt, admin, tableId, 2, '100');
    const turnOf = async () => {
      await clients[0]!.until(() => clients.some((c) => c.myTurn()), 10_000, 'a turn');
      const c = clients.find((x) => x.myTurn())!;
      return { c, v: c.latest! };
    };
    // Heads-up, the button calls preflop and the big blind checks; the big blind is then first to act on
    // the flop: an action still naming its preflop turn is refused there and changes nothing.
    const first = await turnOf();
    const firstTurn = first.v.turn!.number;
    expect(await first.c.call('table:act', { tableId, handId: first.v.handId, requestId: randomUUID(), action: 'call', turn: firstTurn })).toMatchObject({ ok: true });
    const second = await turnOf();
    const preflopTurn = second.v.turn!.number;
    expect(await second.c.call('table:act', { tableId, handId: second.v.handId, requestId: randomUUID(), action: 'check', turn: preflopTurn })).toMatchObject({ ok: true });
    const again = await turnOf();
    expect({ toAct: again.c.playerId, street: again.v.street }).toEqual({ toAct: second.c.playerId, street: 'flop' });
    const seqBefore = again.v.seq;
    const late = await again.c.call('table:act', { tableId, handId: again.v.handId, requestId: randomUUID(), action: 'check', turn: preflopTurn });
    expect(late).toMatchObject({ ok: false, error: { code: 'not_your_turn', message: expect.stringContaining('that turn is over') } });
    expect(again.c.latest!.seq).toBe(seqBefore);
    // The same action naming the current turn is taken.
    expect(await again.c.call('table:act', { tableId, handId: again.v.handId, requestId: randomUUID(), action: 'check', turn: again.v.turn!.number })).toMatchObject({ ok: true });
    for (const c of clients) c.close();
  });

  it('settles a three-way all-in with side pots and capped rake exactly, then cashes everyone out', async () => {
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 9, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '10.00', maxBuyIn: '100.00',
      rakePercent: '5', rakeCap: '3.00',
    });
    const buyIns = ['10.00', '25.50', '60.25'];
    const clients: TestClient[] = [];
    for (const b of buyIns) clients.push(...(await seatPlayers(felt, admin, tableId, 1, b)));
    // The first hand starts as soon as two players sit; play passively until all three are dealt in, then shove.
    const threeWay = (c: TestClient) => (c.latest?.seats.filter((s) => s.status !== 'waiting' && s.status !== 'sitting_out').length ?? 0) === 3;
    const before = new Map<string, number>(clients.map((c, i) => [c.playerId, Math.round(Number(buyIns[i]) * 100)]));
    for (let hand = 0; hand < 5; hand++) {
      await playHands(clients, 1, (legal, c) => (threeWay(c) ? shove(legal, c) : passive(legal, c)));
      const result = clients[0]!.results.at(-1)!;
      const startTotal = result.stacks.reduce((s, x) => s + before.get(x.playerId)!, 0);
      const endTotal = result.stacks.reduce((s, x) => s + Math.round(Number(x.stack) * 100), 0);
      const rakeCents = Math.round(Number(result.rake) * 100);
      expect(endTotal + rakeCents).toBe(startTotal);
      const sorted = result.stacks.map((x) => before.get(x.playerId)!).sort((a, b) => a - b);
      for (const x of result.stacks) before.set(x.playerId, Math.round(Number(x.stack) * 100));
      if (result.stacks.length === 3) {
        // Everyone is all-in: the smallest stack is matched three ways, the middle one twice, and the
        // biggest stack's excess is returned uncalled (never raked). Pots with the same possible
        // winners are combined, as in PokerKit, so the pot count depends on the cards.
        const inPlay = sorted[0]! + 2 * sorted[1]!;
        const potCents = result.pots.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0);
        expect(potCents + rakeCents).toBe(inPlay);
        expect(rakeCents).toBe(Math.min(300, Math.round((inPlay * 5) / 100)));
        const winnings = result.pots.flatMap((p) => p.winners).reduce((s, w) => s + Math.round(Number(w.amount) * 100), 0);
        expect(winnings).toBe(potCents);
        break;
      }
    }
    expect(clients[0]!.results.some((r) => r.stacks.length === 3)).toBe(true);
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
