/**
 * Re-executes a stored hand and checks that it was dealt fairly and paid correctly:
 * - the stored seed reproduces the commitment published before the deal, under the hand's scheme: the
 *   Merkle root over every deck position (felt-deck-merkle-v1), or for hands dealt before it, sha256 of
 *   the seed (felt-seed-sha256-v1);
 * - the deck derived from that seed deals exactly the stored hole cards and board;
 * - every stored action is legal and the engine, replaying them, produces exactly the stored events;
 * - the settlement transfer's ledger entries equal the engine's per-player nets and rake, and each seat
 *   account held the starting stack before it (so the final balance is start + net);
 * - a voided hand moved no money, and an unfinished hand has no final transfer.
 * Nothing is trusted from hand.result: it is compared too, as the summary an admin reads.
 */
import { canonicalJson } from '../../../shared/canonical-json';
import { chips, formatAmount } from '../../../shared/money';
import type { Card } from '../../../shared/engine/cards';
import { formatCards } from '../../../shared/engine/cards';
import { result as engineResult } from '../../../shared/engine/hand';
import { seedFromHex, shuffle } from '../../../shared/engine/shuffle';
import { DECK_MERKLE_SCHEME, SEED_SHA256_SCHEME, verifySeedCommitment } from '../../../shared/engine/deck-commitment';
import type { HandResult } from '../../../shared/engine/types';
import {
  type HandMeta, type ReplayedHand, type StoredHand, engineEvents, nameOf, parseMeta, replayStored, deckFromEvents,
} from './hand-record';

/** One thing that does not match: what re-execution (or the rules) expect and what is stored. */
export interface Difference {
  field: string;
  expected: string;
  actual: string;
}

/** The verdict on one hand. */
export interface VerifyResult {
  handId: string;
  handNumber: string;
  status: string;
  ok: boolean;
  differences: Difference[];
  /** What was checked, for the admin reading the verdict. */
  checked: string[];
}

/** How a deck is derived from a revealed seed (injectable for tests of the verifier itself). */
export type DeckFromSeed = (seedHex: string) => Card[];

const defaultDeck: DeckFromSeed = (seedHex) => shuffle(seedFromHex(seedHex));

/** Stop listing event differences after this many; one wrong card shifts everything after it. */
const MAX_EVENT_DIFFERENCES = 20;

/** Verifies one stored hand. Never throws for bad data: every problem becomes a difference. */
export function verifyStoredHand(hand: StoredHand, deckFromSeed: DeckFromSeed = defaultDeck): VerifyResult {
  const out: VerifyResult = { handId: hand.handId, handNumber: hand.handNumber, status: hand.status, ok: false, differences: [], checked: [] };
  const diff = (field: string, expected: unknown, actual: unknown) =>
    out.differences.push({ field, expected: String(expected), actual: String(actual) });
  let meta: HandMeta;
  try {
    meta = parseMeta(hand.config);
  } catch (e) {
    diff('config', 'a readable hand configuration', (e as Error).message);
    return finish(out);
  }
  if (hand.events.length === 0 && hand.status !== 'settled') {
    // The hand row is written before its first event; a hand voided in between never showed anything.
    out.checked.push('no events were stored before the hand ended');
    if (hand.status === 'voided') checkVoid(hand, diff, out.checked);
    else if (hand.transfers.length > 0) diff('ledger.transfers', 'none while the hand is in progress', hand.transfers.map((t) => t.kind).join(', '));
    return finish(out);
  }
  checkStartEvent(hand, meta, diff);
  out.checked.push('start event matches the hand row');
  const deck = seedDeck(hand, meta, deckFromSeed, diff, out.checked);
  let replayed: ReplayedHand | undefined;
  try {
    replayed = replayStored(hand, deck);
    out.checked.push('every stored action is legal when replayed');
  } catch (e) {
    diff('replay', 'every stored action is legal', (e as Error).message);
  }
  if (replayed) {
    compareEvents(hand, replayed, diff);
    out.checked.push('replayed events equal the stored events');
  }
  checkTimeouts(hand, diff);
  if (hand.status === 'settled') checkSettlement(hand, meta, replayed, diff, out.checked);
  else if (hand.status === 'voided') checkVoid(hand, diff, out.checked);
  else if (hand.transfers.length > 0) diff('ledger.transfers', 'none while the hand is in progress', hand.transfers.map((t) => t.kind).join(', '));
  return finish(out);
}

function finish(out: VerifyResult): VerifyResult {
  out.ok = out.differences.length === 0;
  return out;
}

type Diff = (field: string, expected: unknown, actual: unknown) => void;

function checkStartEvent(hand: StoredHand, meta: HandMeta, diff: Diff): void {
  const start = hand.events.find((e) => e.seq === 0);
  if (!start || start.type !== 'start') {
    diff('events[0]', 'a start event', start?.type ?? 'missing');
    return;
  }
  const p = start.payload as { button?: unknown; commitment?: unknown; seats?: unknown };
  if (p.button !== hand.buttonSeat) diff('start.button', hand.buttonSeat, p.button);
  if (p.commitment !== hand.commitment) diff('start.commitment', hand.commitment, p.commitment);
  const want = JSON.stringify(meta.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, stack: formatAmount(s.stack, meta.engine.unit) })));
  const got = JSON.stringify(
    Array.isArray(p.seats) ? (p.seats as Array<Record<string, unknown>>).map((s) => ({ seat: s.seat, playerId: s.playerId, stack: s.stack })) : null,
  );
  if (want !== got) diff('start.seats', want, got);
}

/** Checks the seed against the commitment and returns the deck it derives (or the stored deal when no seed was revealed). */
function seedDeck(hand: StoredHand, meta: HandMeta, deckFromSeed: DeckFromSeed, diff: Diff, checked: string[]): Card[] | undefined {
  if (!hand.seed) {
    if (hand.status === 'settled') diff('seed', 'revealed at settlement', 'missing');
    else checked.push('seed not revealed: the deal is checked for consistency only');
    return undefined;
  }
  if (!/^[0-9a-f]{64}$/.test(hand.seed)) {
    diff('seed', '64 lowercase hex characters', hand.seed);
    return undefined;
  }
  checkCommitment(hand, hand.seed, diff, checked);
  try {
    const deck = deckFromSeed(hand.seed);
    checked.push('the deck derived from the seed deals the stored cards');
    return deck;
  } catch (e) {
    diff('seed', 'a seed the shuffle accepts', (e as Error).message);
    return deckFromEvents(hand, meta);
  }
}

const SCHEME_CHECKS: Record<string, string> = {
  [DECK_MERKLE_SCHEME]: 'the Merkle root of the seed\'s deck equals the commitment',
  [SEED_SHA256_SCHEME]: 'sha256(seed) equals the commitment',
};

/** Checks the stored seed against the commitment published before the deal, under the hand's scheme. */
function checkCommitment(hand: StoredHand, seedHex: string, diff: Diff, checked: string[]): void {
  const check = SCHEME_CHECKS[hand.commitmentScheme];
  if (!check) {
    diff('commitmentScheme', Object.keys(SCHEME_CHECKS).join(' or '), hand.commitmentScheme);
    return;
  }
  if (!verifySeedCommitment(hand.commitmentScheme, seedFromHex(seedHex), hand.commitment)) {
    diff('commitment', `${hand.commitmentScheme} commitment of the seed`, hand.commitment);
  }
  checked.push(check);
}

function compareEvents(hand: StoredHand, replayed: ReplayedHand, diff: Diff): void {
  const stored = engineEvents(hand);
  const derived = replayed.state.events;
  // An unfinished or voided hand may end before the engine's automatic events after its last action were stored.
  const length = hand.status === 'settled' ? Math.max(stored.length, derived.length) : stored.length;
  let reported = 0;
  for (let i = 0; i < length && reported < MAX_EVENT_DIFFERENCES; i++) {
    const s = stored[i];
    const d = derived[i];
    const want = d ? canonicalJson(d) : 'nothing';
    const got = s ? canonicalJson(s.payload) : 'nothing';
    if (want !== got) {
      diff(`event seq ${s?.seq ?? '-'}${d ? ` (${d.type})` : ''}`, want, got);
      reported++;
    }
  }
}

function checkTimeouts(hand: StoredHand, diff: Diff): void {
  const events = [...hand.events].sort((a, b) => a.seq - b.seq);
  events.forEach((e, i) => {
    if (e.type !== 'timeout') return;
    const next = events.slice(i + 1).find((x) => x.type === 'action');
    const action = next?.payload as { seat?: number; action?: string } | undefined;
    if (!action || action.seat !== e.payload.seat || (action.action !== 'check' && action.action !== 'fold')) {
      diff(`timeout seq ${e.seq}`, `a forced check or fold by seat ${String(e.payload.seat)}`, next ? canonicalJson(next.payload) : 'nothing');
    }
  });
}

function checkSettlement(hand: StoredHand, meta: HandMeta, replayed: ReplayedHand | undefined, diff: Diff, checked: string[]): void {
  const settlements = hand.transfers.filter((t) => t.kind === 'hand_settlement');
  const voids = hand.transfers.filter((t) => t.kind === 'void_refund');
  if (settlements.length !== 1) diff('ledger.settlements', 1, settlements.length);
  if (voids.length > 0) diff('ledger.voids', 0, voids.length);
  if (!replayed) return;
  let result: HandResult;
  try {
    result = engineResult(replayed.state);
  } catch {
    diff('hand.complete', 'the stored actions finish the hand', 'the hand is still running after the last action');
    return;
  }
  const unit = meta.engine.unit;
  const f = (x: ReturnType<typeof chips>) => formatAmount(x, unit);
  const entries = settlements[0]?.entries ?? [];
  const players = new Set(meta.seats.map((s) => s.playerId));
  for (const s of meta.seats) {
    const name = nameOf(hand, s.playerId);
    const net = result.netBySeat[s.seat]!;
    const entry = entries.find((e) => e.accountKind === 'seat' && e.playerId === s.playerId);
    const amount = entry ? chips(entry.amount) : chips(0);
    if (!amount.eq(net)) diff(`ledger.net.${name}`, f(net), entry ? entry.amount : 'no entry');
    if (entry && !chips(entry.balanceAfter).minus(amount).eq(s.stack)) {
      diff(`ledger.balanceBefore.${name}`, f(s.stack), chips(entry.balanceAfter).minus(amount).toString());
    }
  }
  const rakeEntry = entries.find((e) => e.accountKind === 'house_rake');
  const rake = rakeEntry ? chips(rakeEntry.amount) : chips(0);
  if (!rake.eq(result.rake)) diff('ledger.rake', f(result.rake), rakeEntry ? rakeEntry.amount : 'no entry');
  for (const e of entries) {
    // Rake goes to this table's house_rake account (or the general one); chips go only to this table's seats.
    const atThisTable = !e.accountTableId || e.accountTableId === hand.tableId;
    const known = atThisTable && (e.accountKind === 'house_rake' || (e.accountKind === 'seat' && e.playerId !== null && players.has(e.playerId)));
    if (!known) diff(`ledger.entry ${e.entryId}`, 'no entry for an account outside the hand', `${e.accountKind} ${e.playerId ?? ''} ${e.amount}`);
  }
  checked.push('settlement entries equal the engine nets and rake');
  compareSummary(hand, meta, result, diff);
  checked.push('hand.result summary equals the engine result');
}

function compareSummary(hand: StoredHand, meta: HandMeta, result: HandResult, diff: Diff): void {
  const stored = (hand.result ?? {}) as { net?: Record<string, string>; rake?: string; board?: string[]; pots?: unknown[] };
  const f = (x: ReturnType<typeof chips>) => formatAmount(x, meta.engine.unit);
  if (stored.rake !== f(result.rake)) diff('result.rake', f(result.rake), stored.rake);
  for (const s of meta.seats) {
    const want = f(result.netBySeat[s.seat]!);
    const got = stored.net?.[s.playerId];
    if (got !== want) diff(`result.net.${nameOf(hand, s.playerId)}`, want, got);
  }
  const board = formatCards(result.board);
  if ((stored.board ?? []).join('') !== board) diff('result.board', board, (stored.board ?? []).join(''));
  const pots = JSON.stringify(result.pots.map((p) => ({ amount: f(p.amount), rake: f(p.rake), winners: p.winners.map((w) => [w.seat, f(w.amount)]) })));
  const storedPots = JSON.stringify(((stored.pots ?? []) as Array<{ amount: string; rake: string; winners: Array<{ seat: number; amount: string }> }>)
    .map((p) => ({ amount: p.amount, rake: p.rake, winners: (p.winners ?? []).map((w) => [w.seat, w.amount]) })));
  if (pots !== storedPots) diff('result.pots', pots, storedPots);
}

function checkVoid(hand: StoredHand, diff: Diff, checked: string[]): void {
  const voids = hand.transfers.filter((t) => t.kind === 'void_refund');
  if (voids.length !== 1) diff('ledger.voids', 1, voids.length);
  for (const t of hand.transfers) {
    if (t.kind !== 'void_refund') diff(`ledger.transfer ${t.transferId}`, 'no transfer but the void', t.kind);
    for (const e of t.entries) {
      if (!chips(e.amount).isZero()) diff(`ledger.entry ${e.entryId}`, 'no money moved by a voided hand', `${e.accountKind} ${e.playerId ?? ''} ${e.amount}`);
    }
  }
  checked.push('no money moved for the voided hand');
}
