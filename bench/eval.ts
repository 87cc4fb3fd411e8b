/**
 * Seven-card evaluations per second: `npm run bench:eval`.
 *
 * One million random 7-card hands are drawn once from a seeded PRNG into a Uint8Array, then evaluated in
 * one process by three contenders: ours (`evaluate7At`, the allocation-free core behind `evaluate`), phe
 * (its fastest entry point, lib/evaluator7, on card codes converted before timing) and pokersolver
 * (`Hand.solve` on card strings, on a 20,000-hand subset because it is slow). Rounds alternate between
 * contenders after a warm-up; the best round is the headline figure and the median is reported too.
 * Correctness is checked outside the timed loops: both evaluators number the 7,462 hand classes, ours
 * from the bottom and phe's from the top, so ours + phe must be 7,463 on every hand.
 * Results go to bench/results/eval.json. Nothing here asserts timings.
 * Environment: BENCH_HANDS (default 1000000), BENCH_ROUNDS (default 7), BENCH_SOLVER_HANDS (default 20000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Hand } from 'pokersolver';
import phe from 'phe';
import phe7 from 'phe/lib/evaluator7';
import { formatCard, RANK_CHARS, rankOf, SUIT_CHARS, suitOf } from '../shared/engine/cards';
import type * as EvaluatorModule from '../shared/engine/evaluator';

type Evaluator = typeof EvaluatorModule;

const HANDS = Number(process.env.BENCH_HANDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SOLVER_HANDS = Math.min(HANDS, Number(process.env.BENCH_SOLVER_HANDS ?? 20_000));
const API_HANDS = Math.min(HANDS, 200_000);
const OMAHA_DEALS = Math.min(HANDS, 50_000);
const SEED = 0xfe17;

/** mulberry32: a tiny seeded PRNG, so every run times the very same hands. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` hands of 7 distinct cards, packed 7 bytes per hand (partial Fisher–Yates per hand). */
function randomHands(count: number, seed: number): Uint8Array {
  const next = mulberry32(seed);
  const deck = Uint8Array.from({ length: 52 }, (_, i) => i);
  const out = new Uint8Array(count * 7);
  for (let h = 0; h < count; h++) {
    for (let i = 0; i < 7; i++) {
      const j = i + Math.floor(next() * (52 - i));
      const tmp = deck[i]!;
      deck[i] = deck[j]!;
      deck[j] = tmp;
      out[h * 7 + i] = deck[i]!;
    }
  }
  return out;
}

/** Times `run` once and returns evaluations per second. */
function rate(run: () => number, evaluations: number, sink: { value: number }): number {
  const t0 = performance.now();
  sink.value ^= run();
  return evaluations / ((performance.now() - t0) / 1000);
}

/** Best and median of a list of rates. */
function summarise(rates: number[]): { evalsPerSec: number; medianEvalsPerSec: number; rounds: number[] } {
  const sorted = [...rates].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x);
  return { evalsPerSec: round(sorted[sorted.length - 1]!), medianEvalsPerSec: round(sorted[Math.floor(sorted.length / 2)]!), rounds: rates.map(round) };
}

/** Loads our evaluator, timing the module load (which builds every lookup table). */
async function loadOurs(): Promise<{ evaluator: Evaluator; loadMs: number; loadCpuMs: number }> {
  // CPU time as well as wall time: on a shared machine the wall time mostly measures the neighbours.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const evaluator = await import('../shared/engine/evaluator');
  const cpu = process.cpuUsage(cpu0);
  return { evaluator, loadMs: performance.now() - t0, loadCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Runs the benchmark and writes bench/results/eval.json. */
async function main(): Promise<void> {
  const { evaluator, loadMs, loadCpuMs } = await loadOurs();
  const { evaluate7At, evaluate, evaluateOmaha } = evaluator;
  const hands = randomHands(HANDS, SEED);
  // Conversion to each contender's own format happens here, before any timing.
  const pheCode = Array.from({ length: 52 }, (_, c) => phe.cardCode(RANK_CHARS[rankOf(c)]!, SUIT_CHARS[suitOf(c)]!));
  if (new Set(pheCode).size !== 52 || pheCode.some((x) => !Number.isInteger(x))) throw new Error('phe card codes are not a bijection');
  const pheHands = hands.map((c) => pheCode[c]!);
  const solverHands = Array.from({ length: SOLVER_HANDS }, (_, h) => Array.from(hands.subarray(h * 7, h * 7 + 7), (c) => formatCard(c)));

  const runOurs = (): number => {
    let acc = 0;
    for (let o = 0; o < HANDS * 7; o += 7) acc = (acc + evaluate7At(hands, o)) | 0;
    return acc;
  };
  const runPhe = (): number => {
    let acc = 0;
    const h = pheHands;
    for (let o = 0; o < HANDS * 7; o += 7) acc = (acc + phe7(h[o]!, h[o + 1]!, h[o + 2]!, h[o + 3]!, h[o + 4]!, h[o + 5]!, h[o + 6]!)) | 0;
    return acc;
  };
  // The public API on card arrays (validation included), on a subset prebuilt before timing.
  const apiHands = Array.from({ length: API_HANDS }, (_, h) => Array.from(hands.subarray(h * 7, h * 7 + 7)));
  const runApi = (): number => {
    let acc = 0;
    for (const h of apiHands) acc = (acc + evaluate(h)) | 0;
    return acc;
  };
  // Pot-limit Omaha at the river: 4 hole cards + 5 board cards = 60 five-card combinations per call.
  const omahaDeals = Array.from({ length: OMAHA_DEALS }, (_, d) => {
    const o = (d * 9) % (HANDS * 7 - 9);
    const nine = Array.from(new Set(Array.from(hands.subarray(o, o + 9)))).slice(0, 9);
    for (let c = 0; nine.length < 9; c++) if (!nine.includes(c)) nine.push(c);
    return { hole: nine.slice(0, 4), board: nine.slice(4) };
  });
  const runOmaha = (): number => {
    let acc = 0;
    for (const d of omahaDeals) acc = (acc + evaluateOmaha(d.hole, d.board)) | 0;
    return acc;
  };
  const runSolver = (): number => {
    let acc = 0;
    for (const cards of solverHands) acc = (acc + Hand.solve(cards).rank) | 0;
    return acc;
  };

  const agreement = checkAgreement(hands, pheHands, evaluate7At);
  const sink = { value: 0 };
  runOurs();
  runPhe();
  runSolver();
  runApi();
  runOmaha();
  const ours: number[] = [];
  const apiRates: number[] = [];
  const omahaRates: number[] = [];
  const pheRates: number[] = [];
  const solverRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(rate(runOurs, HANDS, sink));
    pheRates.push(rate(runPhe, HANDS, sink));
    apiRates.push(rate(runApi, apiHands.length, sink));
    omahaRates.push(rate(runOmaha, omahaDeals.length, sink));
    if (r < 3) solverRates.push(rate(runSolver, SOLVER_HANDS, sink));
  }
  const result = {
    hands: HANDS,
    rounds: ROUNDS,
    ours: { ...summarise(ours), entryPoint: 'evaluate7At(Uint8Array, offset)', moduleLoadMs: Math.round(loadMs * 10) / 10, moduleLoadCpuMs: Math.round(loadCpuMs * 10) / 10 },
    phe: { ...summarise(pheRates), entryPoint: 'phe/lib/evaluator7 on precomputed card codes' },
    pokersolver: { ...summarise(solverRates), hands: SOLVER_HANDS, entryPoint: 'Hand.solve(string[])' },
    oursPublicApi: { ...summarise(apiRates), hands: apiHands.length, entryPoint: 'evaluate(Card[]) with validation' },
    oursOmahaRiver: { ...summarise(omahaRates), deals: omahaDeals.length, entryPoint: 'evaluateOmaha(4 hole, 5 board)' },
    ratioVsPhe: Math.round((summarise(ours).evalsPerSec / summarise(pheRates).evalsPerSec) * 100) / 100,
    agreement,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
    sink: sink.value,
  };
  const file = path.join(__dirname, 'results', 'eval.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
}

/** Every hand: ours + phe = 7463 (both count the 7,462 classes, from opposite ends); plus random-pair ordering. */
function checkAgreement(hands: Uint8Array, pheHands: Uint8Array, ours: (cards: Uint8Array, offset: number) => number): { handsChecked: number; mismatches: number; pairsChecked: number; pairDisagreements: number } {
  let mismatches = 0;
  const count = hands.length / 7;
  const oursValues = new Int32Array(count);
  const pheValues = new Int32Array(count);
  for (let h = 0; h < count; h++) {
    const o = h * 7;
    oursValues[h] = ours(hands, o);
    pheValues[h] = phe7(pheHands[o]!, pheHands[o + 1]!, pheHands[o + 2]!, pheHands[o + 3]!, pheHands[o + 4]!, pheHands[o + 5]!, pheHands[o + 6]!);
    if (oursValues[h]! + pheValues[h]! !== 7463) mismatches++;
  }
  const next = mulberry32(SEED + 1);
  const pairs = Math.min(200_000, count);
  let pairDisagreements = 0;
  for (let i = 0; i < pairs; i++) {
    const a = Math.floor(next() * count);
    const b = Math.floor(next() * count);
    if (Math.sign(oursValues[a]! - oursValues[b]!) !== Math.sign(pheValues[b]! - pheValues[a]!)) pairDisagreements++;
  }
  return { handsChecked: count, mismatches, pairsChecked: pairs, pairDisagreements };
}

/** Prints a short human-readable summary. */
function printTable(r: { oursPublicApi: { evalsPerSec: number }; oursOmahaRiver: { evalsPerSec: number }; hands: number; ours: { evalsPerSec: number; medianEvalsPerSec: number; moduleLoadMs: number; moduleLoadCpuMs: number }; phe: { evalsPerSec: number; medianEvalsPerSec: number }; pokersolver: { evalsPerSec: number; medianEvalsPerSec: number; hands: number }; ratioVsPhe: number; agreement: { mismatches: number; pairDisagreements: number } }): void {
  const fmt = (x: number): string => x.toLocaleString('en-US').padStart(14);
  console.log(`7-card evaluations per second (${r.hands.toLocaleString('en-US')} hands; best / median of rounds)`);
  console.log(`  ours         ${fmt(r.ours.evalsPerSec)} ${fmt(r.ours.medianEvalsPerSec)}   (module load incl. tables: ${r.ours.moduleLoadMs} ms wall, ${r.ours.moduleLoadCpuMs} ms CPU)`);
  console.log(`  phe          ${fmt(r.phe.evalsPerSec)} ${fmt(r.phe.medianEvalsPerSec)}`);
  console.log(`  pokersolver  ${fmt(r.pokersolver.evalsPerSec)} ${fmt(r.pokersolver.medianEvalsPerSec)}   (${r.pokersolver.hands.toLocaleString('en-US')} hands)`);
  console.log(`  ours evaluate(Card[]) ${r.oursPublicApi.evalsPerSec.toLocaleString('en-US')}/s; evaluateOmaha (PLO river) ${r.oursOmahaRiver.evalsPerSec.toLocaleString('en-US')}/s`);
  console.log(`  ours / phe = ${r.ratioVsPhe}; value mismatches vs phe: ${r.agreement.mismatches}; pair-order disagreements: ${r.agreement.pairDisagreements}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
