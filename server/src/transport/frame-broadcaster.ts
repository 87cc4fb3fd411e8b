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
 */
import type { FrameItem, TableFrame, TableView, TurnNotice } from '../../../shared/protocol';
import { MAX_FRAME_ITEMS } from '../../../shared/protocol';
import type { TableBroadcaster } from '../table/table-types';
import type { FeltIo } from './io-server';
import { FRAME_ROOM, frameRoom } from './frame-rooms';
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
}

/** Publishes table output to both protocols' rooms (see the file comment). */
export function frameBroadcaster(io: FeltIo): TableBroadcaster {
  const batches = new Map<string, Batch>();
  const flush = (tableId: string) => {
    const batch = batches.get(tableId);
    batches.delete(tableId);
    if (batch) sendBatch(io, tableId, batch.entries);
  };
  const add = (tableId: string, entry: Entry) => {
    let batch = batches.get(tableId);
    if (!batch) {
      batch = { entries: [] };
      batches.set(tableId, batch);
      queueMicrotask(() => flush(tableId));
    } else if (batch.entries.length >= MAX_FRAME_ITEMS) {
      // A step that emits this much is split over several frames rather than building one without bound.
      flush(tableId);
      return add(tableId, entry);
    }
    batch.entries.push(entry);
  };
  const legacy = (rooms: string | string[]) => io.to(rooms).except(FRAME_ROOM);
  return {
    state(tableId, seated, viewFor, only) {
      const publicView = viewFor(null);
      const views = new Map((only ?? seated).map((playerId) => [playerId, viewFor(playerId)] as const));
      legacy(tableRoom(tableId)).except([...seated, ...views.keys()].map(playerRoom)).emit('table:state', publicView);
      for (const [playerId, view] of views) legacy(playerRoom(playerId)).emit('table:state', view);
      const publicItem: FrameItem = only ? { type: 'table:turn', payload: turnNotice(publicView) } : { type: 'table:state', payload: publicView };
      add(tableId, { to: 'state', seated, views, publicItem });
    },
    event(tableId, seated, msg) {
      legacy([tableRoom(tableId), ...seated.map(playerRoom)]).emit('hand:event', msg);
      add(tableId, { to: 'all', seated, item: { type: 'hand:event', payload: msg } });
    },
    result(tableId, seated, msg) {
      legacy([tableRoom(tableId), ...seated.map(playerRoom)]).emit('hand:result', msg);
      add(tableId, { to: 'all', seated, item: { type: 'hand:result', payload: msg } });
    },
    cards(playerId, msg) {
      legacy(playerRoom(playerId)).emit('hand:cards', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'hand:cards', payload: msg } });
    },
    openings(playerId, msg) {
      legacy(playerRoom(playerId)).emit('hand:openings', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'hand:openings', payload: msg } });
    },
    topUp(playerId, msg) {
      legacy(playerRoom(playerId)).emit('seat:topup', msg);
      add(msg.tableId, { to: 'player', playerId, item: { type: 'seat:topup', payload: msg } });
    },
  };
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
 * room and its seated players, except the players with private items, who get one frame each.
 */
function sendBatch(io: FeltIo, tableId: string, entries: Entry[]): void {
  const members = new Set<string>();
  const personal = new Set<string>();
  for (const entry of entries) {
    if (entry.to === 'player') personal.add(entry.playerId);
    else {
      for (const playerId of entry.seated) members.add(playerId);
      if (entry.to === 'state') for (const playerId of entry.views.keys()) personal.add(playerId);
    }
  }
  const frame = (items: Array<FrameItem | null>): TableFrame | null => {
    const present = items.filter((item): item is FrameItem => item !== null);
    return present.length > 0 ? { v: 2, tableId, items: present } : null;
  };
  const publicFrame = frame(entries.map(publicItemOf));
  if (publicFrame) {
    const rooms = [tableRoom(tableId), ...[...members].filter((p) => !personal.has(p)).map(playerRoom)].map(frameRoom);
    io.to(rooms).except([...personal].map((p) => frameRoom(playerRoom(p)))).emit('table:frame', publicFrame);
  }
  for (const playerId of personal) {
    const own = frame(entries.map((entry) => itemFor(entry, playerId)));
    if (own) io.to(frameRoom(playerRoom(playerId))).emit('table:frame', own);
  }
}
