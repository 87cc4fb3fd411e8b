import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePhhs, replayPhh } from './phh';

/**
 * The oracle: 300 hands generated with PokerKit (NT, PO and FT, 2..9 players, integer and cent
 * stakes). Every hand must replay through the engine to PokerKit's finishing stacks.
 */
describe('PHH corpus random-300', () => {
  it('replays 300/300 hands to the oracle finishing stacks', () => {
    const sections = parsePhhs(readFileSync(join(__dirname, '../../test/fixtures/phh/random-300.phhs'), 'utf8'));
    const failures: string[] = [];
    let passed = 0;
    for (const s of sections) {
      const out = s.hand ? replayPhh(s.hand) : { ok: false, error: s.error, finishingStacks: [], expected: [] };
      if (out.ok) passed++;
      else failures.push(`[${s.section}] ${out.error ?? ''} got ${JSON.stringify(out.finishingStacks)} expected ${JSON.stringify(out.expected)}`);
    }
    expect(failures).toEqual([]);
    expect([sections.length, passed]).toEqual([300, 300]);
  });
});
