/** Binds the ledger's transaction functions to a DataSource in the shape the table actor expects. */
import type { DataSource } from 'typeorm';
import * as ledger from '../ledger/transactions';
import { isLeaseLost, type Fence, type LeaseLostError } from '../ledger/fence';
import { startHandWithEvents, appendHandEventsAsync } from '../persistence/hands';
import { markTableClosed } from '../persistence/poker-tables';
import type { LedgerPort } from './table-types';

/** The table's lease as the port sees it: the fence every call carries, and who hears of its loss. */
export interface LeaseBinding {
  /** The current fence (read at each call, so a renewed or re-taken lease is picked up). */
  fence: () => Fence | undefined;
  /** Called when the fence refused a call: the registry stops the actor and lets the table go. */
  onLost: (error: LeaseLostError) => void;
}

/** The table actor's view of the ledger over `ds`, every call fenced by `lease` when given. */
export function ledgerPort(ds: DataSource, lease?: LeaseBinding): LedgerPort {
  const fence = () => lease?.fence();
  // A refusal by the fence is passed to the registry before the actor sees the error, so the actor is
  // stopped before it can react (void, retry, deal again) with chips it no longer owns.
  const fenced = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (lease && isLeaseLost(error)) lease.onLost(error);
      throw error;
    }
  };
  return {
    buyIn: ({ seat, ...p }) => fenced(() => ledger.buyIn(ds, { ...p, seatNumber: seat, fence: fence() })),
    topUp: (p) => fenced(() => ledger.topUp(ds, { ...p, fence: fence() })),
    cashOut: (p) => fenced(() => ledger.cashOut(ds, { ...p, fence: fence() })),
    startHand: ({ events, seatStacks, ...p }) => fenced(() => startHandWithEvents(ds, p, events, seatStacks, fence())),
    appendHandEvents: (handId, events) => fenced(() => appendHandEventsAsync(ds, handId, events, fence())),
    settleHand: (p) => fenced(() => ledger.settleHand(ds, { ...p, fence: fence() })),
    voidHand: async (p) => {
      await fenced(() => ledger.voidHand(ds, { ...p, fence: fence() }));
    },
    markClosed: (tableId) => markTableClosed(ds, tableId),
  };
}
