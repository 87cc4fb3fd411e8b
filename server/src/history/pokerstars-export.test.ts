import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chips } from '../../../shared/money';
import { b, c, deckOf, f, nlConfig, r, x } from '../../../test/helpers/engine-kit';
import { storedHand } from '../../../test/helpers/history-kit';
import { HeroNotInHandError, easternTime, pokerStarsDescription, pokerStarsFromStored } from './pokerstars-export';

const FIXTURE = path.join(__dirname, '../../../test/fixtures/pokerstars/nlhe-simple.txt');

const cents = nlConfig({ unit: chips('0.01'), smallBlind: chips('0.05'), bigBlind: chips('0.10'), minBet: chips('0.10') });
const players = [
  { seat: 0, playerId: '00000000-0000-4000-8000-00000000000a', username: 'alice', stack: '10.00' },
  { seat: 1, playerId: '00000000-0000-4000-8000-00000000000b', username: 'bruno', stack: '10.00' },
  { seat: 2, playerId: '00000000-0000-4000-8000-00000000000c', username: 'chen', stack: '10.00' },
];

describe('PokerStars export', () => {
  it('writes the fixture hand byte for byte (golden file)', () => {
    // Dealing order is left of the button first: bruno, chen, then alice (the button) gets As Ks.
    const hand = storedHand({
      config: cents, seats: players, button: 0, deck: deckOf(['9h4c', '8s3d', 'AsKs'], '2c7dTh'),
      actions: [r(0, '0.30'), f(1), c(2), x(2), b(0, '0.40'), f(2)],
      // The table's own number is 17; the export uses the site-wide number (PokerStars' are global too).
      seedHex: '00', handNumber: '17', siteHandNumber: '233584538839', tableName: 'Alcor II', maxSeats: 6,
      startedAt: new Date('2021-12-06T10:48:54Z'),
    });
    const text = pokerStarsFromStored(hand, players[0]!.playerId);
    expect(text + '\n').toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('without a hero prints only the cards shown down, and side pots and showdown lines for an all-in', () => {
    const hand = storedHand({
      config: nlConfig({ rakePercent: chips(5), rakeCap: chips(3) }),
      seats: [
        { seat: 0, playerId: 'p0', username: 'ann', stack: '20' },
        { seat: 2, playerId: 'p2', username: 'bob', stack: '50' },
        { seat: 5, playerId: 'p5', username: 'cat', stack: '100' },
      ],
      button: 5, deck: deckOf(['AsAh', 'KsKh', 'QsQh'], '2c7d9h3s4d'),
      actions: [r(5, 20), c(0), r(2, 50), c(5)], seedHex: '00',
    });
    const text = pokerStarsFromStored(hand);
    expect(text).toContain("PokerStars Hand #1:  Hold'em No Limit (1/2) - ");
    expect(text).toContain('Table \'Test\' 6-max Seat #6 is the button');
    // Trackers take any "Dealt to" line with cards for the hero's; cat's mucked Queens never appear.
    expect(text).not.toContain('Dealt to');
    expect(text).not.toMatch(/Qs|Qh/);
    expect(text).toContain('ann: shows [As Ah]');
    expect(text).toContain('cat: raises 18 to 20');
    expect(text).toContain('bob: raises 30 to 50 and is all-in');
    expect(text).toContain('*** SHOW DOWN ***');
    expect(text).toContain('*** RIVER *** [2c 7d 9h 3s] [4d]');
    expect(text).toMatch(/Total pot 120 Main pot 60\. Side pot 60\. \| Rake 3/);
    expect(text).toContain('ann collected 57 from main pot');
    expect(text.indexOf('from side pot')).toBeLessThan(text.indexOf('from main pot'));
    expect(text).toMatch(/Seat 1: ann \(small blind\) showed \[As Ah\] and won \(57\) with /);
    expect(text).toContain('Seat 6: cat (button) mucked');
    expect(text).toContain('bob: shows [Ks Kh] (a pair of Kings)');
    expect(text).toContain('cat: mucks hand');
  });

  it('refuses a hero who was not dealt into the hand', () => {
    const hand = storedHand({
      config: nlConfig(), seats: players.map((p) => ({ ...p, stack: '100' })), button: 0, deck: deckOf([]), actions: [f(0), f(1)], seedHex: '00',
    });
    expect(() => pokerStarsFromStored(hand, '00000000-0000-4000-8000-0000000000ff')).toThrow(HeroNotInHandError);
    expect(pokerStarsFromStored(hand, players[1]!.playerId).match(/^Dealt to /gm)).toHaveLength(1);
  });

  it('writes heads-up positions and folds before the flop', () => {
    const hand = storedHand({
      config: nlConfig(), seats: [
        { seat: 3, playerId: 'p3', username: 'dan', stack: '100' },
        { seat: 4, playerId: 'p4', username: 'eve', stack: '100' },
      ],
      button: 3, deck: deckOf(['2c3d', '4h5s']), actions: [f(3)], seedHex: '00',
    });
    const text = pokerStarsFromStored(hand, 'p4');
    expect(text).toContain('Seat 4: dan (button) (small blind) folded before Flop');
    expect(text).toContain('Seat 5: eve (big blind) collected (2)');
    expect(text).toContain('Uncalled bet (1) returned to eve');
    expect(text).not.toContain('Dealt to dan');
  });

  it('words hand descriptions as PokerStars does', () => {
    expect(pokerStarsDescription('High Card, Ace')).toBe('high card Ace');
    expect(pokerStarsDescription('Two Pair, Aces and Twos')).toBe('two pair, Aces and Deuces');
    expect(pokerStarsDescription('Straight, Five high')).toBe('a straight, Ace to Five');
    expect(pokerStarsDescription('Straight Flush, Nine high')).toBe('a straight flush, Five to Nine');
    expect(pokerStarsDescription('Full House, Kings full of Sevens')).toBe('a full house, Kings full of Sevens');
    expect(pokerStarsDescription('Flush, Jack high')).toBe('a flush, Jack high');
  });

  it('stamps hands in US Eastern time like PokerStars', () => {
    expect(easternTime(new Date('2021-07-01T16:05:09Z'))).toBe('2021/07/01 12:05:09');
    expect(easternTime(new Date('2021-12-06T04:00:00Z'))).toBe('2021/12/05 23:00:00');
  });
});
