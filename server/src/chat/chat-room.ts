/**
 * Table chat. Seated players and watchers of a table may talk there; each message is checked (length
 * by the schema, a per-player rate, an admin mute), stored with the table and the hand in play, and
 * sent to everyone at the table. Chat moves no money and never touches the table actor.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { errorBody, type ErrorCode } from '../../../shared/codes';
import type { Ack, ChatMessage } from '../../../shared/protocol';
import type { TableHandle } from '../table/table-handle';
import { TokenBucket } from '../transport/rate-limit';
import { ChatMessageEntity } from '../persistence/entities/chat-message.entity';
import { isChatMuted } from '../persistence/player.repository';

/** Sustained messages per second per player, and the burst on top of it. */
export const CHAT_RATE_PER_SECOND = 0.5;
export const CHAT_BURST = 5;
/** Players whose chat rate one process remembers; the least recently active are forgotten first. */
export const MAX_CHAT_RATE_ENTRIES = 10_000;

/** Where chat messages go out: every socket watching the table and every seated player's sockets. */
export type ChatSend = (table: TableHandle, message: ChatMessage) => void;

const refuse = (code: ErrorCode, message: string): Ack<{ messageId: string }> => ({ ok: false, error: errorBody(code, message) });

/** One process's chat service. */
export class ChatRoom {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly send: ChatSend,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Says `text` at `table` for a player who is seated there or watching it. */
  async say(p: { table: TableHandle; playerId: string; username: string; watching: boolean; text: string }): Promise<Ack<{ messageId: string }>> {
    if (!p.watching && !p.table.isSeated(p.playerId)) return refuse('forbidden', 'watch or sit at the table to chat there');
    if (!this.allow(p.playerId)) return refuse('rate_limited', `at most ${CHAT_BURST} messages at once, then one every ${1 / CHAT_RATE_PER_SECOND} s`);
    if (await isChatMuted(this.dataSource, p.playerId)) return refuse('forbidden', 'an admin muted your chat');
    const tableId = p.table.config.tableId;
    const handId = p.table.currentHandId();
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ChatMessageEntity)
      .values({ tableId, handId, playerId: p.playerId, text: p.text })
      .returning(['id', 'createdAt'])
      .updateEntity(false)
      .execute();
    const row = (inserted.raw as Array<{ id: string; created_at: Date }>)[0];
    const message: ChatMessage = { tableId, handId, messageId: row!.id, playerId: p.playerId, username: p.username, text: p.text, at: row!.created_at.toISOString() };
    this.send(p.table, message);
    this.logger.debug({ tableId, playerId: p.playerId, messageId: row!.id }, 'chat');
    return { ok: true, messageId: row!.id };
  }

  private allow(playerId: string): boolean {
    let bucket = this.buckets.get(playerId);
    if (!bucket) {
      bucket = new TokenBucket(CHAT_RATE_PER_SECOND, CHAT_BURST, this.now());
      if (this.buckets.size >= MAX_CHAT_RATE_ENTRIES) this.buckets.delete(this.buckets.keys().next().value!);
    } else this.buckets.delete(playerId);
    this.buckets.set(playerId, bucket);
    return bucket.take(this.now());
  }
}

/** The chat said during one hand, oldest first (for the hand's history). */
export async function chatOfHand(dataSource: DataSource, handId: string): Promise<Array<Record<string, unknown>>> {
  const rows = await dataSource
    .getRepository(ChatMessageEntity)
    .createQueryBuilder('c')
    .innerJoin('c.player', 'p')
    .select('c.id::text', 'messageId')
    .addSelect('c.player_id', 'playerId')
    .addSelect('p.username', 'username')
    .addSelect('c.text', 'text')
    .addSelect('c.created_at', 'at')
    .where('c.hand_id = :handId', { handId })
    .orderBy('c.id')
    .getRawMany<{ at: Date } & Record<string, unknown>>();
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
