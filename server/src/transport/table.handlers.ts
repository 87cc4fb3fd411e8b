/**
 * Socket event handlers: they only rate-limit, validate (zod + strict amounts) and forward to the
 * table actor, then answer the ack. They hold no game state of their own.
 */
import type { Logger } from 'pino';
import { parseAmount, type Chips } from '../../../shared/money';
import { errorBody, type ErrorCode } from '../../../shared/codes';
import { CLIENT_EVENTS, PROTOCOL_LIMITS, clientSchemas, type Ack, type ClientEventName, type ClientPayload } from '../../../shared/protocol';
import type { TableRegistry } from '../table/table-registry';
import type { TableHandle } from '../table/table-handle';
import type { ChatRoom } from '../chat/chat-room';
import { TokenBucket } from './rate-limit';
import type { PlayerLimiter } from './player-rate-limit';
import { playerRoom, tableRoom, type FeltIo } from './io-server';
import { frameRefusal, watchRefusal } from './socket-guards';
import type { TableRouter } from '../cluster/table-router';
import { forwardCall } from '../cluster/forward-call';
import { localTables, remoteSocket } from '../cluster/local-tables';

type AnyAck = Ack<Record<string, unknown>>;
type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];

const fail = (code: ErrorCode, message?: string): AnyAck => ({ ok: false, error: errorBody(code, message) });

/** Hooks for metrics. */
export interface HandlerMetrics {
  rejected?(code: ErrorCode): void;
  ackLatency?(ms: number): void;
}

/** Per-socket event rate limit. */
export interface RateLimit {
  eventsPerSecond: number;
  burst: number;
  /** Shared per-player limit across sockets (and processes, with Redis). */
  player?: PlayerLimiter;
}

/** Attaches the event handlers to every new connection. */
export function registerTableHandlers(
  io: FeltIo,
  registry: TableRegistry,
  logger: Logger,
  metrics: HandlerMetrics = {},
  rate: RateLimit = { eventsPerSecond: PROTOCOL_LIMITS.socketEventsPerSecond, burst: PROTOCOL_LIMITS.socketBurst },
  chat?: ChatRoom,
  router?: TableRouter,
): void {
  // Calls forwarded by other nodes for tables run here go through the same dispatch as local sockets.
  const here = localTables(io, registry, (call) => {
    const parsed = clientSchemas[call.name].safeParse(call.payload);
    if (!parsed.success) return Promise.resolve(fail('invalid_payload'));
    return dispatch(remoteSocket(io, call), registry, call.name, parsed.data, chat, router);
  });
  router?.serve(here);
  io.on('connection', (socket) => {
    const { playerId } = socket.data;
    const log = logger.child({ socketId: socket.id, playerId });
    const bucket = new TokenBucket(rate.eventsPerSecond, rate.burst, Date.now());
    void socket.join(playerRoom(playerId));
    for (const table of registry.tablesOf(playerId)) resume(socket, table);
    router?.resumeElsewhere(playerId);
    // Unknown events and oversized payloads are answered here (when the client gave an ack) and never
    // reach a handler; they spend the socket's rate budget like any event, so they cannot flood either.
    socket.use(([event, ...args], next) => {
      const refusal = frameRefusal(event, args);
      if (!refusal) return next();
      metrics.rejected?.(refusal.code);
      const ack = args.at(-1);
      if (typeof ack === 'function' && bucket.take(Date.now())) (ack as (a: AnyAck) => void)(fail(refusal.code, refusal.message));
    });
    for (const name of CLIENT_EVENTS) {
      socket.on(name, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          metrics.rejected?.('invalid_payload');
          return;
        }
        const started = performance.now();
        const answer = (a: AnyAck) => {
          if (!a.ok) metrics.rejected?.(a.error.code);
          metrics.ackLatency?.(performance.now() - started);
          (ack as (a: AnyAck) => void)(a);
        };
        if (!bucket.take(Date.now())) return answer(fail('rate_limited'));
        if (rate.player) {
          rate.player.allow(playerId).then(
            (allowed) => (allowed ? handle(name, payload, answer) : answer(fail('rate_limited'))),
            () => handle(name, payload, answer),
          );
          return;
        }
        handle(name, payload, answer);
      });
    }
    const handle = (name: ClientEventName, payload: unknown, answer: (a: AnyAck) => void) => {
      const parsed = clientSchemas[name].safeParse(payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return answer(fail('invalid_payload', issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : undefined));
      }
      const tableId = (parsed.data as { tableId?: string }).tableId;
      const routed = router?.clustered && tableId !== undefined && !registry.get(tableId) && !registry.wasClosed(tableId)
        ? forwardCall(socket, router, name, { ...parsed.data, tableId })
        : dispatch(socket, registry, name, parsed.data, chat, router);
      routed.then(answer, (error: unknown) => {
        log.error({ err: error, event: name }, 'handler failed');
        answer(fail('internal'));
      });
    };
    socket.on('disconnect', () => {
      // The seat is kept; presence only matters when none of the player's sockets remain.
      const remaining = io.sockets.adapter.rooms.get(playerRoom(playerId))?.size ?? 0;
      if (remaining > 0) return;
      if (router?.clustered) {
        // Other nodes may still hold a socket of this player: their tables and ours check cluster-wide.
        here.absent(playerId);
        router.absentElsewhere(playerId);
        return;
      }
      for (const table of registry.tablesOf(playerId)) table.notify({ type: 'player.presence', playerId, connected: false });
    });
  });
}

/** A reconnecting player gets the full current view and their own hole cards. */
function resume(socket: Socket, table: TableHandle): void {
  const { playerId } = socket.data;
  void socket.join(tableRoom(table.config.tableId));
  table.notify({ type: 'player.presence', playerId, connected: true });
  socket.emit('table:state', table.view(playerId));
  const cards = table.holeCards(playerId);
  if (cards) socket.emit('hand:cards', { tableId: table.config.tableId, ...cards });
}

function amountAt(table: TableHandle, raw: string): { ok: true; value: Chips } | { ok: false; ack: AnyAck } {
  const parsed = parseAmount(raw, table.config.unit);
  if (parsed.ok) return parsed;
  return { ok: false, ack: fail('invalid_amount', `amount ${parsed.reason.replace(/_/g, ' ')} (unit ${table.config.unit.toString()})`) };
}

function fingerprint(payload: object): string {
  return JSON.stringify(Object.entries(payload).sort(([a], [b]) => a.localeCompare(b)));
}

async function dispatch<E extends ClientEventName>(socket: Socket, registry: TableRegistry, name: E, payload: ClientPayload<E>, chat?: ChatRoom, router?: TableRouter): Promise<AnyAck> {
  const { playerId, username } = socket.data;
  if (name === 'lobby:list') return { ok: true, tables: router ? await router.lobby() : registry.list() };
  const p = payload as ClientPayload<Exclude<ClientEventName, 'lobby:list'>>;
  const table = registry.get(p.tableId);
  if (!table) return fail(registry.wasClosed(p.tableId) ? 'table_closed' : 'table_not_found');
  switch (name) {
    case 'table:watch': {
      const room = socket.nsp.adapter.rooms.get(tableRoom(p.tableId));
      if (!socket.rooms.has(tableRoom(p.tableId)) && (room?.size ?? 0) >= PROTOCOL_LIMITS.maxViewersPerTable) return fail('too_many_viewers');
      const capped = watchRefusal(socket.nsp.server, socket, p.tableId, (id) => registry.get(id)?.isSeated(playerId) ?? false);
      if (capped) return fail(capped, 'This account already watches this table from too many sockets, or too many tables.');
      await socket.join(tableRoom(p.tableId));
      const cards = table.holeCards(playerId);
      if (cards) socket.emit('hand:cards', { tableId: p.tableId, ...cards });
      return { ok: true, state: table.view(playerId) };
    }
    case 'table:unwatch':
      await socket.leave(tableRoom(p.tableId));
      return { ok: true };
    case 'table:sit': {
      const sit = payload as ClientPayload<'table:sit'>;
      const amount = amountAt(table, sit.buyIn);
      if (!amount.ok) return amount.ack;
      if (!table.isSeated(playerId) && registry.tablesOf(playerId).length >= PROTOCOL_LIMITS.maxTablesPerPlayer) return fail('too_many_tables');
      const ack = await table.askOnce(playerId, sit.requestId, fingerprint(sit), {
        type: 'seat.join', playerId, username, seat: sit.seat, buyIn: amount.value, requestId: sit.requestId,
      });
      if (ack.ok) await socket.join(tableRoom(p.tableId));
      return ack;
    }
    case 'table:topup': {
      const top = payload as ClientPayload<'table:topup'>;
      const amount = amountAt(table, top.amount);
      if (!amount.ok) return amount.ack;
      return table.askOnce(playerId, top.requestId, fingerprint(top), { type: 'seat.topup', playerId, amount: amount.value, requestId: top.requestId });
    }
    case 'table:sitout':
      return table.ask({ type: 'seat.sitout', playerId });
    case 'table:sitin':
      return table.ask({ type: 'seat.sitin', playerId });
    case 'table:leave': {
      const leave = payload as ClientPayload<'table:leave'>;
      return table.askOnce(playerId, leave.requestId, fingerprint(leave), { type: 'seat.leave', playerId, requestId: leave.requestId });
    }
    case 'table:act':
      return act(table, playerId, payload as ClientPayload<'table:act'>);
    case 'table:chat': {
      if (!chat) return fail('unavailable', 'chat is not enabled on this server');
      const watching = socket.rooms.has(tableRoom(p.tableId));
      return chat.say({ table, playerId, username, watching, text: (payload as ClientPayload<'table:chat'>).text });
    }
    default:
      return fail('invalid_payload', 'unknown event');
  }
}

function act(table: TableHandle, playerId: string, a: ClientPayload<'table:act'>): Promise<AnyAck> | AnyAck {
  const needsAmount = a.action === 'bet' || a.action === 'raise';
  if (needsAmount !== (a.amount !== undefined)) {
    return fail('invalid_payload', needsAmount ? `${a.action} needs an amount (the total "to")` : `${a.action} takes no amount`);
  }
  let to: Chips | undefined;
  if (a.amount !== undefined) {
    const amount = amountAt(table, a.amount);
    if (!amount.ok) return amount.ack;
    to = amount.value;
  }
  return table.askOnce(playerId, a.requestId, fingerprint(a), {
    type: 'player.act', playerId, handId: a.handId, action: a.action, ...(to ? { to } : {}),
  });
}
