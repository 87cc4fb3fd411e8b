import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePhhs, replayPhh } from './phh';

/** Replays every hand of a fixture corpus; returns the number of hands, the number passed and the failures. */
function replayCorpus(name: string): { total: number; passed: number; failures: string[] } {
  const sections = parsePhhs(readFileSync(join(__dirname, '../../test/fixtures/phh', name), 'utf8'));
  const failures: string[] = [];
  let passed = 0;
  for (const s of sections) {
    const out = s.hand ? replayPhh(s.hand) : { ok: false, error: s.error, finishingStacks: [], expected: [] };
    if (out.ok) passed++;
    else failures.push(`[${s.section}] ${out.error ?? ''} got ${JSON.stringify(out.finishingStacks)} expected ${JSON.stringify(out.expected)}`);
  }
  return { total: sections.length, passed, failures };
}

/**
 * The oracle: hands generated with PokerKit. Every hand must replay through the engine to PokerKit's
 * finishing stacks. random-300 covers NT, PO and FT with 2..9 players, integer and cent stakes;
 * short-stacks-300 (scripts/gen-phh-corpus.py, seed 7) is mostly heads-up with stacks of a few big
 * blinds or less, plus 3..6 players with antes and straddles, where betting rounds close early.
 */
describe('PHH corpora', () => {
  it.each(['random-300.phhs', 'short-stacks-300.phhs'])('%s replays 300/300 hands to the oracle finishing stacks', (name) => {
    const { total, passed, failures } = replayCorpus(name);
    expect(failures).toEqual([]);
    expect([total, passed]).toEqual([300, 300]);
  });
});
