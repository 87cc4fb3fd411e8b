import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { HandEntity } from './hand.entity';

/** One event of a hand's history, numbered by `seq` within the hand (append-only). */
@Entity({ name: 'hand_event' })
@Unique('hand_event_seq_uq', ['handId', 'seq'])
export class HandEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'hand_id' })
  handId!: string;

  @ManyToOne(() => HandEntity, { nullable: false })
  @JoinColumn({ name: 'hand_id' })
  hand?: HandEntity;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
