/**
 * The table machine driven with fake ports: no PostgreSQL, no sockets. An in-memory ledger, a
 * recording broadcaster, a fixed deck seed and a simulated clock (test/helpers/table-fakes.ts) take a
 * table through a whole hand, an action timeout, a leave in the middle of a hand and a refused
 * settlement; every test checks that no chip was created or lost.
 */
import { chips, sumChips, ZERO } from '../../../shared/money';
import { legalActions } from '../../../shared/engine/hand';
import { startFakeTable, settleAsync, type FakeTable } from '../../../test/helpers/table-fakes';
import type { HandEventMessage, HandCardsMessage, HandResultMessage } from '../../../shared/protocol';

const BUY_IN = chips(100);
let table: FakeTable | undefined;

afterEach(() => table?.actor.stop());

async function seatTwo(t: FakeTable): Promise<void> {
  for (const [playerId, seat] of [['alice', 0], ['bob', 1]] as const) {
    const answer = await t.ask({ type: 'seat.join', playerId, username: playerId, seat, buyIn: BUY_IN, requestId: `join-${playerId}` });
    expect(answer).toMatchObject({ ok: true, seat, stack: '100' });
  }
  await settleAsync();
}

function ctx(t: FakeTable) {
  return t.actor.getSnapshot().context;
}

/** The player to act and what a passive player would do (check, else call). */
function passiveMove(t: FakeTable): { playerId: string; action: 'check' | 'call' } | null {
  const hand = ctx(t).hand;
  const legal = hand && legalActions(hand.engine);
  if (!hand || !legal) return null;
  return { playerId: hand.playerBySeat[legal.seat]!, action: legal.canCheck ? 'check' : 'call' };
}

/** Chips held by the ledger's seat accounts plus chips already cashed out; must equal every buy-in. */
function chipsAccountedFor(t: FakeTable): string {
  const cashedOut = t.ledger.calls.filter((c) => c.name === 'cashOut').length;
  return sumChips([...t.ledger.seatBalances.values()]).toString() + (cashedOut ? ` +${cashedOut} cash-outs` : '');
}

describe('table machine with fake ports', () => {
  it('plays a whole hand to settlement and announces only committed results', async () => {
    const t = (table = startFakeTable());
    await seatTwo(t);
    expect(t.actor.getSnapshot().value).toBe('inHand');
    const handId = ctx(t).hand!.handId;
    // Each player gets their own hole cards and nobody else's.
    const cards = t.broadcaster.named('cards') as Array<[string, HandCardsMessage]>;
    expect(cards.map(([p]) => p).sort()).toEqual(['alice', 'bob']);
    expect(new Set(cards.map(([, m]) => m.cards.join()))).toHaveProperty('size', 2);
    for (let move = passiveMove(t), n = 0; move && n < 20; move = passiveMove(t), n++) {
      const answer = await t.ask({ type: 'player.act', playerId: move.playerId, handId, action: move.action });
      expect(answer).toMatchObject({ ok: true });
    }
    expect(t.actor.getSnapshot().value).toBe('pausing');
    const settles = t.ledger.calls.filter((c) => c.name === 'settleHand');
    expect(settles).toHaveLength(1);
    const { deltas } = settles[0]!.args[0] as { deltas: Array<{ amount: typeof ZERO }> };
    expect(sumChips(deltas.map((d) => d.amount)).toString()).toBe('0');
    expect(chipsAccountedFor(t)).toBe('200');
    const results = t.broadcaster.named('result') as Array<[HandResultMessage]>;
    expect(results).toHaveLength(1);
    expect(results[0]![0].stacks.map((s) => s.stack).reduce((a, b) => a.plus(b), ZERO).toString()).toBe('200');
    expect(t.broadcaster.named('openings').map(([p]) => p).sort()).toEqual(['alice', 'bob']);
    // Every engine event was stored, numbered without gaps, before the settlement.
    const seqs = t.ledger.storedEvents.filter((e) => e.handId === handId).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(ctx(t).seats.map((s) => s?.stack.toString())).toEqual(expect.arrayContaining([results[0]![0].stacks[0]!.stack]));
  });

  it('times out a player who does not act: timeout event, forced fold, hand settled', async () => {
    const t = (table = startFakeTable());
    await seatTwo(t);
    const toAct = passiveMove(t)!.playerId;
    t.clock.increment(ctx(t).config.actionTimeoutMs);
    await settleAsync();
    const events = (t.broadcaster.named('event') as Array<[HandEventMessage]>).map(([m]) => m);
    expect(events.filter((m) => m.type === 'timeout')).toHaveLength(1);
    // Heads-up the small blind faces the big blind, so the forced action is a fold that ends the hand.
    expect(events.some((m) => m.type === 'action' && m.action === 'fold')).toBe(true);
    expect(t.actor.getSnapshot().value).toBe('pausing');
    expect(ctx(t).seats.find((s) => s?.playerId === toAct)!.timeouts).toBe(1);
    expect(chipsAccountedFor(t)).toBe('200');
  });

  it('lets a player leave mid-hand: pending answer, folded at their turn, cashed out after settlement', async () => {
    const t = (table = startFakeTable());
    await seatTwo(t);
    const leaver = passiveMove(t)!.playerId;
    const answer = await t.ask({ type: 'seat.leave', playerId: leaver, requestId: 'leave-1' });
    expect(answer).toEqual({ ok: true, cashedOut: null, pending: true });
    await settleAsync();
    const cashOuts = t.ledger.calls.filter((c) => c.name === 'cashOut');
    expect(cashOuts.map((c) => (c.args[0] as { playerId: string }).playerId)).toEqual([leaver]);
    expect(ctx(t).seats.some((s) => s?.playerId === leaver)).toBe(false);
    // The stayer holds all the chips that did not leave with the leaver (fold: the leaver lost a blind).
    const stayer = leaver === 'alice' ? 'bob' : 'alice';
    expect(t.ledger.seatBalances.get(stayer)!.plus(BUY_IN.minus(1)).toString()).toBe('200');
    expect(t.ledger.seatBalances.has(leaver)).toBe(false);
  });

  it('voids the hand when the ledger refuses the settlement: no chips move, voided event, no result', async () => {
    const t = (table = startFakeTable());
    t.ledger.failSettle = true;
    await seatTwo(t);
    const handId = ctx(t).hand!.handId;
    const move = passiveMove(t)!;
    await t.ask({ type: 'player.act', playerId: move.playerId, handId, action: 'fold' });
    await settleAsync();
    expect(t.ledger.calls.filter((c) => c.name === 'voidHand')).toHaveLength(1);
    const events = (t.broadcaster.named('event') as Array<[HandEventMessage]>).map(([m]) => m);
    expect(events.at(-1)).toMatchObject({ type: 'voided', handId });
    expect(t.broadcaster.named('result')).toHaveLength(0);
    expect(ctx(t).seats.filter(Boolean).map((s) => s!.stack.toString())).toEqual(['100', '100']);
    expect(chipsAccountedFor(t)).toBe('200');
  });

  it('sits out a disconnected player after the grace period and stands them up later, chips back to the wallet', async () => {
    const t = (table = startFakeTable());
    await t.ask({ type: 'seat.join', playerId: 'alice', username: 'alice', seat: 0, buyIn: BUY_IN, requestId: 'join-alice' });
    const timers = t.deps.seatTimers;
    t.actor.send({ type: 'player.presence', playerId: 'alice', connected: false });
    t.clock.increment(timers.disconnectSitOutMs - 1);
    t.actor.send({ type: 'seat.clock' });
    expect(ctx(t).seats[0]!.state.kind).toBe('active');
    t.clock.increment(1);
    t.actor.send({ type: 'seat.clock' });
    expect(ctx(t).seats[0]!.state).toEqual({ kind: 'sittingOut', since: t.clock.now(), topUp: { kind: 'none' } });
    const lastView = t.broadcaster.named('state').at(-1)![1] as { watcher: { seats: Array<{ status: string; connected: boolean }> } };
    expect(lastView.watcher.seats[0]).toMatchObject({ status: 'sitting_out', connected: false });
    t.clock.increment(timers.sitOutStandUpMs);
    t.actor.send({ type: 'seat.clock' });
    await settleAsync();
    expect(t.ledger.calls.filter((c) => c.name === 'cashOut')).toHaveLength(1);
    expect(ctx(t).seats[0]).toBeNull();
    expect(t.ledger.seatBalances.size).toBe(0);
  });
});
