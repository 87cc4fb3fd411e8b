/**
 * The table machine under xstate's pure `initialTransition` / `transition`: a whole hand, from two
 * buy-ins to the settlement, is computed as snapshots and returned actions while no port is called.
 * The results of the promise actors (ledger calls) are fed back as the done events xstate would send.
 */
import { initialTransition, transition, SimulatedClock, type AnyEventObject } from 'xstate';
import { chips } from '../../../shared/money';
import { fakeConfig, fakeDeps } from '../../../test/helpers/table-fakes';
import { settlementDeltas } from './hand-flow';
import { tableMachine, type SeatOpOutput } from './table-machine';
import type { TableEffect } from './table-effects';

type Snapshot = ReturnType<typeof initialTransition<typeof tableMachine>>[0];
interface Action {
  type: string;
  params?: unknown;
}

function effectsOf(actions: readonly Action[]): TableEffect[] {
  return actions.filter((a) => a.type === 'runEffects').flatMap((a) => (a.params as { effects: TableEffect[] }).effects);
}

/** A table under pure transitions with alice and bob bought in and the first hand dealt. */
function handInPlay() {
  const clock = new SimulatedClock();
  const { deps, ledger, broadcaster } = fakeDeps(clock);
  const replies: unknown[] = [];
  const reply = (answer: unknown) => void replies.push(answer);
  const all: Action[] = [];
  const [initial, initialActions] = initialTransition(tableMachine, { config: fakeConfig(), deps, lastHandNumber: 0 });
  const t = { snap: initial as Snapshot, all, replies, reply, ledger, broadcaster };
  all.push(...initialActions);
  const step = (event: AnyEventObject): Action[] => {
    const [next, stepActions] = transition(tableMachine, t.snap, event as never);
    t.snap = next as Snapshot;
    all.push(...stepActions);
    return stepActions;
  };
  ['alice', 'bob'].forEach((playerId, seat) => {
    const joined = step({ type: 'seat.join', playerId, username: playerId, seat, buyIn: chips(100), requestId: `r-${playerId}`, reply });
    // The buy-in is a child actor to spawn, not a call made now.
    expect(joined.map((a) => a.type)).toContain('xstate.spawnChild');
    const output: SeatOpOutput = { kind: 'buy_in', playerId, reply, requested: chips(100), ok: true, amount: chips(100), transferId: `t-${seat}`, replayed: false };
    step({ type: `xstate.done.actor.op-${seat + 1}`, output });
  });
  expect(t.snap.value).toBe('starting');
  step({ type: 'xstate.done.actor.recordHandStart', output: { handId: 'hand-1' } });
  expect(t.snap.value).toBe('inHand');
  const hand = t.snap.context.hand!;
  const toAct = hand.playerBySeat[hand.engine.seats[hand.engine.toAct!]!.seat]!;
  // The same object the step updates, so `snap` stays current for the caller.
  return Object.assign(t, { step, toAct, turn: hand.turnNumber });
}

describe('table machine under pure transition()', () => {
  it('runs a whole hand with no I/O: every message, reply and history row comes back as data', () => {
    const t = handInPlay();
    const { step, reply, toAct, all, ledger, broadcaster, replies } = t;
    const acted = step({ type: 'player.act', playerId: toAct, handId: 'hand-1', action: 'fold', reply });
    expect(effectsOf(acted).map((e) => e.kind)).toEqual(['history', 'handEvents', 'reply']);
    expect(t.snap.value).toBe('settling');

    const { result, deltas } = settlementDeltas(t.snap.context.hand!);
    const seatBalances = Object.fromEntries(deltas.map((d) => [d.playerId, chips(100).plus(d.amount).toString()]));
    const settled = step({ type: 'xstate.done.actor.settle', output: { result, seatBalances, latencyMs: 1 } });
    expect(t.snap.value).toBe('pausing');
    expect(effectsOf(settled).map((e) => e.kind)).toEqual(['result', 'metric', 'log', 'state']);
    expect(t.snap.context.seats.filter(Boolean).map((s) => s!.stack.toString()).sort()).toEqual(['101', '99']);

    // Everything the hand would send was returned as data...
    const kinds = new Set(effectsOf(all).map((e) => e.kind));
    for (const kind of ['reply', 'state', 'cards', 'handEvents', 'history', 'result', 'log', 'metric']) expect(kinds).toContain(kind);
    // ...and nothing was done: no ledger call, no message, no reply, no history write.
    expect(ledger.calls).toEqual([]);
    expect(broadcaster.calls).toEqual([]);
    expect(replies).toEqual([]);
  });
});

describe('an action names the turn it answers', () => {
  // A delayed action (a paused node, a Redis restart) must not land on a later turn of the same player.
  it.each([
    ['the current turn', 0, true],
    ['an earlier turn', -1, false],
    ['a later turn', 1, false],
  ] as Array<[string, number, boolean]>)('is accepted only for %s', (_what, offset, accepted) => {
    const t = handInPlay();
    const before = t.snap.context.hand!;
    const acted = t.step({ type: 'player.act', playerId: t.toAct, handId: 'hand-1', action: 'call', turn: t.turn + offset, reply: t.reply });
    const replies = effectsOf(acted).filter((e) => e.kind === 'reply');
    if (accepted) {
      expect(replies).toMatchObject([{ answer: { ok: true } }]);
      expect(t.snap.context.hand!.turnNumber).toBe(t.turn + 1);
    } else {
      expect(replies).toMatchObject([{ answer: { ok: false, error: { code: 'not_your_turn', message: expect.stringContaining('that turn is over') } } }]);
      // Refused means unchanged: the same engine state, the same turn.
      expect(t.snap.context.hand!.engine).toBe(before.engine);
      expect(t.snap.context.hand!.turnNumber).toBe(t.turn);
    }
  });
});
