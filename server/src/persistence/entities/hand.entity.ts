import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PokerTableEntity } from './poker-table.entity';

/** Lifecycle of a hand: it ends exactly once, settled or voided. */
export type HandStatus = 'in_progress' | 'settled' | 'voided';

/**
 * One hand at one table. A commitment to the deck is published at start (under `commitmentScheme`) and
 * the seed, kept for admin verification only, is stored at the end.
 */
@Entity({ name: 'hand' })
@Unique('hand_table_number_uq', ['tableId', 'handNumber'])
@Unique('hand_site_number_uq', ['siteHandNumber'])
export class HandEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'table_id' })
  tableId!: string;

  @ManyToOne(() => PokerTableEntity, { nullable: false })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity;

  /** The table's own count of its hands (1, 2, … per table). */
  @Column({ type: 'bigint', name: 'hand_number' })
  handNumber!: string;

  @Column({ type: 'text', default: 'in_progress' })
  status!: HandStatus;

  @Column({ type: 'integer', name: 'button_seat' })
  buttonSeat!: number;

  /** Snapshot of the table configuration the hand was dealt under. */
  @Column({ type: 'jsonb' })
  config!: unknown;

  @Column({ type: 'text' })
  commitment!: string;

  @Column({ type: 'text', nullable: true })
  seed!: string | null;

  @Column({ type: 'text', name: 'void_reason', nullable: true })
  voidReason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: unknown;

  @Column({ type: 'timestamptz', name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  /** Unique across the site and increasing in start order (from a sequence); exports use this one. */
  @Column({ type: 'bigint', name: 'site_hand_number', insert: false, update: false, default: () => "nextval('hand_site_number_seq')" })
  siteHandNumber!: string;

  /** `felt-deck-merkle-v1` (Merkle root of per-position commitments) or the older `felt-seed-sha256-v1`; no default on purpose. */
  @Column({ type: 'text', name: 'commitment_scheme' })
  commitmentScheme!: string;
}
