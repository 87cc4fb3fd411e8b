/**
 * Fake ports for driving the table machine without PostgreSQL or sockets: an in-memory ledger that
 * keeps seat balances the way the real one does, a broadcaster that records every message, a fixed
 * seed and a clock the test moves. Used by server/src/table/*.test.ts (unit project).
 */
import pino from 'pino';
import { SimulatedClock } from 'xstate';
import { chips, type Chips, ZERO } from '../../shared/money';
import type { LedgerPort, SeatMove, TableBroadcaster, TableConfig, TableDeps, TableHistoryPort } from '../../server/src/table/table-types';
import { createTableActor, type TableActor } from '../../server/src/table/table-machine';
import type { Ack } from '../../shared/protocol';

/** One recorded port call. */
export interface Call {
  port: 'ledger' | 'broadcaster';
  name: string;
  args: unknown[];
}

/** A no-limit table with blinds 1/2, buy-ins 50..200, no rake. */
export function fakeConfig(change: Partial<TableConfig> = {}): TableConfig {
  return {
    tableId: '00000000-0000-4000-8000-000000000001',
    name: 'fake',
    variant: 'NT',
    maxSeats: 6,
    unit: chips(1),
    smallBlind: chips(1),
    bigBlind: chips(2),
    ante: ZERO,
    minBuyIn: chips(50),
    maxBuyIn: chips(200),
    rakePercent: ZERO,
    rakeCap: ZERO,
    actionTimeoutMs: 10_000,
    timeBankMs: 0,
    ...change,
  };
}

/**
 * An in-memory ledger and history store: seat balances per player, stored hand events, every call
 * recorded; `failSettle` refuses settlements. It serves as both the money and the history port.
 */
export class FakeLedger implements LedgerPort, TableHistoryPort {
  readonly seatBalances = new Map<string, Chips>();
  readonly calls: Call[] = [];
  readonly storedEvents: Array<{ handId: string; seq: number; type: string }> = [];
  failSettle = false;
  private transfers = 0;
  private hands = 0;

  private record(name: string, ...args: unknown[]): void {
    this.calls.push({ port: 'ledger', name, args });
  }

  private move(playerId: string, amount: Chips): SeatMove {
    const seatBalance = (this.seatBalances.get(playerId) ?? ZERO).plus(amount);
    this.seatBalances.set(playerId, seatBalance);
    return { transferId: `transfer-${++this.transfers}`, seatBalance, replayed: false };
  }

  buyIn = async (p: { playerId: string; amount: Chips }) => (this.record('buyIn', p), this.move(p.playerId, p.amount));
  topUp = async (p: { playerId: string; amount: Chips }) => (this.record('topUp', p), this.move(p.playerId, p.amount));
  cashOut = async (p: { playerId: string }) => {
    this.record('cashOut', p);
    const amount = this.seatBalances.get(p.playerId) ?? ZERO;
    this.seatBalances.delete(p.playerId);
    return { amount, replayed: false };
  };
  startHand: LedgerPort['startHand'] = async (p) => {
    this.record('startHand', p);
    const handId = `00000000-0000-4000-8000-${String(++this.hands).padStart(12, '0')}`;
    for (const e of p.events) this.storedEvents.push({ handId, seq: e.seq, type: e.type });
    return { handId };
  };
  settleHand: LedgerPort['settleHand'] = async (p) => {
    this.record('settleHand', p);
    if (this.failSettle) throw new Error('settlement refused by the fake ledger');
    // As the real ledger does: the hand's remaining history is stored with its settlement.
    for (const e of p.events) this.storedEvents.push({ handId: p.handId, seq: e.seq, type: e.type });
    const seatBalances: Record<string, string> = {};
    for (const d of p.deltas) seatBalances[d.playerId] = this.move(d.playerId, d.amount).seatBalance.toString();
    return { seatBalances };
  };
  voidHand: LedgerPort['voidHand'] = async (p) => {
    this.record('voidHand', p);
    for (const e of p.events) this.storedEvents.push({ handId: p.handId, seq: e.seq, type: e.type });
  };
  markClosed: TableHistoryPort['markClosed'] = async (tableId) => this.record('markClosed', tableId);
}

/** A broadcaster that records every message, with the view each recipient got resolved. */
export class RecordingBroadcaster implements TableBroadcaster {
  readonly calls: Call[] = [];
  state: TableBroadcaster['state'] = (tableId, seated, viewFor, only) => {
    const views = Object.fromEntries((only ?? seated).map((p) => [p, viewFor(p)]));
    this.calls.push({ port: 'broadcaster', name: 'state', args: [tableId, { watcher: viewFor(null), ...views }] });
  };
  event: TableBroadcaster['event'] = (_t, _s, msg) => void this.calls.push({ port: 'broadcaster', name: 'event', args: [msg] });
  cards: TableBroadcaster['cards'] = (playerId, msg) => void this.calls.push({ port: 'broadcaster', name: 'cards', args: [playerId, msg] });
  topUp: TableBroadcaster['topUp'] = (playerId, msg) => void this.calls.push({ port: 'broadcaster', name: 'topUp', args: [playerId, msg] });
  result: TableBroadcaster['result'] = (_t, _s, msg) => void this.calls.push({ port: 'broadcaster', name: 'result', args: [msg] });
  openings: TableBroadcaster['openings'] = (playerId, msg) => void this.calls.push({ port: 'broadcaster', name: 'openings', args: [playerId, msg] });

  /** The recorded messages of one kind. */
  named(name: string): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }
}

/** A table machine with fake ports and a simulated clock for its timers and for `deps.now`. */
export interface FakeTable {
  actor: TableActor;
  ledger: FakeLedger;
  broadcaster: RecordingBroadcaster;
  clock: SimulatedClock;
  deps: TableDeps;
  /** Sends a request event and returns its answer (after the actor and its promise actors settle). */
  ask(event: Record<string, unknown> & { type: string }): Promise<Ack<Record<string, unknown>>>;
}

/** Ports for a fake table; `seedByte` fills the 32-byte deck seed, so every run deals the same cards. */
export function fakeDeps(clock: SimulatedClock, seedByte = 7): { deps: TableDeps; ledger: FakeLedger; broadcaster: RecordingBroadcaster } {
  const ledger = new FakeLedger();
  const broadcaster = new RecordingBroadcaster();
  const deps: TableDeps = {
    ledger,
    history: ledger,
    broadcaster,
    randomSeed: () => new Uint8Array(32).fill(seedByte),
    now: () => clock.now(),
    logger: pino({ level: 'silent' }),
    handPauseMs: 1_000,
    seatTimers: { disconnectSitOutMs: 60_000, sitOutStandUpMs: 600_000 },
  };
  return { deps, ledger, broadcaster };
}

/** Lets promise actors (fake ledger calls) finish and their results reach the actor. */
export async function settleAsync(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Starts a table machine on fake ports. Stop it with `actor.stop()`. */
export function startFakeTable(config = fakeConfig(), seedByte = 7): FakeTable {
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const { deps, ledger, broadcaster } = fakeDeps(clock, seedByte);
  const actor = createTableActor({ config, deps, lastHandNumber: 0 }, { clock });
  actor.start();
  const ask = async (event: Record<string, unknown> & { type: string }) => {
    let answer: Ack<Record<string, unknown>> | undefined;
    actor.send({ ...event, reply: (a: Ack<Record<string, unknown>>) => (answer = a) } as never);
    await settleAsync();
    if (!answer) throw new Error(`no answer to ${event.type}`);
    return answer;
  };
  return { actor, ledger, broadcaster, clock, deps, ask };
}
