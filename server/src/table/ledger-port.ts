/**
 * Binds the persistence functions to a DataSource in the two shapes the table actor expects: the money
 * port (every call one ledger transaction) and the history port (rows that move no money).
 */
import type { DataSource } from 'typeorm';
import * as ledger from '../ledger/transactions';
import { startHandWithEvents, appendHandEventsAsync } from '../persistence/hands';
import { markTableClosed } from '../persistence/poker-tables';
import type { LedgerPort, TableHistoryPort } from './table-types';

/** The table actor's view of the ledger over `ds`. */
export function ledgerPort(ds: DataSource): LedgerPort {
  return {
    buyIn: (p) => ledger.buyIn(ds, p),
    topUp: (p) => ledger.topUp(ds, p),
    cashOut: (p) => ledger.cashOut(ds, p),
    startHand: ({ events, seatStacks, ...p }) => startHandWithEvents(ds, p, events, seatStacks),
    settleHand: (p) => ledger.settleHand(ds, p),
    voidHand: async (p) => {
      await ledger.voidHand(ds, p);
    },
  };
}

/** The table actor's history and table-status calls over `ds`. */
export function historyPort(ds: DataSource): TableHistoryPort {
  return {
    appendHandEvents: (handId, events) => appendHandEventsAsync(ds, handId, events),
    markClosed: (tableId) => markTableClosed(ds, tableId),
  };
}
