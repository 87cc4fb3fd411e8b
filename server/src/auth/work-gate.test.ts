import { GateFullError, WorkGate } from './work-gate';

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
