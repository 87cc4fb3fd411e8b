/**
 * Outbound: a step's effects are delivered together, in order, once per step; an unflushed batch goes
 * out on the next microtask; the admin redaction hides hole cards of hands in play only.
 */
import pino from 'pino';
import { Outbound, MAX_EFFECTS_PER_BATCH } from './outbound';
import { redactLiveEvents } from './outbound-messages';
import type { OutboundEffect } from './table-effects';
import { RecordingBroadcaster } from '../../../test/helpers/table-fakes';

const logger = pino({ level: 'silent' });
const notice = (seq: number): OutboundEffect => ({ kind: 'handNotice', tableId: 't', handId: 'h', seated: [], seq, notice: { type: 'timeout', seat: 0 } });

describe('Outbound', () => {
  it('delivers everything added during a step as one batch, in order, when flushed', () => {
    const broadcaster = new RecordingBroadcaster();
    const outbound = new Outbound({ broadcaster, logger });
    const answers: unknown[] = [];
    outbound.add([notice(1)]);
    outbound.add([{ kind: 'reply', reply: (a) => void answers.push(a), answer: { ok: true } }, notice(2)]);
    expect(broadcaster.calls).toHaveLength(0);
    outbound.flush();
    expect(broadcaster.named('event').map(([m]) => (m as { seq: number }).seq)).toEqual([1, 2]);
    expect(answers).toEqual([{ ok: true }]);
    outbound.flush();
    expect(broadcaster.calls).toHaveLength(2);
  });

  it('flushes a batch nobody flushed on the next microtask', async () => {
    const broadcaster = new RecordingBroadcaster();
    new Outbound({ broadcaster, logger }).add([notice(1)]);
    await Promise.resolve();
    expect(broadcaster.calls).toHaveLength(1);
  });

  it('holds every batch while delivery is not allowed (lease in doubt), then sends them in order', () => {
    const broadcaster = new RecordingBroadcaster();
    let allowed = false;
    const outbound = new Outbound({ broadcaster, logger, canDeliver: () => allowed });
    outbound.add([notice(1)]);
    outbound.flush();
    outbound.add([notice(2)]);
    outbound.flush();
    expect(broadcaster.calls).toHaveLength(0);
    allowed = true;
    outbound.flush();
    expect(broadcaster.named('event').map(([m]) => (m as { seq: number }).seq)).toEqual([1, 2]);
  });

  it('refuses a step with more effects than the limit', () => {
    const outbound = new Outbound({ broadcaster: new RecordingBroadcaster(), logger });
    expect(() => outbound.add(Array.from({ length: MAX_EFFECTS_PER_BATCH + 1 }, (_, i) => notice(i)))).toThrow(/effects in one table step/);
  });
});

describe('redactLiveEvents', () => {
  const events = [
    { seq: 1, type: 'deal_hole', payload: { seat: 0, cards: 'AsKs' } },
    { seq: 2, type: 'action', payload: { seat: 0, action: 'fold' } },
  ];
  it('blanks hole cards while the hand is in play', () => {
    expect(redactLiveEvents('in_progress', events).map((e) => e.payload)).toEqual([{ seat: 0, cards: '' }, { seat: 0, action: 'fold' }]);
  });
  it('leaves finished hands as they are', () => {
    expect(redactLiveEvents('settled', events)).toBe(events);
  });
});
