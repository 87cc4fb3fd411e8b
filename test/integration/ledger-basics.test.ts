/**
 * The ledger's operations against a real PostgreSQL: every movement, idempotent replays and conflicts,
 * hand settlement and voiding, and the database-level guards that hold even when code is bypassed.
 */
import type { DataSource } from 'typeorm';
import { chips } from '../../shared/money';
import { createMigratedDataSource } from '../helpers/db';
import { createPlayer, createTestTable, startTestHand } from '../helpers/ledger-fixtures';
import { appendHandEvents } from '../../server/src/persistence/hands';
import {
  buyIn,
  cashOut,
  credit,
  ensureWallet,
  getSeatBalance,
  getWalletBalance,
  LedgerError,
  listSeatBalances,
  settleHand,
  topUp,
  voidHand,
  voidInProgressHands,
} from '../../server/src/ledger/transactions';
import { reconcile } from '../../server/src/ledger/reconcile';
import { SETTLE_LOCK_SQL } from '../../server/src/ledger/settle-sql';
import { lockAccounts } from '../../server/src/ledger/accounts';

let ds: DataSource;

beforeAll(async () => {
  ds = await createMigratedDataSource(8);
});

afterAll(async () => {
  await ds.destroy();
});

/** Awaits `promise` and returns the LedgerError code it rejected with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  throw new Error('expected a LedgerError, but the call succeeded');
}

async function countRows(table: string): Promise<number> {
  const rows = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
  return rows[0]!.n;
}

describe('wallet, seat and cash movements', () => {
  it('credits, buys in, tops up and cashes out with exact balances', async () => {
    const player = await createPlayer(ds);
    const table = await createTestTable(ds);
    await ensureWallet(ds, player);
    await ensureWallet(ds, player);
    expect((await getWalletBalance(ds, player)).toString()).toBe('0');

    const c = await credit(ds, { playerId: player, amount: chips('500'), idempotencyKey: `c-${player}` });
    expect(c.walletBalance.toString()).toBe('500');
    const b = await buyIn(ds, { playerId: player, tableId: table, amount: chips(100), idempotencyKey: `b-${player}` });
    expect([b.walletBalance.toString(), b.seatBalance.toString()]).toEqual(['400', '100']);
    const t = await topUp(ds, { playerId: player, tableId: table, amount: chips(50), idempotencyKey: `t-${player}` });
    expect([t.walletBalance.toString(), t.seatBalance.toString()]).toEqual(['350', '150']);
    expect((await listSeatBalances(ds, table)).map((s) => [s.playerId, s.balance.toString()])).toEqual([[player, '150']]);

    const out = await cashOut(ds, { playerId: player, tableId: table, idempotencyKey: `o-${player}` });
    expect([out.amount.toString(), out.walletBalance.toString()]).toEqual(['150', '500']);
    expect((await getSeatBalance(ds, player, table)).toString()).toBe('0');
    const again = await cashOut(ds, { playerId: player, tableId: table, idempotencyKey: `o2-${player}` });
    expect(again.amount.toString()).toBe('0');

    // The seat account is reused when the player sits again.
    await buyIn(ds, { playerId: player, tableId: table, amount: chips(40), idempotencyKey: `b2-${player}` });
    const seats = (await ds.query(`SELECT count(*)::int AS n FROM account WHERE kind = 'seat' AND player_id = $1`, [player])) as { n: number }[];
    expect(seats[0]!.n).toBe(1);
    expect((await reconcile(ds)).ok).toBe(true);
  });

  it('refuses overdrafts, bad amounts and unknown rows with typed codes', async () => {
    const player = await createPlayer(ds);
    const table = await createTestTable(ds);
    await credit(ds, { playerId: player, amount: chips(10), idempotencyKey: `c-${player}` });
    expect(await codeOf(buyIn(ds, { playerId: player, tableId: table, amount: chips(11), idempotencyKey: `x1-${player}` }))).toBe('insufficient_funds');
    expect(await codeOf(buyIn(ds, { playerId: player, tableId: table, amount: chips('1.5'), idempotencyKey: `x2-${player}` }))).toBe('invalid_amount');
    expect(await codeOf(credit(ds, { playerId: player, amount: chips(-1), idempotencyKey: `x3-${player}` }))).toBe('invalid_amount');
    expect(await codeOf(topUp(ds, { playerId: player, tableId: table, amount: chips(1), idempotencyKey: `x4-${player}` }))).toBe('not_seated');
    const ghostTable = '00000000-0000-4000-8000-000000000000';
    expect(await codeOf(buyIn(ds, { playerId: player, tableId: ghostTable, amount: chips(1), idempotencyKey: `x5-${player}` }))).toBe('table_not_found');
    expect(await codeOf(credit(ds, { playerId: ghostTable, amount: chips(1), idempotencyKey: `x6-${player}` }))).toBe('player_not_found');
    expect((await getWalletBalance(ds, player)).toString()).toBe('10');
  });

  it('replays a key with the same parameters and refuses it with different ones', async () => {
    const player = await createPlayer(ds);
    const first = await credit(ds, { playerId: player, amount: chips('25.5'), idempotencyKey: `k-${player}` });
    const transfersBefore = await countRows('transfer');
    const replay = await credit(ds, { playerId: player, amount: chips('25.50'), idempotencyKey: `k-${player}` });
    expect(replay.transferId).toBe(first.transferId);
    expect(replay.walletBalance.toString()).toBe('25.5');
    expect(await countRows('transfer')).toBe(transfersBefore);
    expect(await codeOf(credit(ds, { playerId: player, amount: chips(26), idempotencyKey: `k-${player}` }))).toBe('idempotency_conflict');
    expect((await getWalletBalance(ds, player)).toString()).toBe('25.5');
  });

  it('answers concurrent calls with the same new key once', async () => {
    const player = await createPlayer(ds);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => credit(ds, { playerId: player, amount: chips(7), idempotencyKey: `race-${player}` })),
    );
    expect(new Set(results.map((r) => r.transferId)).size).toBe(1);
    expect((await getWalletBalance(ds, player)).toString()).toBe('7');
  });
});

describe('hands', () => {
  async function seatedPair(stack = 100) {
    const table = await createTestTable(ds);
    const players = [await createPlayer(ds), await createPlayer(ds)];
    for (const p of players) {
      await credit(ds, { playerId: p, amount: chips(stack), idempotencyKey: `c-${p}` });
      await buyIn(ds, { playerId: p, tableId: table, amount: chips(stack), idempotencyKey: `b-${p}` });
    }
    return { table, players: players as [string, string] };
  }

  it('settles one hand as one zero-sum transfer, with rake, and replays it', async () => {
    const { table, players } = await seatedPair();
    const [a, b] = players;
    const { handId, seed } = await startTestHand(ds, table);
    await appendHandEvents(ds, handId, [
      { seq: 0, type: 'deal', payload: { button: 0 } },
      { seq: 1, type: 'bet', payload: { amount: '10' } },
    ]);
    await appendHandEvents(ds, handId, [{ seq: 1, type: 'bet', payload: { amount: '10' } }]);
    expect(await codeOf(appendHandEvents(ds, handId, [{ seq: 1, type: 'fold', payload: {} }]))).toBe('idempotency_conflict');
    const params = { handId, idempotencyKey: `s-${handId}`, deltas: [{ playerId: a, amount: chips(9) }, { playerId: b, amount: chips(-10) }], rake: chips(1), seed, result: { winner: a } };
    const settled = await settleHand(ds, params);
    expect(settled.seatBalances).toEqual({ [a]: '109', [b]: '90' });
    const entries = (await ds.query(`SELECT amount::text AS amount FROM ledger_entry WHERE transfer_id = $1 ORDER BY amount`, [settled.transferId])) as {
      amount: string;
    }[];
    expect(entries.map((e) => e.amount)).toEqual(['-10', '1', '9']);
    const replay = await settleHand(ds, params);
    expect(replay).toEqual(settled);
    expect(await codeOf(settleHand(ds, { ...params, rake: chips(0), deltas: [{ playerId: a, amount: chips(10) }, { playerId: b, amount: chips(-10) }] }))).toBe(
      'idempotency_conflict',
    );
    expect(await codeOf(settleHand(ds, { ...params, idempotencyKey: `other-${handId}` }))).toBe('hand_already_final');
    expect(await codeOf(voidHand(ds, { handId, reason: 'late', idempotencyKey: `v-${handId}` }))).toBe('hand_already_final');
    const hand = (await ds.query(`SELECT status, seed, result FROM hand WHERE id = $1`, [handId])) as { status: string; seed: string; result: unknown }[];
    expect(hand[0]).toEqual({ status: 'settled', seed, result: { winner: a } });
    expect((await reconcile(ds)).ok).toBe(true);
  });

  it('throws on a settlement that does not balance, moving nothing', async () => {
    const { table, players } = await seatedPair();
    const { handId, seed } = await startTestHand(ds, table);
    const deltas = [{ playerId: players[0], amount: chips(10) }, { playerId: players[1], amount: chips(-10) }];
    expect(await codeOf(settleHand(ds, { handId, idempotencyKey: `s-${handId}`, deltas, rake: chips(1), seed, result: null }))).toBe('internal');
    expect(await codeOf(settleHand(ds, { handId, idempotencyKey: `s2-${handId}`, deltas: [{ playerId: players[0], amount: chips(-101) }, { playerId: players[1], amount: chips(101) }], rake: chips(0), seed, result: null }))).toBe('insufficient_funds');
    const status = (await ds.query(`SELECT status FROM hand WHERE id = $1`, [handId])) as { status: string }[];
    expect(status[0]!.status).toBe('in_progress');
    expect((await getSeatBalance(ds, players[0], table)).toString()).toBe('100');
  });

  it('voids a hand with a transfer of no entries and leaves stacks as they were', async () => {
    const { table, players } = await seatedPair();
    const { handId, seed } = await startTestHand(ds, table);
    const voided = await voidHand(ds, { handId, reason: 'dealer error', idempotencyKey: `v-${handId}`, seed });
    expect(voided.status).toBe('voided');
    expect(await voidHand(ds, { handId, reason: 'dealer error', idempotencyKey: `v-${handId}`, seed })).toEqual(voided);
    const entries = (await ds.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE transfer_id = $1`, [voided.transferId])) as { n: number }[];
    expect(entries[0]!.n).toBe(0);
    for (const p of players) expect((await getSeatBalance(ds, p, table)).toString()).toBe('100');
    expect(await codeOf(settleHand(ds, { handId, idempotencyKey: `s-${handId}`, deltas: [], rake: chips(0), seed, result: null }))).toBe('hand_already_final');
  });

  it('startup recovery voids every in_progress hand and records the reason', async () => {
    const { table } = await seatedPair();
    const hands = [await startTestHand(ds, table), await startTestHand(ds, table)];
    const otherTable = await createTestTable(ds);
    const untouched = await startTestHand(ds, otherTable);
    expect(await voidInProgressHands(ds, { tableIds: [table], reason: 'server restart' })).toBe(2);
    const rows = (await ds.query(`SELECT id, status, void_reason FROM hand WHERE table_id = ANY($1::uuid[]) ORDER BY hand_number`, [[table, otherTable]])) as {
      id: string;
      status: string;
      void_reason: string | null;
    }[];
    expect(rows.filter((r) => hands.some((h) => h.handId === r.id)).map((r) => [r.status, r.void_reason])).toEqual([
      ['voided', 'server restart'],
      ['voided', 'server restart'],
    ]);
    expect(rows.find((r) => r.id === untouched.handId)!.status).toBe('in_progress');
    expect(await voidInProgressHands(ds, { tableIds: [table], reason: 'server restart' })).toBe(0);
  });
});

describe('lock order', () => {
  it('locks in numeric id order even where the decimal text order differs (98, 99, 100, …)', async () => {
    const table = await createTestTable(ds);
    const players: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await createPlayer(ds);
      players.push(p);
      await credit(ds, { playerId: p, amount: chips(10), idempotencyKey: `c-${p}` });
    }
    // Move the sequence just below the next multiple of 1000 so the five seat accounts straddle it
    // (the house accounts hold ids near the bigint maximum and do not use the sequence).
    await ds.query(`SELECT setval('account_id_seq', n + 995 - n % 1000) FROM (SELECT last_value AS n FROM account_id_seq) s`);
    for (const p of players) await buyIn(ds, { playerId: p, tableId: table, amount: chips(10), idempotencyKey: `b-${p}` });
    const { handId, seed } = await startTestHand(ds, table);
    await ds.transaction(async (em) => {
      const rows = (await em.query(SETTLE_LOCK_SQL, [handId, seed, 'null', players])) as { id: string }[];
      const ids = rows.map((r) => BigInt(r.id));
      // Five seats plus the table's own house_rake account, all in one ascending-id lock.
      expect(ids).toHaveLength(6);
      // The seat ids straddle a power of ten, so text order would differ from numeric order.
      expect(new Set(ids.map((id) => id.toString().length)).size).toBeGreaterThan(1);
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
      const locked = await lockAccounts(em, { walletOf: players[0], seatOf: { playerId: players[0]!, tableId: table }, house: ['house_rake', 'house_cash'] });
      const lockedIds = locked.map((a) => BigInt(a.id));
      expect(new Set(lockedIds.map((id) => id.toString().length)).size).toBeGreaterThan(1);
      expect(lockedIds).toEqual([...lockedIds].sort((a, b) => (a < b ? -1 : 1)));
    });
  });
});

describe('database guards that hold when code is bypassed', () => {
  it('rejects UPDATE, DELETE and TRUNCATE on ledger_entry, transfer and hand_event', async () => {
    const player = await createPlayer(ds);
    await credit(ds, { playerId: player, amount: chips(5), idempotencyKey: `c-${player}` });
    const table = await createTestTable(ds);
    const { handId } = await startTestHand(ds, table);
    await appendHandEvents(ds, handId, [{ seq: 0, type: 'deal', payload: {} }]);
    for (const sql of [
      `UPDATE ledger_entry SET amount = amount + 1`,
      `DELETE FROM ledger_entry`,
      `TRUNCATE ledger_entry CASCADE`,
      `UPDATE transfer SET reason = 'x'`,
      `DELETE FROM transfer`,
      `UPDATE hand_event SET type = 'x'`,
      `DELETE FROM hand_event`,
      `TRUNCATE hand_event`,
      `DELETE FROM account WHERE kind = 'house_rake'`,
    ]) {
      await expect(ds.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('keeps wallet and seat balances non-negative even for raw SQL', async () => {
    const player = await createPlayer(ds);
    await ensureWallet(ds, player);
    await expect(ds.query(`UPDATE account SET balance = -1 WHERE kind = 'wallet' AND player_id = $1`, [player])).rejects.toThrow(/account_non_negative/);
  });

  it('rejects an unbalanced transfer inserted with raw SQL at COMMIT', async () => {
    const player = await createPlayer(ds);
    await ensureWallet(ds, player);
    const insert = async (amounts: string[]) =>
      ds.transaction(async (em) => {
        const t = (await em.query(
          `INSERT INTO transfer (kind, idempotency_key, params_hash, result) VALUES ('adjustment', $1, repeat('0', 64), '{}') RETURNING id`,
          [`raw-${amounts.join()}-${player}`],
        )) as { id: string }[];
        const accounts = (await em.query(
          `SELECT id FROM account WHERE (kind = 'wallet' AND player_id = $1) OR kind = 'house_cash' ORDER BY id FOR UPDATE`,
          [player],
        )) as { id: string }[];
        for (const [i, amount] of amounts.entries()) {
          await em.query(`INSERT INTO ledger_entry (transfer_id, account_id, amount, balance_after) VALUES ($1, $2, $3, 0)`, [t[0]!.id, accounts[i]!.id, amount]);
        }
      });
    await expect(insert(['5', '-4'])).rejects.toThrow(/unbalanced/);
    await expect(insert(['5', '-5'])).resolves.toBeUndefined();
  });

  it('allows only one final transfer per hand', async () => {
    const table = await createTestTable(ds);
    const { handId } = await startTestHand(ds, table);
    const insert = (key: string) =>
      ds.query(`INSERT INTO transfer (kind, idempotency_key, params_hash, hand_id, result) VALUES ('void_refund', $1, repeat('0', 64), $2, '{}')`, [key, handId]);
    await insert(`f1-${handId}`);
    await expect(insert(`f2-${handId}`)).rejects.toThrow(/transfer_hand_final_uq/);
  });
});
