/** Drives seated test clients through hands with a simple policy, using only what the protocol shows them. */
import { randomUUID } from 'node:crypto';
import type { LegalActionsView } from '../../shared/protocol';
import type { TestClient } from './clients';

/** How often, and how far apart, an action refused `rate_limited` is sent again (2 s in all). */
const RATE_LIMIT_RETRIES = 20;
const RATE_LIMIT_BACKOFF_MS = 100;

/** Chooses an action from the legal ones. */
export type Policy = (legal: LegalActionsView, client: TestClient) => { action: string; amount?: string };

/** Checks when possible, otherwise calls. */
export const passive: Policy = (legal) => (legal.actions.includes('check') ? { action: 'check' } : { action: 'call' });

/** Goes all-in at the first chance, else calls. */
export const shove: Policy = (legal) => {
  if (legal.actions.includes('raise') && legal.maxTo) return { action: 'raise', amount: legal.maxTo };
  if (legal.actions.includes('bet') && legal.maxTo) return { action: 'bet', amount: legal.maxTo };
  return legal.actions.includes('check') ? { action: 'check' } : { action: 'call' };
};

/** Plays until every client has seen `hands` more results; returns the number of actions taken. */
export async function playHands(clients: TestClient[], hands: number, policy: Policy, timeoutMs = 30_000): Promise<number> {
  const targets = clients.map((c) => c.results.length + hands);
  const deadline = Date.now() + timeoutMs;
  let actions = 0;
  const acted = new Set<string>();
  while (clients.some((c, i) => c.results.length < targets[i]!)) {
    if (Date.now() > deadline) throw new Error(`playHands timed out after ${actions} actions`);
    let progressed = false;
    for (const c of clients) {
      const v = c.latest;
      if (!v || !c.myTurn() || !v.you?.legal || !v.handId) continue;
      const key = `${v.handId}:${v.turn!.number}:${c.playerId}`;
      if (acted.has(key)) continue;
      acted.add(key);
      const choice = policy(v.you.legal, c);
      const payload = { tableId: v.tableId, handId: v.handId, requestId: randomUUID(), turn: v.turn!.number, ...choice };
      let ack = await c.call('table:act', payload);
      // A fast machine plays faster than one socket may send (20 events/s): slow down and send it again,
      // as a client should; the refusal changed nothing, and the turn is still ours until its timer ends.
      for (let i = 0; i < RATE_LIMIT_RETRIES && !ack.ok && ack.error.code === 'rate_limited'; i++) {
        await new Promise((r) => setTimeout(r, RATE_LIMIT_BACKOFF_MS));
        ack = await c.call('table:act', payload);
      }
      if (!ack.ok && ack.error.code !== 'not_your_turn' && ack.error.code !== 'stale_hand') {
        throw new Error(`action ${JSON.stringify(choice)} refused: ${JSON.stringify(ack.error)}`);
      }
      actions++;
      progressed = true;
    }
    if (!progressed) await new Promise((r) => setTimeout(r, 5));
  }
  return actions;
}
