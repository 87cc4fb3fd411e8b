/**
 * The rules every request memo keeps (server/src/cluster/request-memo.ts), as steps
 * that the in-memory memo's unit test and the Redis memo's integration test both run.
 */
import type { RequestMemo } from '../../server/src/cluster/request-memo';

const FIRST = { ok: true as const, applied: true };
const LATER = { ok: true as const, applied: false };

/**
 * Claim once, answer every repeat, refuse other parameters: `first` claims and answers, `second` (another
 * node, or the same memo) sees pending, then the answer; another player's id is new.
 */
export async function expectClaimOnce(first: RequestMemo, second: RequestMemo): Promise<void> {
  const key = { tableId: 't1', playerId: 'p1', requestId: 'r1' };
  expect(await first.claim(key, 'fp', '1')).toEqual({ kind: 'new' });
  expect(await second.claim(key, 'fp', '1')).toEqual({ kind: 'pending' });
  await first.settle(key, 'fp', '1', FIRST);
  expect(await second.claim(key, 'fp', '1')).toEqual({ kind: 'answered', ack: FIRST });
  expect(await first.claim(key, 'other', '1')).toEqual({ kind: 'conflict' });
  expect(await second.claim({ ...key, playerId: 'p2' }, 'fp', '1')).toEqual({ kind: 'new' });
}

/**
 * Steps through a takeover: `oldOwner` (epoch 1) claims and is fenced before answering, `newOwner`
 * (epoch 2; another node, or the same memo) takes the claim over, and the old owner's late answer is ignored;
 * then a claim is released by its own epoch only, and only while unanswered.
 */
export async function expectEpochTakeover(oldOwner: () => RequestMemo, newOwner: () => RequestMemo, requestId = 'r'): Promise<void> {
  const key = { tableId: 't-epoch', playerId: 'p', requestId };
  const other = { ...key, requestId: `${requestId}-released` };
  const steps: Array<[string, () => Promise<unknown>, unknown]> = [
    ['epoch 1 claims', () => oldOwner().claim(key, 'fp', '1'), { kind: 'new' }],
    ['epoch 1 again: still pending', () => oldOwner().claim(key, 'fp', '1'), { kind: 'pending' }],
    ['epoch 2, other parameters: conflict', () => newOwner().claim(key, 'other', '2'), { kind: 'conflict' }],
    ['epoch 2 takes the orphaned claim over', () => newOwner().claim(key, 'fp', '2'), { kind: 'new' }],
    ['epoch 1 cannot take it back', () => oldOwner().claim(key, 'fp', '1'), { kind: 'pending' }],
    ['the fenced epoch 1 answers late: ignored', () => oldOwner().settle(key, 'fp', '1', FIRST), undefined],
    ['still pending for epoch 2', () => newOwner().claim(key, 'fp', '2'), { kind: 'pending' }],
    ['epoch 2 answers', () => newOwner().settle(key, 'fp', '2', LATER), undefined],
    ['every later claim gets the answer of epoch 2', () => oldOwner().claim(key, 'fp', '3'), { kind: 'answered', ack: LATER }],
    ['an answered claim cannot be released', () => newOwner().release(key, 'fp', '2'), undefined],
    ['still answered', () => newOwner().claim(key, 'fp', '3'), { kind: 'answered', ack: LATER }],
    // A request that changed nothing (lease_lost, rate_limited) frees its claim for the retry.
    ['epoch 3 claims another id', () => newOwner().claim(other, 'fp', '3'), { kind: 'new' }],
    ['a stale epoch cannot release it', () => oldOwner().release(other, 'fp', '2'), undefined],
    ['so it is still pending', () => newOwner().claim(other, 'fp', '3'), { kind: 'pending' }],
    ['its own epoch releases it', () => newOwner().release(other, 'fp', '3'), undefined],
    ['the retry claims it afresh', () => oldOwner().claim(other, 'fp', '3'), { kind: 'new' }],
  ];
  for (const [what, step, expected] of steps) expect({ what, got: await step() }).toEqual({ what, got: expected });
}
