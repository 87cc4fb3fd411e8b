import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who a player is: an ordinary player or an admin. */
export type PlayerRole = 'player' | 'admin';

/**
 * A registered person: player or admin. Chips are held in accounts, never on this row. Usernames are
 * unique case-insensitively through the expression index `player_username_lower_uq` (lower(username)),
 * which TypeORM cannot declare as a column property, so lookups by name compare lower() on both sides.
 */
@Entity({ name: 'player' })
export class PlayerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (base64 parts). */
  @Column({ type: 'text', name: 'password_hash' })
  passwordHash!: string;

  @Column({ type: 'text', default: 'player' })
  role!: PlayerRole;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** Bumped by a logout; tokens signed with an older version are refused. */
  @Column({ type: 'integer', name: 'token_version', default: 0 })
  tokenVersion!: number;

  /** Set by an admin: the player's chat messages are refused everywhere. */
  @Column({ type: 'boolean', name: 'chat_muted', default: false })
  chatMuted!: boolean;
}
