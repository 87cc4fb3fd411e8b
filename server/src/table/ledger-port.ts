/** Binds the ledger's transaction functions to a DataSource in the shape the table actor expects. */
import type { DataSource } from 'typeorm';
import * as ledger from '../ledger/transactions';
import { startHandWithEvents, appendHandEventsAsync } from '../persistence/hands';
import { markTableClosed } from '../persistence/poker-tables';
import type { LedgerPort } from './table-types';

/** The table actor's view of the ledger over `ds`. */
export function ledgerPort(ds: DataSource): LedgerPort {
  return {
    buyIn: (p) => ledger.buyIn(ds, p),
    topUp: (p) => ledger.topUp(ds, p),
    cashOut: (p) => ledger.cashOut(ds, p),
    startHand: ({ events, seatStacks, ...p }) => startHandWithEvents(ds, p, events, seatStacks),
    appendHandEvents: (handId, events) => appendHandEventsAsync(ds, handId, events),
    settleHand: (p) => ledger.settleHand(ds, p),
    voidHand: async (p) => {
      await ledger.voidHand(ds, p);
    },
    markClosed: (tableId) => markTableClosed(ds, tableId),
  };
}
