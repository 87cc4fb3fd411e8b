/** Binds the ledger's transaction functions to a DataSource in the shape the table actor expects. */
import type { DataSource } from 'typeorm';
import * as ledger from '../ledger/transactions';
import { startHandWithEvents } from '../persistence/hands';
import { markTableClosed } from '../persistence/poker-tables';
import type { LedgerPort } from './table-types';

/** The table actor's view of the ledger over `ds`; hand ends of all tables share one group commit. */
export function ledgerPort(ds: DataSource): LedgerPort {
  const group = ledger.groupCommitFor(ds);
  return {
    buyIn: (p) => ledger.buyIn(ds, p),
    topUp: (p) => ledger.topUp(ds, p),
    cashOut: (p) => ledger.cashOut(ds, p),
    startHand: ({ events, seatStacks, ...p }) => startHandWithEvents(ds, p, events, seatStacks),
    settleHand: (p) => ledger.settleHand(group, p),
    voidHand: async (p) => {
      await ledger.voidHand(group, p);
    },
    markClosed: (tableId) => markTableClosed(ds, tableId),
  };
}
