/** Every entity, registered with the DataSource: one per table the migrations create (entity-schema.test.ts checks both ways). */
import { PlayerEntity } from './player.entity';
import { PokerTableEntity } from './poker-table.entity';
import { AccountEntity } from './account.entity';
import { TransferEntity } from './transfer.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';
import { HandEntity } from './hand.entity';
import { HandEventEntity } from './hand-event.entity';
import { ChatMessageEntity } from './chat-message.entity';
import { FeltNodeEntity, TableLeaseEntity, TableSeatEntity } from './table-lease.entity';

export { PlayerEntity, PokerTableEntity, AccountEntity, TransferEntity, LedgerEntryEntity, HandEntity, HandEventEntity, ChatMessageEntity, TableLeaseEntity, FeltNodeEntity, TableSeatEntity };

export const ENTITIES = [
  PlayerEntity,
  PokerTableEntity,
  AccountEntity,
  TransferEntity,
  LedgerEntryEntity,
  HandEntity,
  HandEventEntity,
  ChatMessageEntity,
  TableLeaseEntity,
  FeltNodeEntity,
  TableSeatEntity,
];
