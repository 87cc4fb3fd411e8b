/**
 * A split pot end to end. Cards cannot be chosen through the protocol, so the test searches the pure
 * engine for a committed seed whose heads-up check-down ties, then pins the server's seed source to it
 * for the first hand. Everything after that (deal, actions, settlement, result) is the real server.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { chips } from '../../shared/money';
import { apply, isComplete, legalActions, result, start } from '../../shared/engine/hand';
import { shuffle } from '../../shared/engine/shuffle';
import type { HandConfig } from '../../shared/engine/types';
import { reconcile } from '../../server/src/ledger/reconcile';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type TestClient } from '../helpers/clients';
import { passive, playHands } from '../helpers/play';

const CONFIG: HandConfig = {
  variant: 'NT', unit: chips('0.01'), smallBlind: chips('0.05'), bigBlind: chips('0.10'), ante: chips(0),
  minBet: chips('0.10'), rakePercent: chips(0), rakeCap: chips(0),
};

/** The first seed whose heads-up check-down (button at seat 0) ends in a two-way split. */
function findSplitSeed(): Uint8Array {
  for (let i = 0; i < 10_000; i++) {
    const seed = createHash('sha256').update(`split-${i}`).digest();
    let state = start(CONFIG, [{ seat: 0, stack: chips('10.00') }, { seat: 1, stack: chips('10.00') }], 0, shuffle(seed));
    while (!isComplete(state)) {
      const legal = legalActions(state)!;
      const next = apply(state, { seat: legal.seat, type: legal.canCheck ? 'check' : 'call' });
      if (!next.ok) throw new Error(next.message);
      state = next.state;
    }
    if (result(state).pots[0]!.winners.length === 2) return seed;
  }
  throw new Error('no split seed found');
}

describe('split pot over the real server', () => {
  let felt: Felt;
  const splitSeed = findSplitSeed();
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
    expect(r.seed).toBe(Buffer.from(splitSeed).toString('hex'));
    expect(r.pots).toHaveLength(1);
    expect(r.pots[0]!.winners.map((w) => w.amount)).toEqual(['0.10', '0.10']);
    expect(r.showdown).toHaveLength(2);
    expect(r.stacks.map((s) => s.stack)).toEqual(['10.00', '10.00']);
    expect((await reconcile(felt.dataSource)).ok).toBe(true);
    for (const c of clients) c.close();
  });
});
