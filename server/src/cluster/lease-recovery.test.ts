import { chips } from '../../../shared/money';
import type { TableConfig } from '../table/table-types';
import { placeSeats, restoresSeats } from './lease-recovery';

const CONFIG = {
  tableId: '00000000-0000-4000-8000-000000000001',
  name: 't',
  variant: 'NT',
  maxSeats: 3,
  unit: chips(1),
  smallBlind: chips(1),
  bigBlind: chips(2),
  ante: chips(0),
  minBuyIn: chips(40),
  maxBuyIn: chips(200),
  rakePercent: chips(0),
  rakeCap: chips(0),
  actionTimeoutMs: 15_000,
  timeBankMs: 30_000,
} as TableConfig;

const holding = (playerId: string, seatNumber: number | null, balance = '50') => ({ playerId, username: playerId, balance, seatNumber });

describe('placeSeats', () => {
  it('seats each player at the remembered seat, active and disconnected, with the seat balance as stack', () => {
    const { seats, unplaced } = placeSeats([holding('a', 2, '75'), holding('b', 0)], CONFIG, '7', 1_000);
    expect(unplaced).toEqual([]);
    expect(seats.map((s) => s?.playerId ?? null)).toEqual(['b', null, 'a']);
    expect(seats[2]).toMatchObject({ seat: 2, state: { kind: 'active', topUp: { kind: 'none' } }, presence: { kind: 'disconnected', since: 1_000 } });
    expect(seats[2]!.stack.toString()).toBe('75');
    // A fresh session per epoch: the restored seat's cash-out key can never replay an earlier session's.
    expect(seats[2]!.sessionId).toBe('restored-epoch-7');
  });

  it('puts a player whose seat is unknown, taken or out of range on the first free seat, and returns what finds no seat', () => {
    const { seats, unplaced } = placeSeats([holding('a', 1), holding('b', 1), holding('c', null), holding('d', 9)], CONFIG, '2', 0);
    expect(seats.map((s) => s?.playerId ?? null)).toEqual(['b', 'a', 'c']);
    expect(unplaced.map((h) => h.playerId)).toEqual(['d']);
  });
});

describe('restoresSeats', () => {
  it('restores after a crash or a lost lease, and returns chips after an orderly release or for a never-owned table', () => {
    expect([restoresSeats('own'), restoresSeats('expired'), restoresSeats('released'), restoresSeats('new')]).toEqual([true, true, false, false]);
  });
});
