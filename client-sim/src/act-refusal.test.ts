/** The refusal rule, row by row: which refused actions are explained and which are errors. */
import type { TableView } from '../../shared/protocol';
import { overdueAt, refusalExplained, type RefusalCircumstances } from './act-refusal';

const none: RefusalCircumstances = { late: false, leaving: false, dropped: false, chaosExcuse: false, inFailover: false, overdue: false };

describe('refusalExplained', () => {
  const rows: Array<[string, string, Partial<RefusalCircumstances>, boolean]> = [
    ['an illegal action on a current view is a bug', 'illegal_action', {}, false],
    ['not your turn with nothing to explain it is a bug', 'not_your_turn', {}, false],
    ['a timer acted before a deliberately late action', 'not_your_turn', { late: true }, true],
    ['a leaving player was folded', 'stale_hand', { leaving: true }, true],
    ['a dropped connection lost the turn', 'not_seated', { dropped: true }, true],
    ['chaos excuses overtaken refusals only', 'illegal_action', { chaosExcuse: true }, false],
    ['a failover explains a lost lease', 'lease_lost', { inFailover: true }, true],
    ['a failover does not explain an illegal action', 'illegal_action', { inFailover: true }, false],
    ['an answer after the turn deadline does not explain an illegal action (the action names its turn)', 'illegal_action', { overdue: true }, false],
    ['an answer after the turn deadline explains not your turn', 'not_your_turn', { overdue: true }, true],
    ['an answer after the deadline does not explain a bad amount format', 'invalid_payload', { overdue: true }, false],
  ];
  it.each(rows)('%s', (_what, code, circumstances, explained) => {
    expect(refusalExplained(code, { ...none, ...circumstances })).toBe(explained);
  });
});

describe('overdueAt', () => {
  const view = (deadline: number | null) => ({ seq: 1, turn: deadline === null ? null : { seat: 0, deadline, number: 1, timeBank: false } }) as unknown as TableView;
  it.each([
    ['before the deadline', 1_000, 999, false],
    ['at the deadline', 1_000, 1_000, false],
    ['after the deadline', 1_000, 1_001, true],
    ['no turn', null, 5_000, false],
    ['no deadline known', 0, 5_000, false],
  ] as Array<[string, number | null, number, boolean]>)('%s', (_what, deadline, sentAt, overdue) => {
    expect(overdueAt(view(deadline), sentAt)).toBe(overdue);
  });
});
