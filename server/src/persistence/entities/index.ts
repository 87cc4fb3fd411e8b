/** Every entity, registered with the DataSource. */
import { PlayerEntity } from './player.entity';
import { PokerTableEntity } from './poker-table.entity';
import { AccountEntity } from './account.entity';
import { TransferEntity } from './transfer.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';
import { HandEntity } from './hand.entity';
import { HandEventEntity } from './hand-event.entity';

export const ENTITIES = [PlayerEntity, PokerTableEntity, AccountEntity, TransferEntity, LedgerEntryEntity, HandEntity, HandEventEntity];
