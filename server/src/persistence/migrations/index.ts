/**
 * Every migration, in order. Listed explicitly (not globbed) so that the same list works under tsx,
 * jest and compiled JavaScript.
 */
import { CreatePlayer1763769600000 } from './1763769600000-create-player';
import { CreatePokerTableAndHand1763769700000 } from './1763769700000-create-poker-table-and-hand';
import { CreateLedger1763769800000 } from './1763769800000-create-ledger';
import { HandHistoryIndexes1763769900000 } from './1763769900000-hand-history-indexes';
import { PerTableRake1763770000000 } from './1763770000000-per-table-rake';
import { SiteHandNumber1763770100000 } from './1763770100000-site-hand-number';
import { DebitTransfer1763770200000 } from './1763770200000-debit-transfer';
import { PlayerTokenVersion1763770400000 } from './1763770400000-player-token-version';
import { HandCommitmentScheme1763770500000 } from './1763770500000-hand-commitment-scheme';
import { TableTimeBank1763770600000 } from './1763770600000-table-time-bank';
import { TableChat1763770700000 } from './1763770700000-table-chat';
import { DropRakeTransferKind1763770800000 } from './1763770800000-drop-rake-transfer-kind';
import { TableLease1763771300000 } from './1763771300000-table-lease';

export const MIGRATIONS = [
  CreatePlayer1763769600000,
  CreatePokerTableAndHand1763769700000,
  CreateLedger1763769800000,
  HandHistoryIndexes1763769900000,
  PerTableRake1763770000000,
  SiteHandNumber1763770100000,
  DebitTransfer1763770200000,
  PlayerTokenVersion1763770400000,
  HandCommitmentScheme1763770500000,
  TableTimeBank1763770600000,
  TableChat1763770700000,
  DropRakeTransferKind1763770800000,
  TableLease1763771300000,
];
