import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { start } from './hand';
import { type PhhHand, PhhParseError, parsePhh, parsePhhs, phhFromHand, replayPhh, serialisePhhs, writePhh } from './phh';
import { arbTable, HAND_1, playRandom } from '../../test/helpers/engine-kit';

const CORPUS = join(__dirname, '../../test/fixtures/phh/random-300.phhs');


const withActions = (hand: PhhHand, edit: (actions: string[]) => string[]): PhhHand => ({ ...hand, actions: edit([...hand.actions]) });

describe('parsePhh / writePhh', () => {
  it('reads every field, keeping amounts as written', () => {
    const hand = parsePhh(HAND_1);
    expect(hand).toMatchObject({
      variant: 'NT', anteTrimmingStatus: true, antes: ['0.10', '0.10'], blindsOrStraddles: ['0.50', '1.00'],
      minBet: '1.00', startingStacks: ['10.67', '2.92'], finishingStacks: ['7.75', '5.84'], extra: [],
    });
    expect(hand.actions[5]).toBe('p1 cbr 9.57');
  });

  it('round-trips a hand byte for byte', () => {
    expect(writePhh(parsePhh(HAND_1))).toBe(HAND_1);
  });

  it('round-trips the whole corpus byte for byte', () => {
    const text = readFileSync(CORPUS, 'utf8');
    const sections = parsePhhs(text);
    expect(sections).toHaveLength(300);
    const hands = sections.map((s) => {
      if (!s.hand) throw new Error(s.error);
      return s.hand;
    });
    expect(serialisePhhs(hands).trimEnd()).toBe(text.trimEnd());
  });

  it('accepts comments, double quotes, multi-line arrays and unknown keys', () => {
    const text = `# a comment\nvariant = "NT"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [\n  100,\n  100, # trailing\n]\nactions = ['d dh p1 AsKs', "d dh p2 QhQd", 'p2 f']\nevent = 'Test # not a comment'\n`;
    const hand = parsePhh(text);
    expect(hand.startingStacks).toEqual(['100', '100']);
    expect(hand.extra).toEqual([['event', "'Test # not a comment'"]]);
    expect(parsePhh(writePhh(hand))).toEqual(hand);
  });

  it.each([
    ['a missing key', "variant = 'NT'\n", /missing required key antes/],
    ['a bad line', "variant 'NT'\n", /line 1/],
    ['a float-looking word', "variant = 'NT'\nantes = [1e3]\n", /unsupported value/],
    ['a duplicate key', "variant = 'NT'\nvariant = 'NT'\n", /duplicate/],
    ['an unterminated array', "variant = 'NT'\nantes = [1, 2\n", /unterminated/],
  ])('rejects %s', (_n, text, message) => {
    expect(() => parsePhh(text)).toThrow(PhhParseError);
    expect(() => parsePhh(text)).toThrow(message);
  });

  it('reports a malformed section without losing the others', () => {
    const sections = parsePhhs(`[1]\n${HAND_1}\n[2]\nvariant = \n\n[3]\n${HAND_1}`);
    expect(sections.map((s) => [s.section, s.hand !== undefined])).toEqual([['1', true], ['2', false], ['3', true]]);
  });
});

describe('replayPhh', () => {
  const hand = parsePhh(HAND_1);

  it('replays the sample hand to its finishing stacks', () => {
    expect(replayPhh(hand)).toEqual({ ok: true, finishingStacks: ['7.75', '5.84'], expected: ['7.75', '5.84'] });
  });

  it.each([
    ['an illegal raise', (a: string[]) => a.map((x) => (x === 'p1 cbr 9.57' ? 'p1 cbr 0.50' : x)), /action 5 'p1 cbr 0.50': invalid_amount/],
    ['an action out of turn', (a: string[]) => a.map((x, i) => (i === 2 ? 'p1 cc' : x)), /action 2 'p1 cc': not_your_turn/],
    ['a malformed action', (a: string[]) => a.map((x, i) => (i === 3 ? 'p1 xyz' : x)), /action 3 'p1 xyz': malformed action/],
    ['missing actions', (a: string[]) => a.slice(0, 6), /not finished after the last action \(p2 to act\)/],
    ['a street dealt too early', (a: string[]) => a.filter((_, i) => i !== 6), /action 8 'd db Qd': board dealt while the betting round is still open/],
    ['a show of cards not dealt', (a: string[]) => a.map((x) => (x === 'p1 sm 8d8h' ? 'p1 sm 8c8s' : x)), /shows cards it was not dealt/],
    ['a card dealt twice', (a: string[]) => a.map((x) => (x === 'd db Qd' ? 'd db 8d' : x)), /dealt twice/],
  ])('fails %s with the action index and reason', (_n, edit, message) => {
    const out = replayPhh(withActions(hand, edit));
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(message);
  });

  it('fails a wrong finishing stack', () => {
    const out = replayPhh({ ...hand, finishingStacks: ['7.74', '5.85'] });
    expect(out).toMatchObject({ ok: false, finishingStacks: ['7.75', '5.84'], expected: ['7.74', '5.85'] });
  });

  it('refuses unsupported variants and non-uniform antes', () => {
    expect(replayPhh({ ...hand, variant: 'FO/2' }).error).toMatch(/unsupported variant/);
    expect(replayPhh({ ...hand, antes: ['0.10', '0.20'] }).error).toMatch(/uniform antes/);
  });

  it('replays integer hands with unit 1', () => {
    const out = replayPhh(parsePhh(`variant = 'NT'\nantes = [0, 0]\nblinds_or_straddles = [25, 50]\nmin_bet = 50\nstarting_stacks = [571, 844]\nactions = ['d dh p1 Ks6c', 'd dh p2 Kh6d', 'p2 cc', 'p1 cbr 144', 'p2 cc', 'd db Qh2d9d', 'p1 cbr 427', 'p2 cc', 'd db Ac', 'd db 3d']\nfinishing_stacks = [571, 844]\n`));
    expect(out).toEqual({ ok: true, finishingStacks: ['571', '844'], expected: ['571', '844'] });
  });
});

describe('raked hands', () => {
  // HAND_1 raked 5% (cap 3) of its 5.84 pot (p1's uncalled 6.65 went back): 0.29, taken from the winner p2.
  const raked = (fields: string): PhhHand => parsePhh(HAND_1.replace('finishing_stacks = [7.75, 5.84]', `finishing_stacks = [7.75, 5.55]\n${fields}`));

  it('replays to the raked finishing stacks', () => {
    expect(replayPhh(raked('_rake = 0.29\n_rake_percent = 5\n_rake_cap = 3.00'))).toEqual({ ok: true, finishingStacks: ['7.75', '5.55'], expected: ['7.75', '5.55'] });
  });

  it.each([
    ['a rake the rule does not take', '_rake = 0.28\n_rake_percent = 5\n_rake_cap = 3.00', /rule takes a rake of 0.29, the history says 0.28/],
    ['a rake without its rule', '_rake = 0.29', /_rake needs _rake_percent and _rake_cap/],
    ['a cap that changes the stacks', '_rake = 0.29\n_rake_percent = 5\n_rake_cap = 0.20', /finishing stacks differ/],
  ])('fails %s', (_n, fields, message) => {
    expect(replayPhh(raked(fields)).error).toMatch(message);
  });
});

describe('phhFromHand', () => {
  it('exports engine hands that replay to the same finishing stacks', () => {
    fc.assert(
      fc.property(arbTable, fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (table, choices) => {
        // Raked hands carry _rake, _rake_percent and _rake_cap, so they replay to the same (raked) stacks.
        const done = playRandom(start(table.config, table.seats, table.button, table.deck), choices);
        const phh = phhFromHand(done);
        const replayed = replayPhh(parsePhh(writePhh(phh)));
        expect(replayed.error).toBeUndefined();
        expect(replayed.ok).toBe(true);
        expect(replayed.finishingStacks).toEqual(phh.finishingStacks);
        expect(phh.extra.some(([k]) => k === '_rake')).toBe(done.handResult!.rake.gt(0));
      }),
      { numRuns: 150 },
    );
  });
});
