import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { HandEntity } from './hand.entity';
import { PlayerEntity } from './player.entity';
import { PokerTableEntity } from './poker-table.entity';

/** One chat message said at a table, with the hand in play when it was said (if any). */
@Entity({ name: 'chat_message' })
export class ChatMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'table_id' })
  tableId!: string;

  @ManyToOne(() => PokerTableEntity, { nullable: false })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity;

  @Column({ type: 'uuid', name: 'hand_id', nullable: true })
  handId!: string | null;

  @ManyToOne(() => HandEntity, { nullable: true })
  @JoinColumn({ name: 'hand_id' })
  hand?: HandEntity | null;

  @Column({ type: 'uuid', name: 'player_id' })
  playerId!: string;

  @ManyToOne(() => PlayerEntity, { nullable: false })
  @JoinColumn({ name: 'player_id' })
  player?: PlayerEntity;

  /** 1..200 characters (a CHECK in the migration). */
  @Column({ type: 'text' })
  text!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
