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

/** Sustained messages per second per player, and the burst on top of it. */
export const CHAT_RATE_PER_SECOND = 0.5;
export const CHAT_BURST = 5;
/** Players whose chat rate one process remembers; the least recently active are forgotten first. */
export const MAX_CHAT_RATE_ENTRIES = 10_000;

/** Where chat messages go out: every socket watching the table and every seated player's sockets. */
export type ChatSend = (table: TableHandle, message: ChatMessage) => void;

const refuse = (code: ErrorCode, message: string): Ack<Record<string, unknown>> => ({ ok: false, error: errorBody(code, message) });

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
  async say(p: { table: TableHandle; playerId: string; username: string; watching: boolean; text: string }): Promise<Ack<Record<string, unknown>>> {
    if (!p.watching && !p.table.isSeated(p.playerId)) return refuse('forbidden', 'watch or sit at the table to chat there');
    if (!this.allow(p.playerId)) return refuse('rate_limited', `at most ${CHAT_BURST} messages at once, then one every ${1 / CHAT_RATE_PER_SECOND} s`);
    const [player] = (await this.dataSource.query(`SELECT chat_muted FROM player WHERE id = $1`, [p.playerId])) as Array<{ chat_muted: boolean }>;
    if (player?.chat_muted) return refuse('forbidden', 'an admin muted your chat');
    const tableId = p.table.config.tableId;
    const handId = p.table.currentHandId();
    const [row] = (await this.dataSource.query(
      `INSERT INTO chat_message (table_id, hand_id, player_id, text) VALUES ($1, $2, $3, $4) RETURNING id::text AS id, created_at`,
      [tableId, handId, p.playerId, p.text],
    )) as Array<{ id: string; created_at: Date }>;
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

/** Mutes or unmutes a player's chat everywhere (an admin action); false when there is no such player. */
export async function setChatMuted(dataSource: DataSource, playerId: string, muted: boolean): Promise<boolean> {
  const rows = (await dataSource.query(`UPDATE player SET chat_muted = $2 WHERE id = $1 RETURNING id`, [playerId, muted])) as unknown[];
  return rows.length > 0;
}

/** The chat said during one hand, oldest first (for the hand's history). */
export async function chatOfHand(dataSource: DataSource, handId: string): Promise<Array<Record<string, unknown>>> {
  const rows = (await dataSource.query(
    `SELECT c.id::text AS "messageId", c.player_id AS "playerId", p.username, c.text, c.created_at AS at
     FROM chat_message c JOIN player p ON p.id = c.player_id WHERE c.hand_id = $1 ORDER BY c.id`,
    [handId],
  )) as Array<{ at: Date } & Record<string, unknown>>;
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
