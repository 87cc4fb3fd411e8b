/**
 * One seat's lifecycle as a state machine instead of flags. Two parallel regions:
 * - `state` (lifecycle): reserving (buy-in in flight) → active ↔ sittingOut{since} → leaving → cashingOut
 *   → empty; active and sittingOut carry a top-up sub-state (none, deferred until the hand ends, or a
 *   ledger call in flight). A failed cash-out returns to sittingOut.
 * - `presence`: connected, or disconnected{since}.
 * The timers follow from the states: a seat disconnected since `since` sits out once
 * `disconnectSitOutMs` passed (checked on `clock`), and a seat sittingOut since `since` stands up
 * (is cashed out) once `sitOutStandUpMs` passed (see seat-clock.ts). `seatTransition` is pure and
 * refuses every event its state does not allow; the table's ops check requests first, so a refusal
 * here is a broken invariant.
 */
import type { Chips } from '../../../shared/money';
import type { TableSeat } from './table-types';

/** A top-up of a seat that is active or sitting out. */
export type TopUpState = { kind: 'none' } | { kind: 'deferred'; amount: Chips; requestId: string } | { kind: 'inFlight' };

/** Where a seat is in its lifecycle. `wasSittingOut` keeps what viewers see while a seat leaves. */
export type SeatState =
  | { kind: 'reserving' }
  | { kind: 'active'; topUp: TopUpState }
  | { kind: 'sittingOut'; since: number; topUp: TopUpState }
  | { kind: 'leaving'; wasSittingOut: boolean }
  | { kind: 'cashingOut'; wasSittingOut: boolean };

/** Whether the player has a socket open. */
export type Presence = { kind: 'connected' } | { kind: 'disconnected'; since: number };

/** Everything that can happen to a seat. */
export type SeatEvent =
  | { type: 'buyInDone'; stack: Chips; sessionId: string; timeBankMs: number }
  | { type: 'sitOut'; now: number }
  | { type: 'sitIn' }
  | { type: 'timedOut'; now: number; maxTimeouts: number }
  | { type: 'acted' }
  | { type: 'busted'; now: number }
  | { type: 'disconnect'; now: number }
  | { type: 'reconnect' }
  | { type: 'clock'; now: number; disconnectSitOutMs: number }
  | { type: 'leaveAfterHand' }
  | { type: 'cashOutStarted' }
  | { type: 'cashOutDone' }
  | { type: 'cashOutFailed'; now: number }
  | { type: 'topUpDeferred'; amount: Chips; requestId: string }
  | { type: 'topUpStarted' }
  | { type: 'topUpDone'; stack?: Chips };

/** A seat after an event (null: the seat is empty again), or why the event is impossible. */
export type SeatOutcome = { ok: true; seat: TableSeat | null } | { ok: false; reason: string };

const refuse = (seat: TableSeat, event: SeatEvent): SeatOutcome => ({ ok: false, reason: `${event.type} in ${seat.state.kind}` });
const to = (seat: TableSeat, change: Partial<TableSeat>): SeatOutcome => ({ ok: true, seat: { ...seat, ...change } });

/** The top-up sub-state, for active and sitting-out seats. */
export function topUpOf(seat: TableSeat): TopUpState | null {
  return seat.state.kind === 'active' || seat.state.kind === 'sittingOut' ? seat.state.topUp : null;
}

/** Seated: holds chips at the table and may play (not reserving, not cashing out). */
export function isSeated(seat: TableSeat): boolean {
  return seat.state.kind === 'active' || seat.state.kind === 'sittingOut' || seat.state.kind === 'leaving';
}

/** A ledger call for this seat is in flight (buy-in, top-up or cash-out). */
export function isBusy(seat: TableSeat): boolean {
  return seat.state.kind === 'reserving' || seat.state.kind === 'cashingOut' || topUpOf(seat)?.kind === 'inFlight';
}

/** What viewers see: the seat sits out (also while it leaves after sitting out). */
export function showsSittingOut(seat: TableSeat): boolean {
  const s = seat.state;
  return s.kind === 'sittingOut' || ((s.kind === 'leaving' || s.kind === 'cashingOut') && s.wasSittingOut);
}

/** True while the player has a socket open. */
export function isConnected(seat: TableSeat): boolean {
  return seat.presence.kind === 'connected';
}

/** Applies `event` to `seat`. Pure. */
export function seatTransition(seat: TableSeat, event: SeatEvent): SeatOutcome {
  const presence = presenceTransition(seat, event);
  if (presence) return presence;
  const s = seat.state;
  const topUp = topUpOf(seat);
  switch (event.type) {
    case 'buyInDone':
      if (s.kind !== 'reserving') return refuse(seat, event);
      return to(seat, { state: { kind: 'active', topUp: { kind: 'none' } }, stack: event.stack, sessionId: event.sessionId, timeBankMs: event.timeBankMs });
    case 'sitOut':
    case 'busted':
      if (topUp) return to(seat, { state: { kind: 'sittingOut', since: event.now, topUp }, timeouts: event.type === 'sitOut' ? 0 : seat.timeouts });
      if (s.kind === 'leaving' && event.type === 'sitOut') return to(seat, { state: { kind: 'leaving', wasSittingOut: true }, timeouts: 0 });
      return refuse(seat, event);
    case 'sitIn':
      if (topUp) return to(seat, { state: { kind: 'active', topUp }, timeouts: 0 });
      if (s.kind === 'leaving') return to(seat, { state: { kind: 'leaving', wasSittingOut: false }, timeouts: 0 });
      return refuse(seat, event);
    case 'timedOut': {
      if (!isSeated(seat)) return refuse(seat, event);
      const timeouts = seat.timeouts + 1;
      if (timeouts < event.maxTimeouts || s.kind === 'sittingOut') return to(seat, { timeouts });
      if (s.kind === 'leaving') return to(seat, { timeouts, state: { kind: 'leaving', wasSittingOut: true } });
      return to(seat, { timeouts, state: { kind: 'sittingOut', since: event.now, topUp: s.kind === 'active' ? s.topUp : { kind: 'none' } } });
    }
    case 'acted':
      return isSeated(seat) ? to(seat, { timeouts: 0 }) : refuse(seat, event);
    case 'leaveAfterHand':
      if (!topUp || topUp.kind === 'inFlight') return refuse(seat, event);
      return to(seat, { state: { kind: 'leaving', wasSittingOut: s.kind === 'sittingOut' } });
    case 'cashOutStarted':
      if (s.kind === 'leaving') return to(seat, { state: { kind: 'cashingOut', wasSittingOut: s.wasSittingOut } });
      if (!topUp || topUp.kind === 'inFlight') return refuse(seat, event);
      return to(seat, { state: { kind: 'cashingOut', wasSittingOut: s.kind === 'sittingOut' } });
    case 'cashOutDone':
      return s.kind === 'cashingOut' ? { ok: true, seat: null } : refuse(seat, event);
    case 'cashOutFailed':
      return s.kind === 'cashingOut' ? to(seat, { state: { kind: 'sittingOut', since: event.now, topUp: { kind: 'none' } } }) : refuse(seat, event);
    case 'topUpDeferred':
      if (!topUp || topUp.kind !== 'none') return refuse(seat, event);
      return withTopUp(seat, { kind: 'deferred', amount: event.amount, requestId: event.requestId });
    case 'topUpStarted':
      return topUp && topUp.kind !== 'inFlight' ? withTopUp(seat, { kind: 'inFlight' }) : refuse(seat, event);
    case 'topUpDone': {
      if (topUp?.kind !== 'inFlight') return refuse(seat, event);
      const done = withTopUp(seat, { kind: 'none' });
      return done.ok && event.stack && done.seat ? to(done.seat, { stack: event.stack }) : done;
    }
    default:
      return refuse(seat, event);
  }
}

function withTopUp(seat: TableSeat, topUp: TopUpState): SeatOutcome {
  const s = seat.state;
  if (s.kind === 'active') return to(seat, { state: { kind: 'active', topUp } });
  if (s.kind === 'sittingOut') return to(seat, { state: { ...s, topUp } });
  return { ok: false, reason: `top-up in ${s.kind}` };
}

/** The presence region: connect, disconnect, and the clock's disconnect timer. Null for other events. */
function presenceTransition(seat: TableSeat, event: SeatEvent): SeatOutcome | null {
  switch (event.type) {
    case 'disconnect':
      return seat.presence.kind === 'connected' ? to(seat, { presence: { kind: 'disconnected', since: event.now } }) : refuse(seat, event);
    case 'reconnect':
      return seat.presence.kind === 'disconnected' ? to(seat, { presence: { kind: 'connected' } }) : refuse(seat, event);
    case 'clock': {
      // Only a seated player the table would deal in is sat out for being away; other states end anyway.
      const p = seat.presence;
      const away = p.kind === 'disconnected' && event.now - p.since >= event.disconnectSitOutMs;
      const s = seat.state;
      if (!away || (s.kind !== 'active' && s.kind !== 'leaving') || (s.kind === 'leaving' && s.wasSittingOut)) return { ok: true, seat };
      return s.kind === 'active'
        ? to(seat, { state: { kind: 'sittingOut', since: event.now, topUp: s.topUp } })
        : to(seat, { state: { kind: 'leaving', wasSittingOut: true } });
    }
    default:
      return null;
  }
}

/** Applies `event` to the seat, throwing when the seat's state does not allow it (a broken invariant). */
export function transitionOrThrow(seat: TableSeat, event: SeatEvent): TableSeat | null {
  const outcome = seatTransition(seat, event);
  if (!outcome.ok) throw new Error(`seat ${seat.seat} (${seat.playerId}): impossible ${outcome.reason}`);
  return outcome.seat;
}
