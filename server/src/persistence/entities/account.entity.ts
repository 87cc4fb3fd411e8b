import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PlayerEntity } from './player.entity';
import { PokerTableEntity } from './poker-table.entity';

/** Kinds of ledger account: a player's wallet, a player's stack at one table, and the two house accounts. */
export type AccountKind = 'wallet' | 'seat' | 'house_rake' | 'house_cash';

/**
 * A balance holder. `balance` is a cache of the sum of the account's ledger entries, written only by
 * server/src/ledger/transactions.ts under a row lock; reconcile checks that the cache is exact.
 */
@Entity({ name: 'account' })
export class AccountEntity {
  /** bigserial; ascending id is the lock order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: AccountKind;

  @Column({ type: 'uuid', name: 'player_id', nullable: true })
  playerId!: string | null;

  @ManyToOne(() => PlayerEntity, { nullable: true })
  @JoinColumn({ name: 'player_id' })
  player?: PlayerEntity | null;

  @Column({ type: 'uuid', name: 'table_id', nullable: true })
  tableId!: string | null;

  @ManyToOne(() => PokerTableEntity, { nullable: true })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity | null;

  @Column({ type: 'numeric', default: 0 })
  balance!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
