import { HandEventWriter, MAX_BUFFERED_EVENTS } from './hand-event-writer';

const row = (handId: string, seq: number) => ({ handId, seq, type: 'action', payload: { seq } });

describe('HandEventWriter', () => {
  it('buffers the current hand in push order until the transaction that stored it is committed', () => {
    const writer = new HandEventWriter();
    writer.push([row('h1', 1), row('h1', 2)]);
    writer.push([row('h1', 3)]);
    expect(writer.pending('h1').map((e) => e.seq)).toEqual([1, 2, 3]);
    // Reading is not forgetting: a failed settlement leaves the rows for the void that follows it.
    expect(writer.pending('h1')).toHaveLength(3);
    expect(writer.pending('other')).toEqual([]);
    writer.clear('h1');
    expect(writer.pending('h1')).toEqual([]);
  });

  it('drops what an earlier hand left behind when the next hand starts', () => {
    const writer = new HandEventWriter();
    writer.push([row('h1', 1)]);
    writer.push([row('h2', 1), row('h2', 2)]);
    expect(writer.pending('h1')).toEqual([]);
    expect(writer.pending('h2').map((e) => e.seq)).toEqual([1, 2]);
    writer.clear('h1');
    expect(writer.pending('h2')).toHaveLength(2);
  });

  it('refuses to grow past its bound', () => {
    const writer = new HandEventWriter();
    writer.push(Array.from({ length: MAX_BUFFERED_EVENTS }, (_, i) => row('h1', i)));
    expect(() => writer.push([row('h1', MAX_BUFFERED_EVENTS)])).toThrow(/buffered over/);
  });
});
