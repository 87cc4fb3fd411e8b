import { randomBytes } from 'node:crypto';
import { seedFromHex, shuffle } from '../../../shared/engine/shuffle';
import { c, f, nlConfig, x } from '../../../test/helpers/engine-kit';
import { storedHand } from '../../../test/helpers/history-kit';
import { HandRecordError, type StoredHand, replayStored } from './hand-record';
import { verifyStoredHand } from './hand-verify';
import { pokerStarsFromStored } from './pokerstars-export';
import { phhText } from './phh-export';

/**
 * A hand as the engine stored it before December 2026: the button folds, the small blind (2 chips)
 * calls all-in, and the big blind, who has matched with nobody left to bet against, is asked to check.
 * The stored config is what tables wrote then, without any rule flag.
 */
function oldHand(): StoredHand {
  const seedHex = randomBytes(32).toString('hex');
  const stored = storedHand({
    config: nlConfig({ legacyAsksMatchedPlayer: true }), seats: [
      { seat: 0, playerId: 'p0', username: 'ann', stack: '100' }, { seat: 1, playerId: 'p1', username: 'bob', stack: '2' },
      { seat: 2, playerId: 'p2', username: 'cat', stack: '100' }],
    button: 0, deck: shuffle(seedFromHex(seedHex)), actions: [f(0), c(1), x(2)], seedHex,
  });
  const config = stored.config as { engine: Record<string, unknown> };
  const { legacyAsksMatchedPlayer: _flag, ...engine } = config.engine;
  return { ...stored, config: { ...config, engine } };
}

describe('hands stored under the old round-closing rule', () => {
  it('verify and export, with the stored check of the big blind', () => {
    const hand = oldHand();
    expect(hand.events.filter((e) => e.type === 'action').map((e) => e.payload.action)).toEqual(['fold', 'call', 'check']);
    expect(verifyStoredHand(hand).differences).toEqual([]);
    expect(pokerStarsFromStored(hand)).toContain('cat: checks');
    expect(phhText(hand)).toContain("'p2 cc'");
  });

  it('still refuse a stored check that no rule allows', () => {
    const hand = oldHand();
    const wrongSeat = {
      ...hand, events: hand.events.map((e) => (e.type === 'action' && e.payload.action === 'check' ? { ...e, payload: { ...e.payload, seat: 0 } } : e)),
    };
    expect(() => replayStored(wrongSeat)).toThrow(HandRecordError);
  });
});
