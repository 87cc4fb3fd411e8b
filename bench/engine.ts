/**
 * Cost of the pure hand engine per action and per hand: `npm run bench:engine`.
 *
 * Workload: BENCH_HANDS hands (default 3000), 6-max, 80% no-limit hold'em (NT), 10% pot-limit Omaha (PO),
 * 10% fixed-limit (FT). Every deck comes from `shuffle` with a seed = sha256("felt-bench-engine-v1:<hand>"),
 * stacks from the same hash. Actions are chosen once, before any timing, by a deterministic policy over
 * `legalActions` (a sha256 byte stream decides fold/check/call/bet/raise/all-in), and recorded. The timed
 * loop then replays the recorded actions the way the table server drives the engine: `startWithEvents`,
 * then per action `legalActions` (the server builds the player view from it) and `apply`, then `result`.
 *
 * Baseline, timed in the same process and rounds: "immutable-decimal-floor", the least work any immutable,
 * decimal.js engine must do per action — copy the six seat records, move the chips with one `minus` and one
 * `plus`, and format the amount for the event. The engine's cost divided by it (`floorRatio`) is how many
 * "unavoidable steps" one action costs; unlike raw microseconds it barely moves with machine load, which
 * matters on a 2-core machine shared with PostgreSQL and the bots.
 *
 * BENCH_ENGINE_REF=/path/to/shared/engine/hand.ts adds a reference engine (e.g. an older commit exported with
 * `git archive`, with node_modules linked next to it): it replays the same hands, must produce identical
 * events and results (a differential check of behaviour), and is timed in alternating rounds.
 * Results go to bench/results/engine.json; each run appends its headline figures (named by BENCH_LABEL) to the
 * file's `history`, so earlier measurements stay next to the latest. No timing is asserted.
 * Environment: BENCH_HANDS (default 3000), BENCH_ROUNDS (default 5), BENCH_ENGINE_REF (optional), BENCH_LABEL.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Chips, formatAmount } from '../shared/money';
import type * as HandModule from '../shared/engine/hand';
import type * as MoneyModule from '../shared/money';
import { shuffle } from '../shared/engine/shuffle';
import type { Card } from '../shared/engine/cards';
import type { HandConfig, HandState, PlayerAction, Variant } from '../shared/engine/types';

const HANDS = Number(process.env.BENCH_HANDS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REF = process.env.BENCH_ENGINE_REF;
/** BENCH_ONLY=replay times only the engine replay (no floor, no digest): for `node --cpu-prof`. */
const ONLY_REPLAY = process.env.BENCH_ONLY === 'replay';
const SEATS = 6;
const OUT = path.join(__dirname, 'results', 'engine.json');

/** An engine under test: its hand module and the money module its amounts must come from. */
interface Engine {
  name: string;
  hand: typeof HandModule;
  money: typeof MoneyModule;
}

/** A recorded hand in engine-neutral form (amounts as strings), so each engine gets its own Decimals. */
interface RecordedHand {
  variant: Variant;
  stacks: string[];
  button: number;
  deck: Card[];
  actions: { seat: number; type: PlayerAction['type']; to?: string }[];
}

/** A hand converted for one engine, ready to replay without any conversion inside the timed loop. */
interface PreparedHand {
  config: HandConfig;
  seats: { seat: number; stack: Chips }[];
  button: number;
  deck: Card[];
  actions: PlayerAction[];
}

/** sha256 of a label, extended block by block: the deterministic choice source of one hand. */
class ByteStream {
  private block = Buffer.alloc(0);
  private pos = 0;
  private counter = 0;
  constructor(private readonly label: string) {}
  next(): number {
    if (this.pos >= this.block.length) {
      this.block = createHash('sha256').update(`${this.label}#${this.counter++}`).digest();
      this.pos = 0;
    }
    return this.block[this.pos++]!;
  }
}

function configFor(variant: Variant, money: typeof MoneyModule): HandConfig {
  const c = money.chips;
  return {
    variant, unit: c(1), smallBlind: c(1), bigBlind: c(2), ante: money.ZERO, minBet: c(2),
    smallBet: c(2), bigBet: c(4), rakePercent: c(5), rakeCap: c(6),
  };
}

function variantOf(hand: number): Variant {
  const k = hand % 10;
  return k === 3 ? 'PO' : k === 7 ? 'FT' : 'NT';
}

/** The policy: passive often enough that many hands reach the river, aggressive enough for side pots. */
function chooseAction(state: HandState, engine: Engine, bytes: ByteStream): PlayerAction {
  const la = engine.hand.legalActions(state)!;
  const roll = bytes.next();
  const raise = la.canBet ? 'bet' : 'raise';
  if (la.minTo && la.maxTo) {
    if (roll < 8) return { seat: la.seat, type: raise, to: la.maxTo };
    if (roll < 40) return { seat: la.seat, type: raise, to: la.minTo };
    if (roll < 56) {
      const unit = state.config.unit;
      const steps = la.maxTo.minus(la.minTo).div(unit).mul(bytes.next()).div(1024).floor();
      return { seat: la.seat, type: raise, to: la.minTo.plus(steps.mul(unit)) };
    }
  }
  if (la.canCheck) return { seat: la.seat, type: 'check' };
  return { seat: la.seat, type: roll < 120 ? 'fold' : 'call' };
}

/** Plays every hand once with the policy and records deck, stacks and actions. */
function record(engine: Engine): RecordedHand[] {
  const hands: RecordedHand[] = [];
  for (let h = 0; h < HANDS; h++) {
    const seed = createHash('sha256').update(`felt-bench-engine-v1:${h}`).digest();
    const deck = shuffle(new Uint8Array(seed));
    const bytes = new ByteStream(seed.toString('hex'));
    const stacks = Array.from({ length: SEATS }, () => String(40 + 2 * bytes.next()));
    const variant = variantOf(h);
    const button = h % SEATS;
    const seats = stacks.map((s, seat) => ({ seat, stack: engine.money.chips(s) }));
    let state = engine.hand.start(configFor(variant, engine.money), seats, button, deck);
    const actions: RecordedHand['actions'] = [];
    while (!engine.hand.isComplete(state)) {
      const a = chooseAction(state, engine, bytes);
      const r = engine.hand.apply(state, a);
      if (!r.ok) throw new Error(`hand ${h}: the policy chose an illegal action: ${r.message}`);
      actions.push({ seat: a.seat, type: a.type, ...(a.to ? { to: a.to.toString() } : {}) });
      state = r.state;
    }
    hands.push({ variant, stacks, button, deck, actions });
  }
  return hands;
}

function prepare(hands: RecordedHand[], engine: Engine): PreparedHand[] {
  const c = engine.money.chips;
  return hands.map((h) => ({
    config: configFor(h.variant, engine.money),
    seats: h.stacks.map((s, seat) => ({ seat, stack: c(s) })),
    button: h.button,
    deck: h.deck,
    actions: h.actions.map((a) => ({ seat: a.seat, type: a.type, ...(a.to ? { to: c(a.to) } : {}) })),
  }));
}

/** The timed loop: what the table server asks of the engine for each hand. Returns a checksum. */
function replay(engine: Engine, hands: PreparedHand[]): number {
  const { startWithEvents, legalActions, apply, result } = engine.hand;
  let sink = 0;
  for (const h of hands) {
    let state = startWithEvents(h.config, h.seats, h.button, h.deck).state;
    for (const a of h.actions) {
      sink += legalActions(state)!.seat;
      const r = apply(state, a);
      if (!r.ok) throw new Error(`replay refused an action: ${r.message}`);
      sink += r.events.length;
      state = r.state;
    }
    sink += result(state).pots.length;
  }
  return sink;
}

/** The baseline: per action, copy the seats, move chips with one minus and one plus, format the amount. */
function floor(engine: Engine, hands: PreparedHand[]): number {
  let sink = 0;
  for (const h of hands) {
    let seats = h.seats.map((s) => ({ seat: s.seat, startingStack: s.stack, stack: s.stack, streetBet: engine.money.ZERO,
      contributed: engine.money.ZERO, folded: false, allIn: false, hole: h.deck.slice(0, 2), acted: false, pending: false }));
    const amount = h.config.bigBlind;
    for (let k = 0; k < h.actions.length; k++) {
      seats = seats.map((s) => ({ ...s }));
      const s = seats[k % SEATS]!;
      s.stack = s.stack.minus(amount);
      s.contributed = s.contributed.plus(amount);
      sink += formatAmount(amount, h.config.unit).length;
    }
  }
  return sink;
}

/** Everything observable at the end of each hand, hashed: equal digests = identical behaviour. */
function digest(engine: Engine, hands: PreparedHand[]): string {
  const hash = createHash('sha256');
  for (const h of hands) {
    let state = engine.hand.startWithEvents(h.config, h.seats, h.button, h.deck).state;
    const stepEvents: unknown[] = [];
    for (const a of h.actions) {
      const r = engine.hand.apply(state, a);
      if (!r.ok) throw new Error(`digest: refused ${r.message}`);
      stepEvents.push(r.events);
      state = r.state;
    }
    hash.update(JSON.stringify({ events: state.events, stepEvents, result: engine.hand.result(state) }));
  }
  return hash.digest('hex');
}

async function loadEngine(name: string, handPath: string): Promise<Engine> {
  const hand = (await import(handPath)) as typeof HandModule;
  const money = (await import(path.join(path.dirname(handPath), '..', 'money'))) as typeof MoneyModule;
  return { name, hand, money };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs the benchmark and writes bench/results/engine.json. */
async function main(): Promise<void> {
  const ours = await loadEngine('ours', path.join(__dirname, '..', 'shared', 'engine', 'hand'));
  const engines = [ours, ...(REF ? [await loadEngine('reference', path.resolve(REF))] : [])];
  const recorded = record(ours);
  const actions = recorded.reduce((n, h) => n + h.actions.length, 0);
  const prepared = new Map(engines.map((e) => [e.name, prepare(recorded, e)]));
  const digests = Object.fromEntries(engines.map((e) => [e.name, ONLY_REPLAY ? '' : digest(e, prepared.get(e.name)!)]));
  if (new Set(Object.values(digests)).size !== 1) throw new Error(`engines disagree: ${JSON.stringify(digests)}`);
  const names = [...engines.map((e) => e.name), ...(ONLY_REPLAY ? [] : ['floor'])];
  const times = new Map<string, { cpu: number[]; wall: number[] }>(names.map((n) => [n, { cpu: [], wall: [] }]));
  let sink = 0;
  for (let r = -1; r < ROUNDS; r++) {
    // Round -1 warms every contender up and is not recorded; the order alternates so no contender always runs first.
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const engine = engines.find((e) => e.name === name) ?? ours;
      const hands = prepared.get(engine.name)!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      sink += name === 'floor' ? floor(engine, hands) : replay(engine, hands);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (r >= 0) {
        times.get(name)!.cpu.push((cpu.user + cpu.system) / 1000);
        times.get(name)!.wall.push(wall);
      }
    }
  }
  // CPU time of this process is the headline: on a shared 2-core machine wall time mostly measures the neighbours.
  const floorBest = ONLY_REPLAY ? NaN : Math.min(...times.get('floor')!.cpu);
  const report = (name: string) => {
    const { cpu, wall } = times.get(name)!;
    const best = Math.min(...cpu);
    return {
      usPerAction: round2((best * 1000) / actions), usPerHand: round2((best * 1000) / HANDS),
      medianUsPerAction: round2((median(cpu) * 1000) / actions), floorRatio: round2(best / floorBest),
      wallUsPerAction: round2((Math.min(...wall) * 1000) / actions), cpuMs: cpu.map(Math.round), wallMs: wall.map(Math.round),
    };
  };
  const contenders = Object.fromEntries(names.map((name) => [name, report(name)]));
  const previous = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as { history?: unknown[] }) : {};
  const result = {
    hands: HANDS, actions, rounds: ROUNDS, variants: 'NT 80% / PO 10% / FT 10%, 6-max, 5% rake capped at 6',
    timing: 'process CPU time (user + system), best round; wall time alongside',
    baseline: 'floor = per action: copy 6 seat records + one Decimal minus + one plus + formatAmount',
    digest: digests.ours, contenders,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map(round2), node: process.version },
    date: new Date().toISOString(),
    history: [
      ...(previous.history ?? []),
      {
        label: process.env.BENCH_LABEL ?? 'run', date: new Date().toISOString(), hands: HANDS, actions,
        ...Object.fromEntries(names.map((n) => [n, { usPerAction: contenders[n]!.usPerAction, usPerHand: contenders[n]!.usPerHand, floorRatio: contenders[n]!.floorRatio }])),
      },
    ],
    sink: sink % 1000,
  };
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ hands: HANDS, actions, contenders: Object.fromEntries(Object.entries(contenders).map(([k, v]) => [k, { usPerAction: v.usPerAction, usPerHand: v.usPerHand, floorRatio: v.floorRatio }])) }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
