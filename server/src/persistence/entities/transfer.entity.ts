import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { HandEntity } from './hand.entity';
import { PlayerEntity } from './player.entity';
import { PokerTableEntity } from './poker-table.entity';

/** Kinds of money movement. */
export type TransferKind =
  | 'credit'
  | 'debit'
  | 'buy_in'
  | 'top_up'
  | 'cash_out'
  | 'hand_settlement'
  | 'void_refund'
  | 'adjustment';

/** One money movement (append-only). Its ledger entries sum to zero; `result` is what replays return. */
@Entity({ name: 'transfer' })
@Unique('transfer_idempotency_key_uq', ['idempotencyKey'])
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TransferKind;

  @Column({ type: 'text', name: 'idempotency_key' })
  idempotencyKey!: string;

  /** sha256 hex of the canonical parameters, to tell a replay from a conflicting reuse of the key. */
  @Column({ type: 'text', name: 'params_hash' })
  paramsHash!: string;

  @Column({ type: 'uuid', name: 'hand_id', nullable: true })
  handId!: string | null;

  @ManyToOne(() => HandEntity, { nullable: true })
  @JoinColumn({ name: 'hand_id' })
  hand?: HandEntity | null;

  @Column({ type: 'uuid', name: 'table_id', nullable: true })
  tableId!: string | null;

  @ManyToOne(() => PokerTableEntity, { nullable: true })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity | null;

  @Column({ type: 'uuid', name: 'player_id', nullable: true })
  playerId!: string | null;

  @ManyToOne(() => PlayerEntity, { nullable: true })
  @JoinColumn({ name: 'player_id' })
  player?: PlayerEntity | null;

  /** The admin who made the transfer, when one did; deliberately no foreign key (the migration declares none). */
  @Column({ type: 'uuid', name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', default: {} })
  result!: unknown;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
