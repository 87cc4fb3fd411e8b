import type { Variant } from '../../../../shared/engine/types';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Whether a table still deals. */
export type PokerTableStatus = 'open' | 'closed';

/**
 * A table's configuration. Amounts are NUMERIC (unconstrained precision, as the migration declares
 * them) and travel as decimal strings, never JS numbers.
 */
@Entity({ name: 'poker_table' })
export class PokerTableEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  variant!: Variant;

  @Column({ type: 'integer', name: 'max_seats' })
  maxSeats!: number;

  @Column({ type: 'numeric' })
  unit!: string;

  @Column({ type: 'numeric', name: 'small_blind' })
  smallBlind!: string;

  @Column({ type: 'numeric', name: 'big_blind' })
  bigBlind!: string;

  @Column({ type: 'numeric', default: 0 })
  ante!: string;

  @Column({ type: 'numeric', name: 'min_buy_in' })
  minBuyIn!: string;

  @Column({ type: 'numeric', name: 'max_buy_in' })
  maxBuyIn!: string;

  @Column({ type: 'numeric', name: 'rake_percent', default: 0 })
  rakePercent!: string;

  @Column({ type: 'numeric', name: 'rake_cap', default: 0 })
  rakeCap!: string;

  @Column({ type: 'integer', name: 'action_timeout_ms' })
  actionTimeoutMs!: number;

  @Column({ type: 'text', default: 'open' })
  status!: PokerTableStatus;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** bigint arrives as a string from the driver. */
  @Column({ type: 'bigint', name: 'next_hand_number', default: 1 })
  nextHandNumber!: string;

  /** Extra thinking time each player may draw on once the action timer runs out. */
  @Column({ type: 'integer', name: 'time_bank_ms', default: 30_000 })
  timeBankMs!: number;
}
