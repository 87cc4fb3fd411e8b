/**
 * Privacy: records every frame sent to every socket (players and a watcher) over many hands and proves
 * that no socket ever received another player's unrevealed hole cards, that mucked and folded cards
 * were never revealed (not even after the hand: the deck seed never leaves the server), and that each
 * player can still check their own cards and the board against the deck commitment published before
 * the deal. It runs for both wire protocols: with protocol 2 every item of every `table:frame` is audited
 * (the test client unpacks frames into their items, in order).
 */
import { randomUUID } from 'node:crypto';
import type { Felt } from '../../server/src/boot';
import { startTestServer } from '../helpers/server';
import { adminToken, createTable, credit, open, register, type Frame, type TestClient } from '../helpers/clients';
import { playHands, type Policy } from '../helpers/play';
import { commitDeck, verifyOpening, type DeckOpening } from '../../shared/engine/deck-commitment';
import { seedFromHex } from '../../shared/engine/shuffle';
import type { HandResultMessage } from '../../shared/protocol';

const CARD_KEYS = new Set(['cards', 'board', 'shownCards', 'holeCards']);

/** Every card string found under a card-bearing key anywhere in `value` (and every opening's `card`). */
function cardsIn(value: unknown, out: string[] = [], key = ''): string[] {
  if (key === 'card' && typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) {
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

describe.each([1, 2] as const)('privacy of hole cards, seeds and the deck (protocol %i)', (protocol) => {
  let felt: Felt;
  const players: TestClient[] = [];
  let watcher: TestClient;
  beforeAll(async () => {
    felt = await startTestServer({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1', HAND_PAUSE_MS: '0' });
    const admin = await adminToken(felt.url, 'admin', 'admin-password-1');
    const tableId = await createTable(felt.url, admin, {
      variant: 'NT', maxSeats: 4, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '100', maxBuyIn: '400',
    });
    for (let i = 0; i < 4; i++) {
      const p = await register(felt.url);
      await credit(felt.url, admin, p.playerId, '100000');
      const c = await open(felt.url, p.token, p.playerId, protocol);
      expect((await c.call('table:sit', { tableId, buyIn: '400', requestId: randomUUID() })).ok).toBe(true);
      players.push(c);
    }
    const watcherAccount = await register(felt.url, 'w');
    watcher = await open(felt.url, watcherAccount.token, watcherAccount.playerId, protocol);
    expect((await watcher.call('table:watch', { tableId })).ok).toBe(true);
    await playHands(players, 25, mixed, 60_000);
    // Each player's private openings follow the result; wait for those of every finished hand they were dealt into.
    const finished = new Set(players[0]!.results.map((r) => r.handId));
    for (const p of players) {
      const dealt = p.frames.filter((f) => f.event === 'hand:cards' && finished.has(f.payload.handId)).map((f) => f.payload.handId as string);
      await p.until(() => dealt.every((h) => p.frames.some((f) => f.event === 'hand:openings' && f.payload.handId === h)), 10_000, 'openings');
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of [...players, watcher]) c?.close();
    await felt.close();
  });

  it('no socket receives cards it may not see, over many hands', () => {
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
        // Not even after the hand: a revealed seed would rebuild every folded and mucked hand.
        expect(JSON.stringify(frame.payload)).not.toMatch(/"(seed|deck)"/);
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
    // The audit saw what the wire carried: per-event messages on protocol 1, only frames on protocol 2.
    for (const socket of [...players, watcher]) {
      const kinds = new Set(socket.packets.map((p) => p.event));
      expect(kinds.has('table:frame')).toBe(protocol === 2);
      if (protocol === 2) expect([...kinds]).toEqual(['table:frame']);
    }
  });


  it('a player verifies their own cards and the board against the root published before the deal; nobody else learns folded cards', () => {
    const hands = players[0]!.results;
    let foldedHidden = 0;
    // Most strings reach every socket (the public openings), so each candidate seed is tried once.
    const roots = new Map<string, string>();
    const rootOf = (candidate: string): string => {
      if (!roots.has(candidate)) roots.set(candidate, commitDeck(seedFromHex(candidate)).root);
      return roots.get(candidate)!;
    };
    for (const result of hands) {
      const h = result.handId;
      const forHand = (c: TestClient, event: string) => c.frames.filter((f) => f.event === event && f.payload.handId === h);
      // The root the table showed before the first action of the hand (players[0], seated first, saw every deal).
      const seen = players[0]!.frames;
      const firstView = seen.findIndex((f) => f.event === 'table:state' && f.payload.handId === h && f.payload.commitment);
      const firstAction = seen.findIndex((f) => f.event === 'hand:event' && f.payload.handId === h && f.payload.type === 'action');
      expect(firstView).toBeGreaterThanOrEqual(0);
      if (firstAction >= 0) expect(firstView).toBeLessThan(firstAction);
      const root = seen[firstView]!.payload.commitment as string;
      expect(result.commitment).toBe(root);
      // The board (and shown cards) are opened to everyone, and check out against the root.
      const shownCards = result.showdown.flatMap((x) => x.cards);
      expect(result.openings.map((o) => o.card)).toEqual([...result.board, ...shownCards]);
      expect(result.openings.every((o) => verifyOpening(root, o))).toBe(true);
      // The board sits where the documented deal order puts it: after two hole cards per player dealt in.
      const dealtIn = players.filter((p) => forHand(p, 'hand:cards').length > 0).length;
      expect(result.openings.slice(0, result.board.length).map((o) => o.position)).toEqual(result.board.map((_, i) => 2 * dealtIn + i));
      // Each player's own cards, privately, in the deal's order and at distinct positions.
      const hidden: Array<{ ownerId: string; position: number; card: string; salt: string }> = [];
      for (const p of players) {
        const dealt = forHand(p, 'hand:cards')[0];
        if (!dealt) continue;
        expect(dealt.payload.commitment).toBe(root);
        const own = forHand(p, 'hand:openings');
        expect(own).toHaveLength(1);
        const openings = own[0]!.payload.openings as DeckOpening[];
        expect(own[0]!.payload.commitment).toBe(root);
        expect(openings.map((o) => o.card)).toEqual(dealt.payload.cards);
        expect(openings.every((o) => verifyOpening(root, o))).toBe(true);
        expect(new Set([...openings, ...result.openings].map((o) => o.position)).size).toBe(openings.length + result.openings.length - countShown(result, p.playerId));
        if (!result.showdown.some((x) => x.playerId === p.playerId)) hidden.push(...openings.map((o) => ({ ownerId: p.playerId, ...o })));
      }
      // Nothing any other socket received about this hand reproduces a hidden card: no string it got
      // is the seed (a spectator used to rebuild every hand that way) or the salt of a hidden position.
      for (const socket of [...players, watcher]) {
        const received = hexStrings(socket.frames.filter((f) => f.payload?.handId === h).map((f) => f.payload));
        const others = hidden.filter((x) => x.ownerId !== socket.playerId);
        if (others.length === 0) continue;
        foldedHidden += others.length;
        for (const x of others) expect(received.has(x.salt)).toBe(false);
        // A string is this hand's seed exactly when the deck it shuffles has the published root.
        for (const candidate of received) expect(rootOf(candidate)).not.toBe(root);
      }
    }
    // Over 25 mixed hands some players folded and someone else was there to try.
    expect(foldedHidden).toBeGreaterThan(20);
  });
});

/** How many of `playerId`'s cards were shown at the showdown of `result` (opened twice, once to all). */
function countShown(result: HandResultMessage, playerId: string): number {
  return result.showdown.find((x) => x.playerId === playerId)?.cards.length ?? 0;
}

/** Every 64-hex-character string anywhere in `value`. */
function hexStrings(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) out.add(value);
  else if (Array.isArray(value)) for (const v of value) hexStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) hexStrings(v, out);
  return out;
}
