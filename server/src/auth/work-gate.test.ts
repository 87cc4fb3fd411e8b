import { FairWorkGate, GateFullError, WorkGate } from './work-gate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkGate', () => {
  it('runs at most maxRunning tasks at once and refuses beyond the queue', async () => {
    const gate = new WorkGate(2, 1);
    let active = 0;
    let peak = 0;
    const blockers = [deferred(), deferred(), deferred()];
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await blockers[i]!.promise;
      active--;
      return i;
    };
    const runs = [gate.run(task(0)), gate.run(task(1)), gate.run(task(2))];
    await expect(gate.run(task(0))).rejects.toBeInstanceOf(GateFullError);
    blockers.forEach((b) => b.resolve());
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(peak).toBe(2);
    // Once drained, the gate accepts work again.
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('frees the slot when a task throws', async () => {
    const gate = new WorkGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });
});

describe('FairWorkGate', () => {
  it('serves waiting keys round-robin, so one flooding key does not starve another', async () => {
    const gate = new FairWorkGate(1, 100, 1000);
    const order: string[] = [];
    const hold = deferred();
    const first = gate.run('flood', async () => {
      order.push('flood');
      await hold.promise;
    });
    const runs: Array<Promise<unknown>> = [first];
    for (let i = 0; i < 10; i++) runs.push(gate.run('flood', async () => void order.push('flood')));
    runs.push(gate.run('real', async () => void order.push('real')));
    hold.resolve();
    await Promise.all(runs);
    // The real client's task runs right after the first queued flood task, not after all ten.
    expect(order.indexOf('real')).toBe(2);
  });

  it('caps the places one key holds in the queue without refusing other keys', async () => {
    const gate = new FairWorkGate(1, 2, 10);
    const hold = deferred();
    const runs: Array<Promise<unknown>> = [gate.run('a', () => hold.promise)];
    runs.push(gate.run('a', async () => 1), gate.run('a', async () => 2));
    await expect(gate.run('a', async () => 3)).rejects.toBeInstanceOf(GateFullError);
    runs.push(gate.run('b', async () => 4));
    hold.resolve();
    await Promise.all(runs);
    await expect(gate.run('a', async () => 'ok')).resolves.toBe('ok');
  });
});
