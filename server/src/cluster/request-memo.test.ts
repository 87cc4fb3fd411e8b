import { memoryRequestMemo } from './request-memo';

const ACK = { ok: true as const, applied: true };

describe('memoryRequestMemo', () => {
  it('claims a request id once, then answers repeats, refuses other parameters and says pending before the answer', async () => {
    const memo = memoryRequestMemo();
    const key = { tableId: 't', playerId: 'p', requestId: 'r' };
    expect(await memo.claim(key, 'fp')).toEqual({ kind: 'new' });
    expect(await memo.claim(key, 'fp')).toEqual({ kind: 'pending' });
    await memo.settle(key, 'fp', ACK);
    expect(await memo.claim(key, 'fp')).toEqual({ kind: 'answered', ack: ACK });
    expect(await memo.claim(key, 'other')).toEqual({ kind: 'conflict' });
  });

  it('keeps players and tables apart and forgets the oldest ids beyond the bound', async () => {
    const memo = memoryRequestMemo(2);
    const key = (requestId: string, playerId = 'p') => ({ tableId: 't', playerId, requestId });
    for (const id of ['a', 'b', 'c']) await memo.claim(key(id), 'fp');
    expect(await memo.claim(key('a', 'q'), 'fp')).toEqual({ kind: 'new' });
    expect(await memo.claim(key('c'), 'fp')).toEqual({ kind: 'pending' });
    expect(await memo.claim(key('a'), 'fp')).toEqual({ kind: 'new' });
  });

  it('does not store an answer under a different fingerprint', async () => {
    const memo = memoryRequestMemo();
    const key = { tableId: 't', playerId: 'p', requestId: 'r' };
    await memo.claim(key, 'fp');
    await memo.settle(key, 'other', ACK);
    expect(await memo.claim(key, 'fp')).toEqual({ kind: 'pending' });
  });
});
