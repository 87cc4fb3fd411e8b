/**
 * The browser's fairness check (public/verify.js, run here under Node's Web Crypto) against the
 * server's own commitment code and a real engine deal: the openings of a player's cards and the board
 * match, and any tampering (a card, a salt, a position, the root) is reported as a mismatch.
 */
import { createHash } from 'node:crypto';
import { commitDeck, openPositions, type DeckOpening } from '../../../shared/engine/deck-commitment';
import { formatCard } from '../../../shared/engine/cards';
import { start } from '../../../shared/engine/hand';
import { chips } from '../../../shared/money';
import { HEADS_UP_CONFIG } from '../../../test/helpers/seeds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const verify = require('./public/verify.js') as {
  verifyOpening(root: string, opening: DeckOpening): Promise<boolean>;
  verifyHand(hand: object, result: object, mine?: object): Promise<{ ok: boolean; checked: number; problems: string[] }>;
};

/** A three-handed deal with the button at seat 4, as the browser would have recorded it. */
function scenario() {
  const seed = createHash('sha256').update('web-verify').digest();
  const committed = commitDeck(seed);
  const seats = [{ seat: 1, stack: chips('10') }, { seat: 4, stack: chips('10') }, { seat: 7, stack: chips('10') }];
  const state = start(HEADS_UP_CONFIG, seats, 4, committed.deck);
  const mine = state.seats.find((s) => s.seat === 1)!.hole.map(formatCard);
  const positions = (cards: string[]) => cards.map((c) => committed.deck.findIndex((d) => formatCard(d) === c));
  const board = committed.deck.slice(6, 11).map(formatCard);
  const hand = { commitment: committed.root, button: 4, dealtSeats: [7, 1, 4], holeCount: 2, mySeat: 1, holeCards: mine };
  const result = { commitment: committed.root, board, openings: openPositions(committed, positions(board)) };
  const openings = { commitment: committed.root, openings: openPositions(committed, positions(mine)) };
  return { committed, hand, result, openings };
}

describe('browser verify.js', () => {
  it('says match for the real deal: own cards at the deal-order positions and the board after them', async () => {
    const { hand, result, openings } = scenario();
    // Seat 7 is first left of the button 4, then seat 1: my cards are deck positions 2 and 3.
    expect(openings.openings.map((o) => o.position)).toEqual([2, 3]);
    const verdict = await verify.verifyHand(hand, result, openings);
    expect(verdict).toEqual({ ok: true, checked: 7, problems: [] });
  });

  it('says mismatch when a salt, a card, a position or the root was changed', async () => {
    const s = scenario();
    const salt = structuredClone(s.openings);
    salt.openings[0]!.salt = salt.openings[0]!.salt.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await verify.verifyHand(s.hand, s.result, salt)).ok).toBe(false);
    const otherCards = { ...s.hand, holeCards: [s.result.board[0], s.hand.holeCards[1]] };
    expect((await verify.verifyHand(otherCards, s.result, s.openings)).ok).toBe(false);
    // An honest opening of a different position (another player's card) is not proof of mine.
    const moved = { ...s.openings, openings: openPositions(s.committed, [0, 3]) };
    expect((await verify.verifyHand(s.hand, s.result, moved)).ok).toBe(false);
    const otherRoot = { ...s.hand, commitment: commitDeck(createHash('sha256').update('other').digest()).root };
    expect((await verify.verifyHand(otherRoot, s.result, s.openings)).ok).toBe(false);
  });

  it('checks a spectator’s board alone, with no hole cards', async () => {
    const { hand, result } = scenario();
    const verdict = await verify.verifyHand({ ...hand, mySeat: null, holeCards: [] }, result, undefined);
    expect(verdict).toEqual({ ok: true, checked: 5, problems: [] });
  });
});
