/**
 * Socket event handlers: they only rate-limit, validate (zod + strict amounts) and forward to the
 * table actor, then answer the ack. They hold no game state of their own. Each handler is typed from
 * shared/protocol.ts (its payload is the event's schema type, its answer the event's ack type); zod
 * still checks every payload, because clients are untrusted whatever the types say.
 */
import type { Logger } from 'pino';
import type { Socket as IoSocket } from 'socket.io';
import { parseAmount, type Chips } from '../../../shared/money';
import { errorBody, type ErrorBody, type ErrorCode } from '../../../shared/codes';
import { canonicalJson } from '../../../shared/canonical-json';
import {
  CLIENT_EVENTS,
  PROTOCOL_LIMITS,
  clientSchemas,
  type Ack,
  type ClientEventName,
  type ClientPayload,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../../shared/protocol';
import type { TableRegistry } from '../table/table-registry';
import { LEASE_IN_DOUBT_MESSAGE, type TableHandle } from '../table/table-handle';
import type { ChatRoom } from '../chat/chat-room';
import { TokenBucket } from './rate-limit';
import type { PlayerLimiter } from './player-rate-limit';
import { playerRoom, tableRoom, type FeltIo } from './io-server';
import { frameRefusal, watchRefusal } from './socket-guards';
import { sendToSocket } from './frame-rooms';
import { answerWithFrame } from './frame-broadcaster';
import type { TableRouter } from '../cluster/table-router';
import { forwardCall } from '../cluster/forward-call';
import { localTables, remoteSocket } from '../cluster/local-tables';

type Socket = IoSocket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
/** A refusal: a valid ack of every event. */
type Refusal = { ok: false; error: ErrorBody };

const fail = (code: ErrorCode, message?: string): Refusal => ({ ok: false, error: errorBody(code, message) });

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

/**
 * The ack a client event promises, read off ClientToServerEvents: a handler for `E` must answer exactly
 * this type, so the server cannot drift from the protocol the clients are compiled against.
 */
export type AckOf<E extends ClientEventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Takes one inbound event: the payload is untrusted whatever socket.io's types say, so it arrives as unknown. */
type Receive = <E extends ClientEventName>(name: E, payload: unknown, ack: ((a: AckOf<E>) => void) | undefined) => void;

/**
 * One typed registration per client event. The mapped type makes a missing event a compile error, and
 * each line names its event literally, so socket.io types its listener (and its ack) from the protocol.
 */
const LISTEN: { [E in ClientEventName]: (socket: Socket, receive: Receive) => void } = {
  'lobby:list': (s, r) => s.on('lobby:list', (payload, ack) => r('lobby:list', payload, ack)),
  'table:watch': (s, r) => s.on('table:watch', (payload, ack) => r('table:watch', payload, ack)),
  'table:unwatch': (s, r) => s.on('table:unwatch', (payload, ack) => r('table:unwatch', payload, ack)),
  'table:sit': (s, r) => s.on('table:sit', (payload, ack) => r('table:sit', payload, ack)),
  'table:topup': (s, r) => s.on('table:topup', (payload, ack) => r('table:topup', payload, ack)),
  'table:sitout': (s, r) => s.on('table:sitout', (payload, ack) => r('table:sitout', payload, ack)),
  'table:sitin': (s, r) => s.on('table:sitin', (payload, ack) => r('table:sitin', payload, ack)),
  'table:leave': (s, r) => s.on('table:leave', (payload, ack) => r('table:leave', payload, ack)),
  'table:act': (s, r) => s.on('table:act', (payload, ack) => r('table:act', payload, ack)),
  'table:chat': (s, r) => s.on('table:chat', (payload, ack) => r('table:chat', payload, ack)),
};

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
  // Calls forwarded by other nodes for tables run here go through the same handlers as local sockets.
  const here = localTables(io, registry, async (call) => {
    const parsed = clientSchemas[call.name].safeParse(call.payload);
    if (!parsed.success) return fail('invalid_payload');
    const socket = remoteSocket(io, call);
    const ctx: HandlerContext = { socket, registry, playerId: call.playerId, username: call.username, chat, router };
    return (HANDLERS[call.name] as Handler<typeof call.name>)(ctx, parsed.data as ClientPayload<typeof call.name>);
  });
  router?.serve(here);
  io.on('connection', (socket) => {
    const { playerId, username } = socket.data;
    const log = logger.child({ socketId: socket.id, playerId });
    const bucket = new TokenBucket(rate.eventsPerSecond, rate.burst, Date.now());
    const ctx: HandlerContext = { socket, registry, playerId, username, chat, router };
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
      if (typeof ack === 'function' && bucket.take(Date.now())) (ack as (a: Refusal) => void)(fail(refusal.code, refusal.message));
    });
    const handle = <E extends ClientEventName>(name: E, payload: unknown, answer: (a: AckOf<E>) => void) => {
      const parsed = clientSchemas[name].safeParse(payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return answer(fail('invalid_payload', issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : undefined));
      }
      const failed = (error: unknown) => {
        log.error({ err: error, event: name }, 'handler failed');
        answer(fail('internal'));
      };
      // The handler starts synchronously, as the event arrived, so the table sees requests in arrival order.
      let reply: Promise<AckOf<E>> | AckOf<E>;
      const tableId = (parsed.data as { tableId?: string }).tableId;
      try {
        // A table this process does not run (and did not close) may run on another node: ask its owner.
        reply = router?.clustered && tableId !== undefined && !registry.get(tableId) && !registry.wasClosed(tableId)
          ? (forwardCall(socket, router, name, { ...parsed.data, tableId }) as Promise<AckOf<E>>)
          : (HANDLERS[name] as Handler<E>)(ctx, parsed.data as ClientPayload<E>);
      } catch (error) {
        return failed(error);
      }
      Promise.resolve(reply).then(answer, failed);
    };
    const receive: Receive = (name, payload, ack) => {
      if (typeof ack !== 'function') {
        metrics.rejected?.('invalid_payload');
        return;
      }
      const started = performance.now();
      const answer = (a: AckOf<typeof name>) => {
        if (!a.ok) metrics.rejected?.(a.error.code);
        metrics.ackLatency?.(performance.now() - started);
        ack(a);
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
    };
    for (const name of CLIENT_EVENTS) LISTEN[name](socket, receive);
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
  const tableId = table.config.tableId;
  void socket.join(tableRoom(tableId));
  // A fresh view (new seq) to the player's sockets rather than a copy of the last one: the socket may
  // already have that seq from another push (a takeover's restore, a resume from another node).
  table.notify({ type: 'player.refresh', playerId });
  table.notify({ type: 'player.presence', playerId, connected: true });
}

/**
 * The tables `playerId` sits at: here, plus (in a cluster) those on other nodes where they hold chips.
 * Two sits racing on two nodes may both pass, so the limit can be exceeded by one table per other node.
 */
async function tablesHeld(registry: TableRegistry, router: TableRouter | undefined, playerId: string): Promise<number> {
  const here = registry.tablesOf(playerId).length;
  return router?.clustered ? here + (await registry.seatedElsewhere(playerId)) : here;
}

function amountAt(table: TableHandle, raw: string): { ok: true; value: Chips } | { ok: false; ack: Refusal } {
  const parsed = parseAmount(raw, table.config.unit);
  if (parsed.ok) return parsed;
  return { ok: false, ack: fail('invalid_amount', `amount ${parsed.reason.replace(/_/g, ' ')} (unit ${table.config.unit.toString()})`) };
}

/** What every handler gets besides its validated payload. */
interface HandlerContext {
  socket: Socket;
  registry: TableRegistry;
  playerId: string;
  username: string;
  chat?: ChatRoom;
  router?: TableRouter;
}

/** A handler: the validated payload of event `E` in, the protocol's ack for `E` out. */
type Handler<E extends ClientEventName> = (ctx: HandlerContext, payload: ClientPayload<E>) => Promise<AckOf<E>> | AckOf<E>;

/** Events that name a table: the table must be live, else table_closed or table_not_found. */
type TableEventName = Exclude<ClientEventName, 'lobby:list'>;

/**
 * The table actor answers with the protocol's ack shapes (table/ builds them), but its handle types
 * replies loosely as `Ack<Record<string, unknown>>`; this is the one place where that reply is taken as
 * the event's ack type.
 */
function fromTable<E extends TableEventName>(reply: Promise<Ack<Record<string, unknown>>>): Promise<AckOf<E>> {
  return reply as Promise<unknown> as Promise<AckOf<E>>;
}

/** Wraps a table event's handler: looks the table up first. */
function atTable<E extends TableEventName>(
  run: (ctx: HandlerContext, table: TableHandle, payload: ClientPayload<E>) => Promise<AckOf<E>> | AckOf<E>,
): Handler<E> {
  return (ctx, payload) => {
    const tableId = (payload as { tableId: string }).tableId;
    const table = ctx.registry.get(tableId);
    if (!table) return fail(ctx.registry.wasClosed(tableId) ? 'table_closed' : 'table_not_found');
    // Past the lease deadline this node's copy of the table may be stale (another node may run it now):
    // it shows and changes nothing, as the actor itself refuses requests then (table-handle.ts).
    if (!table.leaseCurrent) return fail('lease_lost', LEASE_IN_DOUBT_MESSAGE);
    return run(ctx, table, payload);
  };
}

/** One handler per client event (a missing one is a compile error). */
const HANDLERS: { [E in ClientEventName]: Handler<E> } = {
  'lobby:list': async (ctx) => ({ ok: true, tables: ctx.router ? await ctx.router.lobby() : ctx.registry.list() }),
  'table:watch': atTable<'table:watch'>(async ({ socket, registry, playerId }, table, p) => {
    const room = socket.nsp.adapter.rooms.get(tableRoom(p.tableId));
    if (!socket.rooms.has(tableRoom(p.tableId)) && (room?.size ?? 0) >= PROTOCOL_LIMITS.maxViewersPerTable) return fail('too_many_viewers');
    const capped = watchRefusal(socket.nsp.server, socket, p.tableId, (id) => registry.get(id)?.isSeated(playerId) ?? false);
    if (capped) return fail(capped, 'This account already watches this table from too many sockets, or too many tables.');
    await socket.join(tableRoom(p.tableId));
    const cards = table.holeCards(playerId);
    if (cards) sendToSocket(socket, p.tableId, [{ type: 'hand:cards', payload: { tableId: p.tableId, ...cards } }]);
    return { ok: true, state: table.view(playerId) };
  }),
  'table:unwatch': atTable<'table:unwatch'>(async ({ socket }, _table, p) => {
    await socket.leave(tableRoom(p.tableId));
    return { ok: true };
  }),
  'table:sit': atTable<'table:sit'>(async ({ socket, registry, router, playerId, username }, table, sit) => {
    const amount = amountAt(table, sit.buyIn);
    if (!amount.ok) return amount.ack;
    if (!table.isSeated(playerId) && (await tablesHeld(registry, router, playerId)) >= PROTOCOL_LIMITS.maxTablesPerPlayer) return fail('too_many_tables');
    const ack = await fromTable<'table:sit'>(
      table.askOnce(playerId, sit.requestId, canonicalJson(sit), {
        type: 'seat.join', playerId, username, seat: sit.seat, buyIn: amount.value, requestId: sit.requestId,
      }),
    );
    if (ack.ok) await socket.join(tableRoom(sit.tableId));
    return ack;
  }),
  'table:topup': atTable<'table:topup'>(({ playerId }, table, top) => {
    const amount = amountAt(table, top.amount);
    if (!amount.ok) return amount.ack;
    return fromTable<'table:topup'>(table.askOnce(playerId, top.requestId, canonicalJson(top), { type: 'seat.topup', playerId, amount: amount.value, requestId: top.requestId }));
  }),
  'table:sitout': atTable<'table:sitout'>(({ playerId }, table) => fromTable(table.ask({ type: 'seat.sitout', playerId }))),
  'table:sitin': atTable<'table:sitin'>(({ playerId }, table) => fromTable(table.ask({ type: 'seat.sitin', playerId }))),
  'table:leave': atTable<'table:leave'>(({ playerId }, table, leave) =>
    fromTable<'table:leave'>(table.askOnce(playerId, leave.requestId, canonicalJson(leave), { type: 'seat.leave', playerId, requestId: leave.requestId })),
  ),
  // Protocol 2: the ack carries what the action sent this socket (see frame-broadcaster.ts).
  'table:act': atTable<'table:act'>(({ socket, playerId }, table, a) => answerWithFrame(socket, a.tableId, () => act(table, playerId, a))),
  'table:chat': atTable<'table:chat'>(({ socket, playerId, username, chat }, table, p) => {
    if (!chat) return fail('unavailable', 'chat is not enabled on this server');
    const watching = socket.rooms.has(tableRoom(p.tableId));
    return chat.say({ table, playerId, username, watching, text: p.text });
  }),
};

function act(table: TableHandle, playerId: string, a: ClientPayload<'table:act'>): Promise<AckOf<'table:act'>> | Refusal {
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
  return fromTable<'table:act'>(
    table.askOnce(playerId, a.requestId, canonicalJson(a), {
      type: 'player.act', playerId, handId: a.handId, action: a.action, ...(to ? { to } : {}), ...(a.turn !== undefined ? { turn: a.turn } : {}),
    }),
  );
}
