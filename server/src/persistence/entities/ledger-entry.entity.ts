import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AccountEntity } from './account.entity';
import { TransferEntity } from './transfer.entity';

/** One signed leg of a transfer (append-only; a trigger rejects UPDATE, DELETE and TRUNCATE). */
@Entity({ name: 'ledger_entry' })
@Unique('ledger_entry_transfer_account_uq', ['transferId', 'accountId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint', name: 'transfer_id' })
  transferId!: string;

  @ManyToOne(() => TransferEntity, { nullable: false })
  @JoinColumn({ name: 'transfer_id' })
  transfer?: TransferEntity;

  @Column({ type: 'bigint', name: 'account_id' })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;

  /** Signed: positive credits the account. */
  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'numeric', name: 'balance_after' })
  balanceAfter!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
