import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A registered person: player or admin. Chips are held in accounts, never on this row. */
@Entity({ name: 'player' })
export class PlayerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (base64 parts). */
  @Column({ type: 'text', name: 'password_hash' })
  passwordHash!: string;

  @Column({ type: 'text', default: 'player' })
  role!: 'player' | 'admin';

  /** Bumped by a logout; tokens signed with an older version are refused. */
  @Column({ type: 'integer', name: 'token_version', default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
