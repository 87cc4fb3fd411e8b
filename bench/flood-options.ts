/** The simulator options every flood run shares (single process and --workers), so both measure the same load. */
import type { SimOptions } from '../client-sim/src/sim';
import { UNLIMITED_HANDS } from '../client-sim/src/run';

/** The flood's load: tables x seats of mixed bots, no chaos, as fast as pacing allows, for `durationMs`. */
export function floodSimOptions(args: { tables: number; seats: number; durationMs: number }): Pick<
  SimOptions,
  'tables' | 'seats' | 'hands' | 'durationMs' | 'variant' | 'strategy' | 'chaos' | 'seed' | 'buyInsPerBot' | 'pacing' | 'progress'
> {
  return {
    tables: args.tables,
    seats: args.seats,
    hands: UNLIMITED_HANDS,
    durationMs: args.durationMs,
    variant: 'NT',
    strategy: 'mixed',
    chaos: false,
    seed: 1,
    // Enough money that no table empties during the run: a flood measures the server, not bankruptcies.
    buyInsPerBot: 1_000,
    pacing: { perSecond: 190, burst: 380 },
    progress: { stream: process.stderr, mode: 'lines', intervalMs: 10_000 },
  };
}
