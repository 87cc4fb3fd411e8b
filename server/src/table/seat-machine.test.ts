/**
 * The seat state machine, table-driven: every allowed transition with the state it leads to, and the
 * impossible combinations it refuses (the flags it replaced could express them all).
 */
import { chips } from '../../../shared/money';
import { isBusy, isConnected, isSeated, seatTransition, showsSittingOut, type Presence, type SeatEvent, type SeatState } from './seat-machine';
import type { TableSeat } from './table-types';

const NONE = { kind: 'none' } as const;
const IN_FLIGHT = { kind: 'inFlight' } as const;
const DEFERRED = { kind: 'deferred', amount: chips(10), requestId: 'r1' } as const;

function seat(state: SeatState, presence: Presence = { kind: 'connected' }, change: Partial<TableSeat> = {}): TableSeat {
  return { seat: 0, playerId: 'p', username: 'p', stack: chips(100), sessionId: 's', state, presence, timeouts: 0, timeBankMs: 0, ...change };
}

const reserving = seat({ kind: 'reserving' });
const active = seat({ kind: 'active', topUp: NONE });
const activeDeferred = seat({ kind: 'active', topUp: DEFERRED });
const activeTopping = seat({ kind: 'active', topUp: IN_FLIGHT });
const sittingOut = seat({ kind: 'sittingOut', since: 5, topUp: NONE });
const leaving = seat({ kind: 'leaving', wasSittingOut: false });
const cashingOut = seat({ kind: 'cashingOut', wasSittingOut: true });
const away = seat({ kind: 'active', topUp: NONE }, { kind: 'disconnected', since: 1_000 });

const allowed: Array<[string, TableSeat, SeatEvent, Partial<TableSeat> | null]> = [
  ['buy-in commits', reserving, { type: 'buyInDone', stack: chips(80), sessionId: 't1', timeBankMs: 30 }, { state: { kind: 'active', topUp: NONE }, stack: chips(80), sessionId: 't1', timeBankMs: 30 }],
  ['sit out', active, { type: 'sitOut', now: 9 }, { state: { kind: 'sittingOut', since: 9, topUp: NONE } }],
  ['sit out again restarts the timer', sittingOut, { type: 'sitOut', now: 9 }, { state: { kind: 'sittingOut', since: 9, topUp: NONE } }],
  ['sit in', sittingOut, { type: 'sitIn' }, { state: { kind: 'active', topUp: NONE } }],
  ['a leaver sits out (shown as sitting out)', leaving, { type: 'sitOut', now: 9 }, { state: { kind: 'leaving', wasSittingOut: true } }],
  ['first timeout counts', active, { type: 'timedOut', now: 9, maxTimeouts: 2 }, { timeouts: 1 }],
  ['second timeout sits out', seat(active.state, undefined, { timeouts: 1 }), { type: 'timedOut', now: 9, maxTimeouts: 2 }, { timeouts: 2, state: { kind: 'sittingOut', since: 9, topUp: NONE } }],
  ['acting clears timeouts', seat(active.state, undefined, { timeouts: 1 }), { type: 'acted' }, { timeouts: 0 }],
  ['busted sits out', active, { type: 'busted', now: 9 }, { state: { kind: 'sittingOut', since: 9, topUp: NONE } }],
  ['disconnect', active, { type: 'disconnect', now: 7 }, { presence: { kind: 'disconnected', since: 7 } }],
  ['reconnect', away, { type: 'reconnect' }, { presence: { kind: 'connected' } }],
  ['clock: still within the grace period', away, { type: 'clock', now: 1_999, disconnectSitOutMs: 1_000 }, {}],
  ['clock: away too long sits out', away, { type: 'clock', now: 2_000, disconnectSitOutMs: 1_000 }, { state: { kind: 'sittingOut', since: 2_000, topUp: NONE } }],
  ['clock: a connected seat stays', active, { type: 'clock', now: 99_999, disconnectSitOutMs: 1 }, {}],
  ['leave after the hand drops a deferred top-up', activeDeferred, { type: 'leaveAfterHand' }, { state: { kind: 'leaving', wasSittingOut: false } }],
  ['cash-out from active', active, { type: 'cashOutStarted' }, { state: { kind: 'cashingOut', wasSittingOut: false } }],
  ['cash-out from sitting out', sittingOut, { type: 'cashOutStarted' }, { state: { kind: 'cashingOut', wasSittingOut: true } }],
  ['cash-out of a leaver', leaving, { type: 'cashOutStarted' }, { state: { kind: 'cashingOut', wasSittingOut: false } }],
  ['cash-out commits: seat empty', cashingOut, { type: 'cashOutDone' }, null],
  ['cash-out fails: sits out', cashingOut, { type: 'cashOutFailed', now: 9 }, { state: { kind: 'sittingOut', since: 9, topUp: NONE } }],
  ['top-up deferred', active, { type: 'topUpDeferred', amount: chips(10), requestId: 'r1' }, { state: { kind: 'active', topUp: DEFERRED } }],
  ['deferred top-up starts', activeDeferred, { type: 'topUpStarted' }, { state: { kind: 'active', topUp: IN_FLIGHT } }],
  ['top-up commits', activeTopping, { type: 'topUpDone', stack: chips(110) }, { state: { kind: 'active', topUp: NONE }, stack: chips(110) }],
  ['top-up refused', activeTopping, { type: 'topUpDone' }, { state: { kind: 'active', topUp: NONE } }],
];

const refused: Array<[string, TableSeat, SeatEvent]> = [
  ['buy-in twice', active, { type: 'buyInDone', stack: chips(1), sessionId: 'x', timeBankMs: 0 }],
  ['sit out while buying in', reserving, { type: 'sitOut', now: 1 }],
  ['sit in while cashing out', cashingOut, { type: 'sitIn' }],
  ['cash-out while a top-up is in flight', activeTopping, { type: 'cashOutStarted' }],
  ['cash-out while buying in', reserving, { type: 'cashOutStarted' }],
  ['cash-out done without a cash-out', active, { type: 'cashOutDone' }],
  ['cash-out failed without a cash-out', leaving, { type: 'cashOutFailed', now: 1 }],
  ['leave with a top-up in flight', activeTopping, { type: 'leaveAfterHand' }],
  ['leave twice', leaving, { type: 'leaveAfterHand' }],
  ['two deferred top-ups', activeDeferred, { type: 'topUpDeferred', amount: chips(5), requestId: 'r2' }],
  ['two top-ups in flight', activeTopping, { type: 'topUpStarted' }],
  ['top-up of a leaver', leaving, { type: 'topUpDeferred', amount: chips(5), requestId: 'r2' }],
  ['top-up done with none in flight', active, { type: 'topUpDone', stack: chips(1) }],
  ['disconnect twice', away, { type: 'disconnect', now: 2 }],
  ['reconnect while connected', active, { type: 'reconnect' }],
  ['act while buying in', reserving, { type: 'acted' }],
];

describe('seatTransition', () => {
  it.each(allowed)('%s', (_name, from, event, expected) => {
    const outcome = seatTransition(from, event);
    if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
    expect(outcome.seat).toEqual(expected === null ? null : { ...from, ...expected });
  });

  it.each(refused)('refuses: %s', (_name, from, event) => {
    expect(seatTransition(from, event)).toEqual({ ok: false, reason: expect.stringContaining(event.type) });
  });

  it('derives what the rest of the table asks of a seat from its state', () => {
    expect([reserving, active, activeTopping, sittingOut, leaving, cashingOut].map(isBusy)).toEqual([true, false, true, false, false, true]);
    expect([reserving, active, sittingOut, leaving, cashingOut].map(isSeated)).toEqual([false, true, true, true, false]);
    expect([active, sittingOut, leaving, cashingOut].map(showsSittingOut)).toEqual([false, true, false, true]);
    expect([active, away].map(isConnected)).toEqual([true, false]);
  });
});
