/**
 * The frame broadcaster against a recording stand-in for Socket.IO's room broadcasts: which socket gets
 * what is worked out from room membership exactly as Socket.IO does it (in one of the rooms, in none
 * of the excepted ones, once per broadcast however many rooms match).
 */
import { MAX_FRAME_ITEMS, type TableView } from '../../../shared/protocol';
import type { FeltIo } from './io-server';
import { frameBroadcaster } from './frame-broadcaster';
import { FRAME_ROOM, frameRoom } from './frame-rooms';
import { playerRoom, tableRoom } from './socket-guards';

interface Broadcast {
  rooms: string[];
  except: string[];
  event: string;
  payload: unknown;
}

/** A stand-in io that records every broadcast. */
function recordingIo(): { io: FeltIo; sent: Broadcast[] } {
  const sent: Broadcast[] = [];
  const operator = (rooms: string[], except: string[]) => ({
    except: (more: string | string[]) => operator(rooms, [...except, ...([] as string[]).concat(more)]),
    emit: (event: string, payload: unknown) => {
      sent.push({ rooms, except, event, payload });
      return true;
    },
  });
  // An adapter that is not one of the local ones: the broadcaster cannot skip any protocol.
  const adapter = new (class RemoteAdapter {
    rooms = new Map<string, Set<string>>();
  })();
  const io = { to: (rooms: string | string[]) => operator(([] as string[]).concat(rooms), []), of: () => ({ adapter }) };
  return { io: io as unknown as FeltIo, sent };
}

/** The packets one socket in `rooms` received. */
function received(sent: Broadcast[], rooms: string[]): Broadcast[] {
  return sent.filter((b) => b.rooms.some((r) => rooms.includes(r)) && !b.except.some((r) => rooms.includes(r)));
}

const T = '00000000-0000-4000-8000-000000000001';
const view = (seq: number, you: string | null): TableView => ({ tableId: T, seq, turn: { seat: 1, deadline: 1, number: 2, timeBank: false }, you }) as unknown as TableView;
const viewFor = (seq: number) => (playerId: string | null) => view(seq, playerId);
const event = (seq: number) => ({ tableId: T, handId: 'h', seq, type: 'action' as const, seat: 0 });

/** Rooms of a socket of `playerId` (null: a watcher) on `protocol`. */
function socketRooms(playerId: string | null, protocol: 1 | 2): string[] {
  const rooms = [tableRoom(T), ...(playerId ? [playerRoom(playerId)] : [])];
  return protocol === 2 ? [...rooms, ...rooms.map(frameRoom), FRAME_ROOM] : rooms;
}

const flushed = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('frame broadcaster', () => {
  it('sends each protocol 2 socket at most one frame per step, the public part as one broadcast', async () => {
    const { io, sent } = recordingIo();
    const b = frameBroadcaster(io);
    const seated = ['a', 'b', 'c'];
    b.event(T, seated, event(10));
    b.event(T, seated, event(11));
    b.state(T, seated, viewFor(5), ['a', 'b']);
    await flushed();
    const frames = sent.filter((s) => s.event === 'table:frame');
    // One public broadcast (watchers and c) and one frame each for a and b.
    expect(frames).toHaveLength(3);
    for (const who of ['a', 'b', 'c', null]) expect(received(frames, socketRooms(who, 2))).toHaveLength(1);
    const [forA] = received(frames, socketRooms('a', 2));
    expect((forA!.payload as { items: Array<{ type: string }> }).items.map((i) => i.type)).toEqual(['hand:event', 'hand:event', 'table:state']);
    const [forWatcher] = received(frames, socketRooms(null, 2));
    expect((forWatcher!.payload as { items: Array<{ type: string }> }).items.map((i) => i.type)).toEqual(['hand:event', 'hand:event', 'table:turn']);
    // Protocol 2 sockets get no per-event message; protocol 1 sockets get no frame.
    expect(received(sent.filter((s) => s.event !== 'table:frame'), socketRooms('c', 2))).toEqual([]);
    expect(received(frames, socketRooms('c', 1))).toEqual([]);
  });

  it('keeps protocol 1 per-event messages and gives a player named but not seated one view, not two', () => {
    const { io, sent } = recordingIo();
    const b = frameBroadcaster(io);
    b.event(T, ['a'], event(3));
    b.state(T, ['a'], viewFor(7), ['a', 'gone']);
    const gone = received(sent, socketRooms('gone', 1)).filter((s) => s.event === 'table:state');
    expect(gone.map((s) => (s.payload as TableView).you)).toEqual(['gone']);
    expect(received(sent, socketRooms('a', 1)).map((s) => s.event)).toEqual(['hand:event', 'table:state']);
    expect(received(sent, socketRooms(null, 1)).map((s) => s.event)).toEqual(['hand:event', 'table:state']);
  });

  it('sends private items only to their owner, and a full state to every seated player as their own view', async () => {
    const { io, sent } = recordingIo();
    const b = frameBroadcaster(io);
    b.cards('a', { tableId: T, handId: 'h', cards: ['As', 'Kd'], commitment: 'c' });
    b.cards('b', { tableId: T, handId: 'h', cards: ['2c', '3d'], commitment: 'c' });
    b.state(T, ['a', 'b'], viewFor(9));
    await flushed();
    const frames = sent.filter((s) => s.event === 'table:frame');
    const itemsOf = (who: string | null) => received(frames, socketRooms(who, 2)).flatMap((f) => (f.payload as { items: Array<{ type: string; payload: { cards?: string[]; you?: string } }> }).items);
    expect(itemsOf('a').map((i) => i.payload.cards ?? i.payload.you)).toEqual([['As', 'Kd'], 'a']);
    expect(itemsOf('b').map((i) => i.payload.cards ?? i.payload.you)).toEqual([['2c', '3d'], 'b']);
    expect(itemsOf(null).map((i) => i.type)).toEqual(['table:state']);
    expect(itemsOf(null)[0]!.payload.you).toBeNull();
  });
});

describe('frame broadcaster, acting socket', () => {
  it('hands the acting socket its share instead of a frame, and leaves it out of every broadcast', () => {
    const { io, sent } = recordingIo();
    const b = frameBroadcaster(io);
    const { value, items } = b.actingFor({ tableId: T, socketId: 'sock-a', playerId: 'a' }, () => {
      b.event(T, ['a', 'b', 'c'], event(4));
      b.state(T, ['a', 'b', 'c'], viewFor(8), ['a', 'b']);
      return 'answered';
    });
    expect(value).toBe('answered');
    expect(items.map((i) => i.type)).toEqual(['hand:event', 'table:state']);
    // Flushed at once, not at the end of the tick: the ack is built from it.
    const frames = sent.filter((s) => s.event === 'table:frame');
    expect(received(frames, [...socketRooms('a', 2), 'sock-a'])).toEqual([]);
    for (const who of ['b', 'c', null]) expect(received(frames, socketRooms(who, 2))).toHaveLength(1);
    // Another socket of the same player still gets the frame.
    expect(received(frames, [...socketRooms('a', 2), 'sock-a2'])).toHaveLength(1);
  });
});

describe('frame broadcaster limits', () => {
  it('splits a step of more than MAX_FRAME_ITEMS messages over frames in order, losing none', async () => {
    const { io, sent } = recordingIo();
    const b = frameBroadcaster(io);
    const count = MAX_FRAME_ITEMS * 2 + 5;
    for (let seq = 1; seq <= count; seq++) b.event(T, ['a'], event(seq));
    await flushed();
    const frames = received(sent.filter((s) => s.event === 'table:frame'), socketRooms('a', 2));
    expect(frames).toHaveLength(3);
    const seqs = frames.flatMap((f) => (f.payload as { items: Array<{ payload: { seq: number } }> }).items.map((i) => i.payload.seq));
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });
});
