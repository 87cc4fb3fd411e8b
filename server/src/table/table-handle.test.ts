/**
 * The table handle's answers around the lease, on fake ports: past the lease by the node's own clock it
 * refuses with `lease_lost` and sends the actor nothing; stopped (the lease was lost) it answers the
 * requests still waiting with `outcome_unknown` at once instead of after REQUEST_TIMEOUT_MS, and refuses
 * new ones.
 */
import pino from 'pino';
import { SimulatedClock } from 'xstate';
import { chips } from '../../../shared/money';
import { fakeConfig, fakeDeps, settleAsync } from '../../../test/helpers/table-fakes';
import { TableHandle } from './table-handle';

const join = (playerId: string) => ({ type: 'seat.join' as const, playerId, username: playerId, seat: 0, buyIn: chips(100), requestId: `join-${playerId}` });

function handle(current: { value: boolean }, hangBuyIns = false) {
  const { deps, ledger } = fakeDeps(new SimulatedClock());
  // A buy-in that never commits: the request stays with the actor until someone answers it.
  if (hangBuyIns) {
    ledger.buyIn = (p) => {
      ledger.calls.push({ port: 'ledger', name: 'buyIn', args: [p] });
      return new Promise(() => undefined);
    };
  }
  const table = new TableHandle(fakeConfig(), deps, 0, pino({ level: 'silent' }), { lease: { epoch: '1', current: () => current.value } });
  started.push(table);
  return { table, ledger };
}

// Every handle is stopped after its test, failed or not: a live actor's timers would keep jest running.
const started: TableHandle[] = [];
afterEach(() => {
  for (const table of started.splice(0)) table.stop();
});

describe('TableHandle and its lease', () => {
  it('refuses with lease_lost while the lease is past its local deadline, and the actor sees nothing', async () => {
    const lease = { value: false };
    const { table, ledger } = handle(lease);
    expect(await table.ask(join('alice'))).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    await settleAsync();
    expect(ledger.calls).toEqual([]);
    lease.value = true;
    expect(await table.ask(join('alice'))).toMatchObject({ ok: true });
  });

  it('does not remember a lease_lost answer: the same request id runs once the lease is current again', async () => {
    const lease = { value: false };
    const { table } = handle(lease);
    const event = join('dave');
    expect(await table.askOnce('dave', 'r-1', 'fp', event)).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    lease.value = true;
    expect(await table.askOnce('dave', 'r-1', 'fp', event)).toMatchObject({ ok: true });
    // A real answer is remembered: the same id again gets it without a second join.
    expect(await table.askOnce('dave', 'r-1', 'fp', event)).toMatchObject({ ok: true });
  });

  it('answers the requests a stopped actor still held with outcome_unknown at once, and refuses new ones', async () => {
    const { table, ledger } = handle({ value: true }, true);
    const waiting = table.ask(join('bob'));
    await settleAsync();
    expect(ledger.calls.map((c) => c.name)).toEqual(['buyIn']);
    table.stop();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(await table.ask(join('carol'))).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
  });
});
