import { randomBytes } from 'node:crypto';
import { chips } from '../../../shared/money';
import { seedFromHex, shuffle } from '../../../shared/engine/shuffle';
import { c, f, nlConfig, x } from '../../../test/helpers/engine-kit';
import type { PlayerAction } from '../../../shared/engine/types';
import { storedHand, type KitSeat } from '../../../test/helpers/history-kit';
import type { StoredHand } from './hand-record';
import { verifyStoredHand } from './hand-verify';
import { type CommitmentScheme, DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME, commitDeck } from '../../../shared/engine/deck-commitment';

const seats: KitSeat[] = [
  { seat: 0, playerId: '00000000-0000-4000-8000-00000000000a', username: 'alice', stack: '100' },
  { seat: 1, playerId: '00000000-0000-4000-8000-00000000000b', username: 'bruno', stack: '100' },
];
const checkDown: PlayerAction[] = [c(0), x(1), x(1), x(0), x(1), x(0), x(1), x(0)];

function played(actions = checkDown, rake = false, scheme: CommitmentScheme = DECK_MERKLE_SCHEME): StoredHand {
  const seedHex = randomBytes(32).toString('hex');
  return storedHand({
    config: nlConfig(rake ? { rakePercent: chips(25), rakeCap: chips(1) } : {}), seats, button: 0,
    deck: shuffle(seedFromHex(seedHex)), actions, seedHex, scheme,
  });
}

const fields = (hand: StoredHand) => verifyStoredHand(hand).differences.map((d) => d.field);

describe('verifyStoredHand', () => {
  it('accepts a hand dealt from its committed seed and paid as the engine says', () => {
    for (const hand of [played(), played(checkDown, true), played([f(0)])]) {
      const verdict = verifyStoredHand(hand);
      expect(verdict.differences).toEqual([]);
      expect(verdict.ok).toBe(true);
    }
  });

  it('reports a ledger entry that pays the wrong amount', () => {
    const hand = played();
    const entry = hand.transfers[0]!.entries[0]!;
    entry.amount = chips(entry.amount).plus(1).toString();
    expect(fields(hand)).toContain('ledger.net.alice');
  });

  it('reports a missing rake entry and a wrong stored summary', () => {
    const hand = played(checkDown, true);
    hand.transfers[0]!.entries = hand.transfers[0]!.entries.filter((e) => e.accountKind !== 'house_rake');
    (hand.result as { rake: string }).rake = '0';
    expect(fields(hand)).toEqual(expect.arrayContaining(['ledger.rake', 'result.rake']));
  });

  it('reports an entry that pays another table\'s account', () => {
    const hand = played();
    hand.transfers[0]!.entries[1]!.accountTableId = '00000000-0000-4000-8000-0000000000bb';
    expect(fields(hand)).toContain('ledger.entry 11');
  });

  it('reports a seed that does not match the commitment, and cards it would not have dealt', () => {
    const hand = played();
    hand.seed = randomBytes(32).toString('hex');
    const found = fields(hand);
    expect(found).toContain('commitment');
    expect(found.some((f) => f.includes('deal_hole'))).toBe(true);
  });

  it('checks the stored seed against the Merkle root, and hands dealt before it against sha256(seed)', () => {
    const merkle = verifyStoredHand(played());
    expect(merkle).toMatchObject({ ok: true, differences: [] });
    expect(merkle.checked).toContain('the Merkle root of the seed\'s deck equals the commitment');
    const legacy = verifyStoredHand(played(checkDown, false, SEED_SHA256_SCHEME));
    expect(legacy).toMatchObject({ ok: true, differences: [] });
    expect(legacy.checked).toContain('sha256(seed) equals the commitment');
  });

  it('reports a commitment made under another scheme than the stored one, or an unknown scheme', () => {
    const legacyRoot = played(checkDown, false, SEED_SHA256_SCHEME);
    // The sha256 commitment presented as a Merkle root (and the other way round) is refused.
    expect(fields({ ...legacyRoot, commitmentScheme: DECK_MERKLE_SCHEME })).toEqual(['commitment']);
    const merkle = played();
    expect(fields({ ...merkle, commitmentScheme: SEED_SHA256_SCHEME })).toEqual(['commitment']);
    expect(fields({ ...merkle, commitmentScheme: 'none' })).toEqual(['commitmentScheme']);
    // The root of another seed's deck.
    const other = commitDeck(randomBytes(32)).root;
    expect(fields({ ...merkle, commitment: other, events: merkle.events.map((e) => (e.seq === 0 ? { ...e, payload: { ...e.payload, commitment: other } } : e)) }))
      .toEqual(['commitment']);
  });

  it('reports stored events the engine does not reproduce', () => {
    const hand = played();
    const street = hand.events.find((e) => e.type === 'street')!;
    street.payload = { ...street.payload, cards: '2c2d2h' };
    expect(verifyStoredHand(hand).ok).toBe(false);
    const dropped = played();
    dropped.events = dropped.events.filter((e) => !(e.type === 'action' && e.seq === dropped.events.find((x) => x.type === 'action')!.seq));
    expect(fields(dropped)).toContain('replay');
  });

  it('accepts a voided hand that moved nothing and rejects one that moved chips', () => {
    const base = played();
    const voided: StoredHand = {
      ...base, status: 'voided', voidReason: 'test', result: null,
      events: base.events.filter((e) => e.seq <= 8),
      transfers: [{ transferId: '9', kind: 'void_refund', idempotencyKey: 'void:x', reason: 'test', createdAt: '', entries: [] }],
    };
    expect(verifyStoredHand(voided).differences).toEqual([]);
    voided.transfers[0]!.entries.push({ entryId: '1', accountId: '2', accountKind: 'seat', playerId: seats[0]!.playerId, amount: '5', balanceAfter: '105' });
    expect(fields(voided)).toContain('ledger.entry 1');
  });

  it('checks that a timeout marker is followed by that seat\'s forced check or fold', () => {
    const hand = played([f(0)]);
    const fold = hand.events.find((e) => e.type === 'action')!;
    hand.events.push({ seq: fold.seq - 0.5, type: 'timeout', payload: { type: 'timeout', seat: 1 } });
    expect(fields(hand)).toContain(`timeout seq ${fold.seq - 0.5}`);
  });

  it('reports an unreadable configuration instead of throwing', () => {
    const hand = played();
    hand.config = { nonsense: true };
    expect(fields(hand)).toEqual(['config']);
  });
});
