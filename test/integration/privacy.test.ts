/**
 * Privacy: records every frame sent to every socket (players and a watcher) over many hands and proves
 * that no socket ever received another player's unrevealed hole cards, that mucked cards were never
 * revealed, and that no seed or deck left the server before its hand ended.
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type Frame, type TestClient } from '../helpers/clients';
import { playHands, type Policy } from '../helpers/play';

const CARD_KEYS = new Set(['cards', 'board', 'shownCards', 'holeCards']);

/** Every card string found under a card-bearing key anywhere in `value`. */
function cardsIn(value: unknown, out: string[] = [], key = ''): string[] {
  if (Array.isArray(value)) {
    for (const v of value) {
      if (typeof v === 'string' && CARD_KEYS.has(key)) out.push(v);
      else cardsIn(v, out, key);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) cardsIn(v, out, k);
  }
  return out;
}

function handIdOf(frame: Frame): string | undefined {
  return frame.payload?.handId ?? undefined;
}

// Mixes calls, checks, small raises and folds so that hands end both by folds and at showdowns.
const mixed: Policy = (legal, client) => {
  const n = client.frames.length % 7;
  if (n === 0 && legal.actions.includes('fold') && !legal.actions.includes('check')) return { action: 'fold' };
  if (n === 1 && legal.minTo && legal.actions.includes('raise')) return { action: 'raise', amount: legal.minTo };
  if (n === 2 && legal.minTo && legal.actions.includes('bet')) return { action: 'bet', amount: legal.minTo };
  return legal.actions.includes('check') ? { action: 'check' } : { action: 'call' };
};

describe('privacy of hole cards, seeds and the deck', () => {
  let felt: Felt;
  beforeAll(async () => {
    felt = await startTestServer({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' });
  });
  afterAll(async () => {
    await felt.close();
  });

  it('no socket receives cards it may not see, over many hands', async () => {
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 4, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '100', maxBuyIn: '400',
    });
    const players: TestClient[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '100000');
      const c = await open(felt.url, p.token, p.playerId);
      expect((await c.call('table:sit', { tableId, buyIn: '400', requestId: randomUUID() })).ok).toBe(true);
      players.push(c);
    }
    const watcherAccount = await register(felt.url, 'w');
    const watcher = await open(felt.url, watcherAccount.token, watcherAccount.playerId);
    expect((await watcher.call('table:watch', { tableId })).ok).toBe(true);
    await playHands(players, 25, mixed, 60_000);

    // Whose cards were dealt in which hand, from each owner's own hand:cards frames.
    const holeByHand = new Map<string, Map<string, string[]>>();
    for (const p of players) {
      for (const f of p.frames) {
        if (f.event !== 'hand:cards') continue;
        const perHand = holeByHand.get(f.payload.handId) ?? new Map<string, string[]>();
        perHand.set(p.playerId, f.payload.cards);
        holeByHand.set(f.payload.handId, perHand);
      }
    }
    expect(holeByHand.size).toBeGreaterThanOrEqual(25);
    // Cards shown at each hand's showdown, from the committed results.
    const shown = new Map<string, Map<string, string[]>>();
    for (const r of players[0]!.results) shown.set(r.handId, new Map(r.showdown.map((s) => [s.playerId, s.cards])));

    let checkedFrames = 0;
    for (const socket of [...players, watcher]) {
      const resultSeen = new Set<string>();
      let lastResultHand: string | undefined;
      for (const frame of socket.frames) {
        checkedFrames++;
        if (frame.event === 'hand:result') {
          resultSeen.add(frame.payload.handId);
          lastResultHand = frame.payload.handId;
        }
        if (frame.event !== 'hand:result') expect(JSON.stringify(frame.payload)).not.toMatch(/"(seed|deck)"/);
        const seen = new Set(cardsIn(frame.payload));
        for (const [handId, holes] of holeByHand) {
          for (const [ownerId, cards] of holes) {
            if (ownerId === socket.playerId) continue;
            const revealed = resultSeen.has(handId) && !!shown.get(handId)?.get(ownerId);
            if (revealed) continue;
            // A frame about another hand may legitimately show the same card (a new deal), so only the
            // frames that belong to this hand, or carry no hand id, are checked against its hole cards.
            // Between hands a view only carries the cards shown in the last finished hand.
            const frameHand = handIdOf(frame) ?? lastResultHand;
            if (frameHand !== handId) continue;
            for (const card of cards) {
              if (seen.has(card) && !(frame.payload?.board ?? []).includes(card)) {
                throw new Error(`${frame.event} to ${socket.playerId} revealed ${ownerId}'s ${card} in hand ${handId}`);
              }
            }
          }
        }
      }
    }
    expect(checkedFrames).toBeGreaterThan(500);
    for (const c of [...players, watcher]) c.close();
  });
});
