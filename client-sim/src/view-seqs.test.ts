import { SEEN_SEQS_KEPT, ViewSeqs, type ViewPath } from './view-seqs';

describe('ViewSeqs', () => {
  it.each<[string, Array<[number, ViewPath]>, Array<ViewPath | null>, number]>([
    ['new seqs are no repeat, in any order', [[5, 'frame'], [3, 'ack'], [7, 'frame']], [null, null, null], 7],
    ['a seq again is a repeat, naming its first path', [[5, 'frame'], [5, 'ack']], [null, 'frame'], 5],
  ])('%s', (_what, steps, repeats, newest) => {
    const seqs = new ViewSeqs();
    expect(steps.map(([seq, path]) => seqs.record(seq, path))).toEqual(repeats);
    expect(seqs.newest).toBe(newest);
  });

  it('forgets everything on a new connection and keeps at most SEEN_SEQS_KEPT seqs', () => {
    const seqs = new ViewSeqs();
    seqs.record(1, 'frame');
    seqs.reset();
    expect(seqs.newest).toBe(-1);
    expect(seqs.record(1, 'event')).toBeNull();
    for (let seq = 2; seq <= SEEN_SEQS_KEPT + 1; seq++) seqs.record(seq, 'frame');
    // Seq 1 was the oldest: forgotten, so it no longer counts as a repeat.
    expect(seqs.record(1, 'frame')).toBeNull();
    expect(seqs.record(SEEN_SEQS_KEPT + 1, 'frame')).toBe('frame');
  });
});
