import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TransferKind;

  @Column({ type: 'text', name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  /** sha256 hex of the canonical parameters, to tell a replay from a conflicting reuse of the key. */
  @Column({ type: 'text', name: 'params_hash' })
  paramsHash!: string;

  @Column({ type: 'uuid', name: 'hand_id', nullable: true })
  handId!: string | null;

  @Column({ type: 'uuid', name: 'table_id', nullable: true })
  tableId!: string | null;

  @Column({ type: 'uuid', name: 'player_id', nullable: true })
  playerId!: string | null;

  @Column({ type: 'uuid', name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', default: {} })
  result!: unknown;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
