import { memoryRequestMemo } from './request-memo';
import { expectClaimOnce, expectEpochTakeover } from '../../../test/helpers/memo-contract';

const ACK = { ok: true as const, applied: true };

describe('memoryRequestMemo', () => {
  it('claims a request id once, then answers repeats, refuses other parameters and says pending before the answer', async () => {
    const memo = memoryRequestMemo();
    await expectClaimOnce(memo, memo);
  });

  it('keeps players and tables apart and forgets the oldest ids beyond the bound', async () => {
    const memo = memoryRequestMemo(2);
    const key = (requestId: string, playerId = 'p') => ({ tableId: 't', playerId, requestId });
    for (const id of ['a', 'b', 'c']) await memo.claim(key(id), 'fp', '1');
    expect(await memo.claim(key('a', 'q'), 'fp', '1')).toEqual({ kind: 'new' });
    expect(await memo.claim(key('c'), 'fp', '1')).toEqual({ kind: 'pending' });
    expect(await memo.claim(key('a'), 'fp', '1')).toEqual({ kind: 'new' });
  });

  it('does not store an answer under a different fingerprint', async () => {
    const memo = memoryRequestMemo();
    const key = { tableId: 't', playerId: 'p', requestId: 'r' };
    await memo.claim(key, 'fp', '1');
    await memo.settle(key, 'other', '1', ACK);
    expect(await memo.claim(key, 'fp', '1')).toEqual({ kind: 'pending' });
  });

  it('lets a later epoch take over a claim an earlier owner never answered, and refuses the stale answer', async () => {
    const memo = memoryRequestMemo();
    await expectEpochTakeover(() => memo, () => memo);
  });
});
