/**
 * Player rows through TypeORM: lookups by id and by name, registration, password and token-version
 * updates, the chat mute, and the admin console's player search and detail. None of these is on a hot
 * path (they run per login, per handshake or per admin click), so they use repositories and the query
 * builder rather than raw SQL.
 */
import type { EntityManager } from 'typeorm';
import type { Db } from '../ledger/db';
import { AccountEntity } from './entities/account.entity';
import { PlayerEntity, type PlayerRole } from './entities/player.entity';
import { PokerTableEntity } from './entities/poker-table.entity';
import { TransferEntity } from './entities/transfer.entity';
import { TableSeatEntity } from './entities/table-lease.entity';
import { isUuid } from './uuid';

/** The columns sign-in and the handshake need (never the whole row into a log). */
const AUTH_COLUMNS = { id: true, username: true, passwordHash: true, role: true, tokenVersion: true } as const;

/** A player as sign-in and the handshake see it. */
export type AuthPlayer = Pick<PlayerEntity, 'id' | 'username' | 'passwordHash' | 'role' | 'tokenVersion'>;

/** The player with this username in any letter case (usernames are unique case-insensitively), or null. */
export async function findPlayerByUsername(db: Db, username: string): Promise<AuthPlayer | null> {
  return db
    .getRepository(PlayerEntity)
    .createQueryBuilder('p')
    .select(['p.id', 'p.username', 'p.passwordHash', 'p.role', 'p.tokenVersion'])
    // Matches the expression index player_username_lower_uq, so this is an index lookup.
    .where('lower(p.username) = lower(:username)', { username })
    .getOne();
}

/** The player with this id, or null (also for a malformed id). */
export async function findPlayerById(db: Db, playerId: string): Promise<AuthPlayer | null> {
  if (!isUuid(playerId)) return null;
  return db.getRepository(PlayerEntity).findOne({ select: AUTH_COLUMNS, where: { id: playerId } });
}

/** Inserts a player and returns the new id; a taken name fails on player_username_lower_uq (23505). */
export async function insertPlayer(em: EntityManager, p: { username: string; passwordHash: string; role: PlayerRole }): Promise<string> {
  const result = await em.createQueryBuilder().insert().into(PlayerEntity).values(p).returning(['id']).updateEntity(false).execute();
  return (result.raw as Array<{ id: string }>)[0]!.id;
}

/**
 * Inserts a player unless the name exists in any letter case; the new id, or undefined when it existed.
 * `ON CONFLICT DO NOTHING` without a target also covers the expression index on lower(username), the
 * only unique key a new row can collide with (the id is generated).
 */
export async function insertPlayerIfAbsent(db: Db, p: { username: string; passwordHash: string; role: PlayerRole }): Promise<string | undefined> {
  const result = await db.createQueryBuilder().insert().into(PlayerEntity).values(p).orIgnore().returning(['id']).updateEntity(false).execute();
  return (result.raw as Array<{ id: string }>)[0]?.id;
}

/** Stores a new password hash for the player. */
export async function setPasswordHash(db: Db, playerId: string, passwordHash: string): Promise<void> {
  await db.getRepository(PlayerEntity).update({ id: playerId }, { passwordHash });
}

/** Bumps the player's token version (revoking every token signed before); false when there is no such player. */
export async function bumpTokenVersion(db: Db, playerId: string): Promise<boolean> {
  if (!isUuid(playerId)) return false;
  const result = await db
    .createQueryBuilder()
    .update(PlayerEntity)
    .set({ tokenVersion: () => 'token_version + 1' })
    .where('id = :playerId', { playerId })
    .execute();
  return (result.affected ?? 0) > 0;
}

/** Mutes or unmutes the player's chat; false when there is no such player. */
export async function setChatMuted(db: Db, playerId: string, muted: boolean): Promise<boolean> {
  if (!isUuid(playerId)) return false;
  const result = await db.getRepository(PlayerEntity).update({ id: playerId }, { chatMuted: muted });
  return (result.affected ?? 0) > 0;
}

/** True when an admin muted the player's chat (false for an unknown player). */
export async function isChatMuted(db: Db, playerId: string): Promise<boolean> {
  if (!isUuid(playerId)) return false;
  const row = await db.getRepository(PlayerEntity).findOne({ select: { id: true, chatMuted: true }, where: { id: playerId } });
  return row?.chatMuted ?? false;
}

/** A player as the admin console lists them: profile, mute flag and wallet balance (null without a wallet). */
export interface AdminPlayerRow {
  id: string;
  username: string;
  role: string;
  balance: string | null;
  created_at: Date;
  chat_muted: boolean;
}

/** Players with their wallet balance; callers add the WHERE clause. */
function adminPlayers(db: Db) {
  return db
    .getRepository(PlayerEntity)
    .createQueryBuilder('p')
    .leftJoin(AccountEntity, 'a', "a.player_id = p.id AND a.kind = 'wallet'")
    .select('p.id', 'id')
    .addSelect('p.username', 'username')
    .addSelect('p.role', 'role')
    .addSelect('a.balance::text', 'balance')
    .addSelect('p.created_at', 'created_at')
    .addSelect('p.chat_muted', 'chat_muted');
}

/**
 * One page of players whose name starts with `prefix` (any case), after `cursor` (the previous page's
 * last name, lower-cased), in lower-case name order; `limit` rows at most.
 */
export async function searchPlayers(db: Db, q: { prefix: string; cursor: string | null; limit: number }): Promise<AdminPlayerRow[]> {
  const query = adminPlayers(db).where('left(lower(p.username), length(:prefix)) = lower(:prefix)', { prefix: q.prefix });
  if (q.cursor !== null) query.andWhere('lower(p.username) > lower(:cursor)', { cursor: q.cursor });
  return query.orderBy('lower(p.username)').limit(q.limit).getRawMany<AdminPlayerRow>();
}

/** One player as the admin console shows them, or undefined. */
export async function findAdminPlayer(db: Db, playerId: string): Promise<AdminPlayerRow | undefined> {
  if (!isUuid(playerId)) return undefined;
  return adminPlayers(db).where('p.id = :playerId', { playerId }).getRawOne<AdminPlayerRow>();
}

/** A seat account with chips on it, with its table's name and unit. */
export interface HeldSeat {
  tableId: string;
  tableName: string;
  balance: string;
  unit: string;
  /** The seat number recorded at buy-in (any node's table), or null when none was recorded. */
  seatNumber: number | null;
}

/** The player's seat accounts that hold chips, by table name. */
export async function heldSeatsOf(db: Db, playerId: string): Promise<HeldSeat[]> {
  return db
    .getRepository(AccountEntity)
    .createQueryBuilder('a')
    .innerJoin(PokerTableEntity, 't', 't.id = a.table_id')
    .leftJoin(TableSeatEntity, 's', 's.table_id = a.table_id AND s.player_id = a.player_id')
    .select('a.table_id', 'tableId')
    .addSelect('s.seat_number', 'seatNumber')
    .addSelect('t.name', 'tableName')
    .addSelect('a.balance::text', 'balance')
    .addSelect('t.unit::text', 'unit')
    .where("a.kind = 'seat' AND a.player_id = :playerId AND a.balance > 0", { playerId })
    .orderBy('t.name')
    .addOrderBy('a.table_id')
    .getRawMany<HeldSeat>();
}

/** The player's latest transfers, newest first, at most `limit`. */
export async function recentTransfersOf(db: Db, playerId: string, limit: number): Promise<TransferEntity[]> {
  return db.getRepository(TransferEntity).find({
    select: { id: true, kind: true, tableId: true, handId: true, reason: true, result: true, createdAt: true },
    where: { playerId },
    order: { id: 'DESC' },
    take: limit,
  });
}
