/** Run setup through the public API: tables created by the admin, accounts registered and credited. */
import { randomBytes } from 'node:crypto';
import type { Variant } from '../../shared/protocol';
import { Money, type Chips } from '../../shared/money';
import { createTable, credit, registerOrLogin, type Session, type TableSpecBody } from './api';

/** A table the simulator created, with the buy-in its bots use. */
export interface SimTable {
  tableId: string;
  spec: TableSpecBody;
  buyIn: Chips;
}

/**
 * The stakes of table `index`: even tables play in whole chips, odd ones in cents, so both unit
 * sizes (and the formatting of fractional amounts) are exercised in every run with two or more tables.
 */
export function tableSpec(runId: string, index: number, variant: Variant, seats: number, actionTimeoutMs: number): { spec: TableSpecBody; buyIn: Chips } {
  const name = `sim-${runId}-${index}`;
  // No time bank: simulated players act at once, and the chaos probes count on the timer firing on time.
  const base = { name, variant, maxSeats: seats, rakePercent: '5', actionTimeoutMs, timeBankMs: 0 };
  if (index % 2 === 0) {
    return { spec: { ...base, unit: '1', smallBlind: '1', bigBlind: '2', minBuyIn: '40', maxBuyIn: '200', rakeCap: '3' }, buyIn: new Money(100) };
  }
  return {
    spec: { ...base, unit: '0.01', smallBlind: '0.50', bigBlind: '1.00', minBuyIn: '20.00', maxBuyIn: '100.00', rakeCap: '1.50' },
    buyIn: new Money('50.00'),
  };
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Creates `count` tables (plus nothing else) and returns them in order. */
export async function createTables(
  baseUrl: string,
  adminToken: string,
  runId: string,
  count: number,
  variant: Variant,
  seats: number,
  actionTimeoutMs: number,
  firstIndex = 0,
): Promise<SimTable[]> {
  const indexes = Array.from({ length: count }, (_, i) => firstIndex + i);
  return mapLimit(indexes, 8, async (index) => {
    const { spec, buyIn } = tableSpec(runId, index, variant, seats, actionTimeoutMs);
    return { tableId: await createTable(baseUrl, adminToken, spec), spec, buyIn };
  });
}

/** A registered (and possibly credited) account. */
export interface SimAccount {
  session: Session;
  credited: Chips;
}

/** A per-run id that keeps usernames unique when several runs share one server. */
export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** Registers `count` accounts named `<prefix><i>` and credits each `amount` (zero: no credit). */
export async function createAccounts(baseUrl: string, adminToken: string, prefix: string, count: number, amount: Chips): Promise<SimAccount[]> {
  const password = `pw-${prefix}-${randomBytes(6).toString('hex')}`;
  // Password hashing is deliberately slow on the server; a few registrations at a time keep it responsive.
  return mapLimit(Array.from({ length: count }, (_, i) => i), 6, async (i) => {
    const session = await registerOrLogin(baseUrl, `${prefix}${i}`, password);
    if (amount.gt(0)) await credit(baseUrl, adminToken, session.playerId, amount.toFixed(2));
    return { session, credited: amount };
  });
}
