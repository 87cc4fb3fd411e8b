/**
 * A split pot end to end. Cards cannot be chosen through the protocol, so the test searches the pure
 * engine for a committed seed whose heads-up check-down ties, then pins the server's seed source to it
 * for the first hand. Everything after that (deal, actions, settlement, result) is the real server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { reconcile } from '../../server/src/ledger/reconcile';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';
import { findSplitSeed } from '../helpers/seeds';
import { commitDeck } from '../../shared/engine/deck-commitment';

describe('split pot over the real server', () => {
  let felt: Felt;
  const splitSeed = findSplitSeed('split');
  let dealt = 0;
  beforeAll(async () => {
    felt = await startTestServer(
      { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' },
      { randomSeed: () => (dealt++ === 0 ? splitSeed : randomBytes(32)) },
    );
  });
  afterAll(async () => {
    await felt.close();
  });

  it('splits the pot between tied players to the unit and settles it', async () => {
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 2, unit: '0.01', smallBlind: '0.05', bigBlind: '0.10', minBuyIn: '10.00', maxBuyIn: '10.00',
    });
    const clients: TestClient[] = [];
    for (let i = 0; i < 2; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '10.00');
      const c = await open(felt.url, p.token, p.playerId);
      expect(await c.call('table:sit', { tableId, seat: i, buyIn: '10.00', requestId: randomUUID() })).toMatchObject({ ok: true });
      clients.push(c);
    }
    await playHands(clients, 1, passive);
    const r = clients[0]!.results[0]!;
    // The pinned seed was used (its committed root), and it never went out on the wire.
    expect(r.commitment).toBe(commitDeck(splitSeed).root);
    expect(JSON.stringify(clients.map((c) => c.frames))).not.toContain(Buffer.from(splitSeed).toString('hex'));
    expect(r.pots).toHaveLength(1);
    expect(r.pots[0]!.winners.map((w) => w.amount)).toEqual(['0.10', '0.10']);
    expect(r.showdown).toHaveLength(2);
    expect(r.stacks.map((s) => s.stack)).toEqual(['10.00', '10.00']);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of clients) c.close();
  });
});
