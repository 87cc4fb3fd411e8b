import fc from 'fast-check';
import { Latency } from './stats';

describe('Latency summary', () => {
  it('never reports a percentile above the largest sample, and max is that sample exactly', () => {
    // Values just above a bucket boundary are where HdrHistogram rounds up (it printed p99 > max).
    const l = new Latency();
    for (const ms of [1.001, 2.049, 3.0001, 43.021, 1234.567]) l.record(ms);
    const s = l.summary();
    expect(s.max).toBe(1234.567);
    expect(s.p99).toBeLessThanOrEqual(s.max);
    expect(l.at(100)).toBeLessThanOrEqual(s.max);
  });

  it('keeps p50 <= p95 <= p99 <= max for any samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 200 }), (samples) => {
        const l = new Latency();
        for (const ms of samples) l.record(ms);
        const s = l.summary();
        const observedMax = Math.max(...samples.map((ms) => Math.max(1, Math.round(ms * 1000)))) / 1000;
        expect(s.max).toBe(observedMax);
        expect(s.p50).toBeLessThanOrEqual(s.p95);
        expect(s.p95).toBeLessThanOrEqual(s.p99);
        expect(s.p99).toBeLessThanOrEqual(s.max);
      }),
    );
  });
});
