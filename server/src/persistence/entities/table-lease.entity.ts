import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PokerTableEntity } from './poker-table.entity';
import { PlayerEntity } from './player.entity';

/** Which node runs a table, under which epoch, until when (server/src/cluster/lease-store.ts). */
@Entity({ name: 'table_lease' })
export class TableLeaseEntity {
  @PrimaryColumn({ type: 'uuid', name: 'table_id' })
  tableId!: string;

  @ManyToOne(() => PokerTableEntity, { nullable: false })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity;

  @Column({ type: 'text', name: 'node_id' })
  nodeId!: string;

  /** Grows by one at every takeover; the fence compares it (a CHECK keeps it non-negative). */
  @Column({ type: 'bigint' })
  epoch!: string;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'boolean', default: false })
  released!: boolean;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** A node's heartbeat and load, for placing new tables on the least-loaded live node. */
@Entity({ name: 'felt_node' })
export class FeltNodeEntity {
  @PrimaryColumn({ type: 'text', name: 'node_id' })
  nodeId!: string;

  @Column({ type: 'timestamptz', name: 'heartbeat_at' })
  heartbeatAt!: Date;

  @Column({ type: 'int', name: 'live_tables', default: 0 })
  liveTables!: number;
}

/** The seat number a player's chips sit at, written by the buy-in, read by a takeover. */
@Entity({ name: 'table_seat' })
export class TableSeatEntity {
  @PrimaryColumn({ type: 'uuid', name: 'table_id' })
  tableId!: string;

  @ManyToOne(() => PokerTableEntity, { nullable: false })
  @JoinColumn({ name: 'table_id' })
  table?: PokerTableEntity;

  @PrimaryColumn({ type: 'uuid', name: 'player_id' })
  playerId!: string;

  @ManyToOne(() => PlayerEntity, { nullable: false })
  @JoinColumn({ name: 'player_id' })
  player?: PlayerEntity;

  /** 0-based (a CHECK keeps it non-negative). */
  @Column({ type: 'smallint', name: 'seat_number' })
  seatNumber!: number;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
