import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One signed leg of a transfer (append-only; a trigger rejects UPDATE, DELETE and TRUNCATE). */
@Entity({ name: 'ledger_entry' })
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint', name: 'transfer_id' })
  transferId!: string;

  @Column({ type: 'bigint', name: 'account_id' })
  accountId!: string;

  /** Signed: positive credits the account. */
  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'numeric', name: 'balance_after' })
  balanceAfter!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
