/**
 * Cross-node table calls. Each table runs in one actor somewhere in the cluster; a socket event for a
 * table this process does not run is sent to every node with the adapter's server-side emit and acks,
 * the owner answers with the actor's ack and every other node answers null at once. The answer goes
 * back on the client's socket within the same ack. Without a cluster adapter (standalone) nothing here
 * sends anything: every table is local or unknown.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { CLIENT_EVENTS, type Ack, type ClientEventName, type ProtocolVersion, type TableSummary } from '../../../shared/protocol';
import { errorBody, type ErrorCode } from '../../../shared/codes';
import type { FeltIo } from '../transport/io-server';

type AnyAck = Ack<Record<string, unknown>>;

/** A table event forwarded from the node holding the client's socket to the owner of the table. */
export interface RemoteCall {
  /** The owner the sender expects, or null when it asks whoever runs the table. */
  targetNode: string | null;
  tableId: string;
  playerId: string;
  username: string;
  role: 'player' | 'admin';
  name: ClientEventName;
  payload: Record<string, unknown>;
  /** Whether the client's socket is in the table's room (chat and watch rules use it). */
  watching: boolean;
  /** The client's socket (a room of its own on every node) and its wire protocol, so the owner answers it in kind. */
  socketId: string;
  protocol: ProtocolVersion;
}

/** What a node answers to a forwarded call: null when it does not run the table. */
export type RemoteAnswer = { nodeId: string; ack: AnyAck } | null;

/** The owner of a table, as the lease store reports it (D1's `ownerOf(ds, tableId)` shape). */
export type OwnerLookup = (tableId: string) => Promise<{ nodeId: string; epoch: string } | null>;

/** This node's side of the cluster calls, supplied by the transport and the registry. */
export interface LocalTables {
  /** True when this process runs the table's actor now. */
  runs(tableId: string): boolean;
  /** Executes a forwarded call on the local actor. */
  serve(call: RemoteCall): Promise<AnyAck>;
  /** This node's lobby entries. */
  lobby(): TableSummary[];
  /** Re-sends the player's seats and private views at this node's tables to the player's room. */
  resume(playerId: string): void;
  /** Tells this node's tables that the player has no socket left anywhere. */
  absent(playerId: string): void;
}

/** An operator's operation on a live table (the admin routes' TableControl), run where the table is. */
export type ControlOp = { op: 'close'; tableId: string; waitMs: number } | { op: 'reconfigure'; tableId: string };
/** What `close` or `reconfigure` answered; null from a node that does not run the table. */
export type ControlResult = 'closed' | 'closing' | 'not_found' | boolean;

/**
 * Longest a forwarded close waits for the table to finish closing. The adapter gives up on server-side
 * acks after 5 s, so the owner answers `closing` before that and the operator polls the table's status.
 */
export const REMOTE_CLOSE_WAIT_MS = 3_000;

/**
 * How long a forwarded call waits for the owner; past it a state-changing call is `outcome_unknown`.
 * The adapters also give up on server-side acks after their own 5 s, whichever comes first.
 */
export const FORWARD_TIMEOUT_MS = 5_000;
/**
 * How long a call waits for the node its lease names to start running the table (a new table placed on
 * another node is adopted at that node's next lease round), polling every ADOPTION_POLL_MS.
 */
export const ADOPTION_WAIT_MS = 3_000;
export const ADOPTION_POLL_MS = 200;
/** Most forwarded calls this node waits on at once; beyond it callers are told to retry. */
export const MAX_FORWARDS_IN_FLIGHT = 1_000;
/** Largest forwarded call accepted, in bytes of JSON (client payloads are capped at 16 KiB before this). */
export const MAX_FORWARD_BYTES = 32 * 1024;
/** Owners remembered between calls; a miss is looked up again. */
export const MAX_CACHED_OWNERS = 10_000;
/** Most lobby entries gathered from the whole cluster. */
export const MAX_LOBBY_ENTRIES = 2_000;

/** Events that change state: if their fate is unknown the client must not be told "nothing happened". */
const STATE_CHANGING: ReadonlySet<ClientEventName> = new Set(['table:sit', 'table:topup', 'table:leave', 'table:act', 'table:sitout', 'table:sitin', 'table:chat']);

const EVENTS = { control: 'felt:table-control', call: 'felt:table-call', owner: 'felt:table-owner', lobby: 'felt:lobby', resume: 'felt:resume', absent: 'felt:absent' } as const;

const fail = (code: ErrorCode, message?: string): AnyAck => ({ ok: false, error: errorBody(code, message) });

/** Sends table calls to the node that runs the table, and answers other nodes' calls for ours. */
export class TableRouter {
  private inFlight = 0;
  private readonly owners = new Map<string, string>();
  private local: LocalTables | null = null;

  constructor(
    private readonly io: FeltIo,
    readonly nodeId: string,
    private readonly logger: Logger,
    /** False for a standalone process: there is nobody to ask. */
    readonly clustered: boolean,
    /** The lease owner, when leases exist; otherwise the nodes are asked who runs the table. */
    private readonly ownerOf?: OwnerLookup,
  ) {}

  /** Answers other nodes' calls with `local`; call once, before clients connect. */
  serve(local: LocalTables): void {
    this.local = local;
    if (!this.clustered) return;
    const io = this.io as unknown as ServerSideIo;
    io.on(EVENTS.call, (call: RemoteCall, reply: (answer: RemoteAnswer) => void) => void this.answerCall(call, reply));
    io.on(EVENTS.owner, (tableId: string, reply: (nodeId: string | null) => void) => reply(typeof tableId === 'string' && local.runs(tableId) ? this.nodeId : null));
    io.on(EVENTS.lobby, (reply: (tables: TableSummary[]) => void) => reply(local.lobby().slice(0, MAX_LOBBY_ENTRIES)));
    io.on(EVENTS.resume, (playerId: string) => typeof playerId === 'string' && local.resume(playerId));
    io.on(EVENTS.absent, (playerId: string) => typeof playerId === 'string' && local.absent(playerId));
  }

  private async answerCall(call: RemoteCall, reply: (answer: RemoteAnswer) => void): Promise<void> {
    const local = this.local;
    if (!local || !isRemoteCall(call) || !local.runs(call.tableId)) return reply(null);
    if (call.targetNode !== null && call.targetNode !== this.nodeId) return reply(null);
    if (Buffer.byteLength(JSON.stringify(call), 'utf8') > MAX_FORWARD_BYTES) return reply({ nodeId: this.nodeId, ack: fail('payload_too_large') });
    try {
      reply({ nodeId: this.nodeId, ack: await local.serve(call) });
    } catch (error) {
      this.logger.error({ err: error, tableId: call.tableId, event: call.name }, 'forwarded table call failed');
      reply({ nodeId: this.nodeId, ack: fail('internal') });
    }
  }

  /** Runs operator operations forwarded by other nodes with `run` (null when the table is not here). */
  serveControl(run: (op: ControlOp) => Promise<ControlResult | null>): void {
    if (!this.clustered) return;
    (this.io as unknown as ServerSideIo).on(EVENTS.control, (op: ControlOp, reply: (answer: ControlResult | null) => void) => {
      if (!op || typeof op !== 'object' || typeof op.tableId !== 'string' || !this.local?.runs(op.tableId)) return reply(null);
      const bounded: ControlOp = op.op === 'close' ? { ...op, waitMs: Math.min(Number(op.waitMs) || 0, REMOTE_CLOSE_WAIT_MS) } : { op: 'reconfigure', tableId: op.tableId };
      run(bounded).then(reply, (error: unknown) => {
        this.logger.error({ err: error, op }, 'forwarded table operation failed');
        reply(null);
      });
    });
  }

  /** Runs an operator operation on the node that runs the table; null when no node does (or none answered). */
  async control(op: ControlOp): Promise<ControlResult | null> {
    if (!this.clustered) return null;
    const answers = await this.ask<ControlResult | null>(EVENTS.control, op);
    if (answers === 'timeout') return op.op === 'close' ? 'closing' : null;
    return answers.find((a) => a !== null && a !== undefined) ?? null;
  }

  /** Sends `call` to the table's owner and resolves with its ack (`table_not_found` when nobody runs it). */
  async forward(call: Omit<RemoteCall, 'targetNode'>): Promise<AnyAck> {
    if (!this.clustered) return fail('table_not_found');
    if (this.inFlight >= MAX_FORWARDS_IN_FLIGHT) return fail('rate_limited', 'this server is busy; try again');
    this.inFlight++;
    try {
      const adoptBy = Date.now() + ADOPTION_WAIT_MS;
      for (let attempt = 0; attempt === 0 || Date.now() < adoptBy; attempt++) {
        // The lease names a node that does not run the table yet (placed there a moment ago, or just
        // taken over and still recovering): it will within one lease round, so ask again shortly.
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, ADOPTION_POLL_MS));
        const owner = await this.owner(call.tableId, attempt > 0);
        if (owner === null) return fail('table_not_found');
        if (owner === this.nodeId) {
          // This node holds the lease and has started the table since the call arrived: serve it here.
          if (this.local?.runs(call.tableId)) return await this.local.serve({ ...call, targetNode: owner });
          continue;
        }
        const answers = await this.ask<RemoteAnswer>(EVENTS.call, { ...call, targetNode: owner });
        if (answers === 'timeout') {
          return STATE_CHANGING.has(call.name)
            ? fail('outcome_unknown', 'the table\'s server did not answer in time; the request may still take effect')
            : fail('internal', 'the table\'s server did not answer in time');
        }
        const found = answers.find((a): a is NonNullable<RemoteAnswer> => !!a && typeof a === 'object' && 'ack' in a);
        if (found) {
          // That node's lease lapsed: whoever holds the table next is looked up afresh on the retry.
          if (!found.ack.ok && found.ack.error.code === 'lease_lost') this.owners.delete(call.tableId);
          return found.ack;
        }
        // The owner we knew no longer runs the table (it moved or closed): look it up once more.
        this.owners.delete(call.tableId);
      }
      return fail('table_not_found');
    } finally {
      this.inFlight--;
    }
  }

  /** Every node's lobby entries, this one's included. */
  async lobby(): Promise<TableSummary[]> {
    const mine = this.local?.lobby() ?? [];
    if (!this.clustered) return mine;
    const answers = await this.ask<TableSummary[]>(EVENTS.lobby);
    const all = new Map(mine.map((t) => [t.tableId, t]));
    for (const list of answers === 'timeout' ? [] : answers) {
      if (!Array.isArray(list)) continue;
      for (const t of list) if (all.size < MAX_LOBBY_ENTRIES && !all.has(t.tableId)) all.set(t.tableId, t);
    }
    return [...all.values()];
  }

  /** Asks the other nodes to re-send this player's seats and private views (a socket connected here). */
  resumeElsewhere(playerId: string): void {
    if (this.clustered) emitToOtherNodes(this.io, [EVENTS.resume, playerId], () => undefined);
  }

  /** Tells the other nodes' tables that this player's last socket here went away. */
  absentElsewhere(playerId: string): void {
    if (this.clustered) emitToOtherNodes(this.io, [EVENTS.absent, playerId], () => undefined);
  }

  /** The node running `tableId`: the lease owner when leases exist, else whichever node says so (lowest id). */
  private async owner(tableId: string, fresh: boolean): Promise<string | null> {
    const cached = fresh ? undefined : this.owners.get(tableId);
    if (cached) return cached;
    let nodeId: string | null;
    if (this.ownerOf) {
      nodeId = (await this.ownerOf(tableId))?.nodeId ?? null;
    } else {
      const answers = await this.ask<string | null>(EVENTS.owner, tableId);
      const named = (answers === 'timeout' ? [] : answers).filter((a): a is string => typeof a === 'string').sort();
      nodeId = named[0] ?? null;
    }
    if (nodeId === null) return null;
    this.owners.set(tableId, nodeId);
    if (this.owners.size > MAX_CACHED_OWNERS) this.owners.delete(this.owners.keys().next().value!);
    return nodeId;
  }

  /** A server-side emit with acks to every other node, bounded by FORWARD_TIMEOUT_MS. */
  private ask<T>(event: string, ...args: unknown[]): Promise<T[] | 'timeout'> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => finish('timeout'), FORWARD_TIMEOUT_MS);
      timer.unref();
      const finish = (result: T[] | 'timeout') => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(result);
      };
      const onAnswers = (error: Error | null, responses: T[]) => {
        // A node that did not answer in time still leaves the others' answers: the owner's may be among them.
        if (error && !(responses ?? []).some((r) => r !== null)) return finish('timeout');
        finish(responses ?? []);
      };
      // Redis unreachable: the request never left, so fail now rather than at the timeout.
      emitToOtherNodes(this.io, [event, ...args, onAnswers], () => finish('timeout'));
    });
  }
}

/** The untyped server-side emit surface (FeltIo types only client events). */
interface ServerSideIo {
  on(event: string, listener: (...args: never[]) => void): void;
  of(namespace: '/'): { adapter: { serverSideEmit(packet: unknown[]): unknown } };
}

/**
 * Sends a server-side emit (`packet` is the event, its arguments and an optional ack callback) through the
 * namespace's adapter and handles the adapter's promise. `io.serverSideEmit` drops that promise, and the
 * Redis streams adapter's emit with an ack first asks Redis how many nodes there are (PUBSUB NUMSUB): when
 * redis-server died with that question in flight, the rejection went unhandled and ended the Felt process,
 * and the ack was never called. `onError` learns that the emit did not leave this node.
 */
export function emitToOtherNodes(io: unknown, packet: unknown[], onError: (error: unknown) => void): void {
  try {
    const sent = (io as ServerSideIo).of('/').adapter.serverSideEmit(packet);
    if (sent instanceof Promise) sent.catch(onError);
  } catch (error) {
    onError(error);
  }
}

// What another node may send us; the payload itself is checked again with the event's own schema.
const remoteCallSchema = z.object({
  targetNode: z.string().max(200).nullable(),
  tableId: z.string().max(100),
  playerId: z.string().max(100),
  username: z.string().max(100),
  role: z.enum(['player', 'admin']),
  name: z.enum(CLIENT_EVENTS as unknown as [ClientEventName, ...ClientEventName[]]),
  payload: z.record(z.string(), z.unknown()),
  watching: z.boolean(),
  socketId: z.string().max(100),
  protocol: z.union([z.literal(1), z.literal(2)]),
});

function isRemoteCall(call: unknown): call is RemoteCall {
  return remoteCallSchema.safeParse(call).success;
}
