/**
 * The table broadcaster: how table actors' output reaches sockets, over Socket.IO rooms only (so an
 * adapter can carry every broadcast to other nodes).
 *
 * Protocol 1 sockets get every message as its own event, at once, as they always did. For protocol 2
 * sockets, everything a table emits during one synchronous step of its actor is buffered and flushed
 * once, at the end of the step (a microtask), as at most one `table:frame` per socket. The part every
 * viewer may see is encoded once per table and sent as one room broadcast to everyone without private
 * items; only the players with private items (their own view, hole cards, openings, top-up notices)
 * get frames of their own. Frames per action, not bytes, dominated the server's cost (writev).
 * A protocol 2 socket's own action (`table:act`) is answered with its share in the ack itself, so the
 * acting socket gets no frame for that step at all (see `actingFor`).
 */
import type { Ack, FrameItem, TableFrame, TableView, TurnNotice } from '../../../shared/protocol';
import { MAX_FRAME_ITEMS } from '../../../shared/protocol';
import type { TableBroadcaster } from '../table/table-types';
import type { FeltIo } from './io-server';
import { FRAME_ROOM, frameRoom, othersInRoom, protocolInUse, speaksFrames } from './frame-rooms';
import { playerRoom, tableRoom } from './socket-guards';

/**
 * One call of the broadcaster, kept until the step ends. `all`: to everyone at the table; `player`: to
 * one player's sockets; `state`: a personal view to each player in `views`, and to everyone else the
 * public view, or only the turn notice when the call named its recipients (`only`).
 */
type Entry =
  | { to: 'all'; seated: string[]; item: FrameItem }
  | { to: 'player'; playerId: string; item: FrameItem }
  | { to: 'state'; seated: string[]; views: Map<string, TableView>; publicItem: FrameItem };

/** Everything one table emitted in the current step. */
interface Batch {
  entries: Entry[];
  /** The socket whose request caused the step: its share goes into its ack, not into a frame. */
  origin: Origin | null;
}

/** The protocol 2 socket a step is run for, and where its share of the step's frames is collected. */
interface Origin {
  tableId: string;
  socketId: string;
  playerId: string;
  items: FrameItem[];
}

/** The table broadcaster plus the hook the socket handlers use to answer an action with its frame. */
export interface FrameBroadcaster extends TableBroadcaster {
  /**
   * Runs `step` (which sends one event to the table actor of `tableId`) for a protocol 2 socket and
   * returns its result with what that socket would have got as a frame; the socket gets no frame then.
   */
  actingFor<T>(origin: { tableId: string; socketId: string; playerId: string }, step: () => T): { value: T; items: FrameItem[] };
}

// The socket handlers find the broadcaster of their io server here; the io server outlives neither.
const broadcasters = new WeakMap<FeltIo, FrameBroadcaster>();

type Socket = Parameters<Parameters<FeltIo['on']>[1]>[0];
type AnyAck = Ack<Record<string, unknown>>;

/**
 * Runs a socket's table request (one synchronous send to the table actor, then its answer). For a
 * protocol 2 socket, what the step sent that socket comes back in the ack as `frame` instead of as a
 * frame of its own; a refusal that somehow came with items gets them as a frame, so nothing is lost.
 */
export async function answerWithFrame<A extends AnyAck>(socket: Socket, tableId: string, request: () => Promise<A> | A): Promise<A> {
  const broadcaster = broadcasters.get(socket.nsp.server);
  if (!broadcaster || !speaksFrames(socket)) return request();
  const { value, items } = broadcaster.actingFor({ tableId, socketId: socket.id, playerId: socket.data.playerId }, request);
  const ack = await value;
  if (items.length === 0) return ack;
  const frame: TableFrame = { v: 2, tableId, items };
  // The `frame` field is part of every ok ack in protocol 2 (shared/protocol.ts), so the ack keeps its type.
  if (ack.ok) return { ...ack, frame } as A;
  socket.emit('table:frame', frame);
  return ack;
}

/** Each table's entries of the current step, and the socket a step is run for. */
class StepBatches {
  private readonly batches = new Map<string, Batch>();
  private origin: Origin | null = null;

  constructor(private readonly io: FeltIo) {}

  /** Buffers `entry` for the end of the step (a microtask), or flushes first when the batch is full. */
  add(tableId: string, entry: Entry): void {
    let batch = this.batches.get(tableId);
    if (batch && batch.entries.length >= MAX_FRAME_ITEMS) {
      // A step that emits this much is split over several frames rather than building one without bound.
      this.flush(tableId, batch);
      batch = undefined;
    }
    if (!batch) {
      const fresh: Batch = { entries: [], origin: this.origin?.tableId === tableId ? this.origin : null };
      this.batches.set(tableId, fresh);
      queueMicrotask(() => this.flush(tableId, fresh));
      batch = fresh;
    }
    batch.entries.push(entry);
  }

  /** See `FrameBroadcaster.actingFor`. */
  actingFor<T>(who: { tableId: string; socketId: string; playerId: string }, step: () => T): { value: T; items: FrameItem[] } {
    // Whatever the table emitted earlier in this tick belongs to another step: out it goes first.
    this.flush(who.tableId, this.batches.get(who.tableId));
    const mine: Origin = { ...who, items: [] };
    this.origin = mine;
    try {
      const value = step();
      this.flush(who.tableId, this.batches.get(who.tableId));
      return { value, items: mine.items };
    } finally {
      this.origin = null;
    }
  }

  // Each batch flushes itself once; a batch flushed early (full) is not flushed again by its microtask.
  private flush(tableId: string, batch: Batch | undefined): void {
    if (!batch || this.batches.get(tableId) !== batch) return;
    this.batches.delete(tableId);
    if (protocolInUse(this.io, 2)) sendBatch(this.io, tableId, batch.entries, batch.origin);
  }
}

/** Publishes table output to both protocols' rooms (see the file comment). */
export function frameBroadcaster(io: FeltIo): FrameBroadcaster {
  const steps = new StepBatches(io);
  const add = (tableId: string, entry: Entry) => steps.add(tableId, entry);
  const legacy = (rooms: string | string[]) => io.to(rooms).except(FRAME_ROOM);
  // A broadcast is encoded even when no socket takes it; on a single node it is known when none will.
  const eventClients = () => protocolInUse(io, 1);
  const broadcaster: FrameBroadcaster = {
    actingFor: (who, step) => steps.actingFor(who, step),
    state(tableId, seated, viewFor, only) {
      const publicView = viewFor(null);
      const views = new Map((only ?? seated).map((playerId) => [playerId, viewFor(playerId)] as const));
      if (eventClients()) {
        legacy(tableRoom(tableId)).except([...seated, ...views.keys()].map(playerRoom)).emit('table:state', publicView);
        for (const [playerId, view] of views) legacy(playerRoom(playerId)).emit('table:state', view);
      }
      const publicItem: FrameItem = only ? { type: 'table:turn', payload: turnNotice(publicView) } : { type: 'table:state', payload: publicView };
      add(tableId, { to: 'state', seated, views, publicItem });
    },
    event(tableId, seated, msg) {
      if (eventClients()) legacy([tableRoom(tableId), ...seated.map(playerRoom)]).emit('hand:event', msg);
      add(tableId, { to: 'all', seated, item: { type: 'hand:event', payload: msg } });
    },
    result(tableId, seated, msg) {
      if (eventClients()) legacy([tableRoom(tableId), ...seated.map(playerRoom)]).emit('hand:result', msg);
      add(tableId, { to: 'all', seated, item: { type: 'hand:result', payload: msg } });
    },
    cards(playerId, msg) {
      if (eventClients()) legacy(playerRoom(playerId)).emit('hand:cards', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'hand:cards', payload: msg } });
    },
    openings(playerId, msg) {
      if (eventClients()) legacy(playerRoom(playerId)).emit('hand:openings', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'hand:openings', payload: msg } });
    },
    topUp(playerId, msg) {
      if (eventClients()) legacy(playerRoom(playerId)).emit('seat:topup', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'seat:topup', payload: msg } });
    },
  };
  broadcasters.set(io, broadcaster);
  return broadcaster;
}

/** The turn part of a public view, for sockets that follow the hand through its events. */
function turnNotice(view: TableView): TurnNotice {
  return { tableId: view.tableId, handId: view.handId, seq: view.seq, turn: view.turn };
}

/** What a socket that is not one of `playerId`'s gets from `entry` (a watcher, or a seated player without private items). */
function publicItemOf(entry: Entry): FrameItem | null {
  if (entry.to === 'all') return entry.item;
  if (entry.to === 'state') return entry.publicItem;
  return null;
}

/** What `playerId`'s sockets get from `entry`: their own view or message, else the public item. */
function itemFor(entry: Entry, playerId: string): FrameItem | null {
  if (entry.to === 'player') return entry.playerId === playerId ? entry.item : null;
  if (entry.to === 'state') {
    const view = entry.views.get(playerId);
    if (view) return { type: 'table:state', payload: view };
  }
  return publicItemOf(entry);
}

/**
 * Sends one step's entries to protocol 2 sockets: one broadcast of the public items to the table's
 * room and its seated players, except the players with private items, who get one frame each. The
 * origin socket (if any) is left out of every broadcast and collects its share instead.
 */
function sendBatch(io: FeltIo, tableId: string, entries: Entry[], origin: Origin | null): void {
  const members = new Set<string>();
  const personal = new Set<string>();
  for (const entry of entries) {
    if (entry.to === 'player') personal.add(entry.playerId);
    else {
      for (const playerId of entry.seated) members.add(playerId);
      if (entry.to === 'state') for (const playerId of entry.views.keys()) personal.add(playerId);
    }
  }
  const present = (items: Array<FrameItem | null>) => items.filter((item): item is FrameItem => item !== null);
  const frame = (items: FrameItem[]): TableFrame => ({ v: 2, tableId, items });
  const skip = origin ? [origin.socketId] : [];
  const publicItems = present(entries.map(publicItemOf));
  if (publicItems.length > 0) {
    const rooms = [tableRoom(tableId), ...[...members].filter((p) => !personal.has(p)).map(playerRoom)].map(frameRoom);
    io.to(rooms).except([...[...personal].map((p) => frameRoom(playerRoom(p))), ...skip]).emit('table:frame', frame(publicItems));
  }
  for (const playerId of personal) {
    const own = present(entries.map((entry) => itemFor(entry, playerId)));
    if (own.length === 0) continue;
    if (origin?.playerId === playerId) {
      origin.items.push(...own);
      // The player's other sockets, if any, still get the frame.
      if (othersInRoom(io, frameRoom(playerRoom(playerId)), origin.socketId)) io.to(frameRoom(playerRoom(playerId))).except(skip).emit('table:frame', frame(own));
    } else io.to(frameRoom(playerRoom(playerId))).emit('table:frame', frame(own));
  }
  if (origin && !personal.has(origin.playerId)) origin.items.push(...publicItems);
}
