/**
 * Binds the persistence functions to a DataSource in the two shapes the table actor expects: the money
 * port (every call one ledger transaction) and the history port (rows that move no money).
 */
import type { DataSource } from 'typeorm';
import * as ledger from '../ledger/transactions';
import { isLeaseLost, type Fence, type LeaseLostError } from '../ledger/fence';
import { startHandWithEvents } from '../persistence/hands';
import { markTableClosed } from '../persistence/poker-tables';
import type { LedgerPort, TableHistoryPort } from './table-types';

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
  // Hand ends of all tables over `ds` share one group commit (ledger/group-commit.ts).
  const group = ledger.groupCommitFor(ds);
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
    settleHand: (p) => fenced(() => ledger.settleHand(group, { ...p, fence: fence() })),
    voidHand: async (p) => {
      await fenced(() => ledger.voidHand(group, { ...p, fence: fence() }));
    },
  };
}

/** The table actor's history and table-status calls over `ds`. */
export function historyPort(ds: DataSource): TableHistoryPort {
  return {
    markClosed: (tableId) => markTableClosed(ds, tableId),
  };
}
