/**
 * The Felt server of `npm run bench:flood`, in its own process so that the bots' CPU is not the
 * server's: boots through the simulator's in-process boot (embedded PostgreSQL with default durability
 * settings, so every settlement commits synchronously), prints one JSON line {url, admin} on stdout,
 * and shuts down cleanly on SIGTERM. Each SIGUSR2 prints PostgreSQL's counters as one more JSON line;
 * with FLOOD_PROFILE_OUT set, the first SIGUSR2 also starts a CPU profile and the second writes it, so
 * the profile covers play only (not boot, registration or cash-out).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { DataSource } from 'typeorm';
import { startInProcessFelt } from '../client-sim/src/in-process';

/** CPU time (user + system) this process has used, in ms. */
function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** Commits of this database and WAL fsyncs of the cluster (pg_stat_io, PostgreSQL 16+; null if absent). */
async function pgCounters(ds: DataSource): Promise<{ commits: number; rollbacks: number; walFsyncs: number | null; walFsyncTimeMs: number | null }> {
  const [db] = (await ds.query(`SELECT xact_commit::text AS c, xact_rollback::text AS r FROM pg_stat_database WHERE datname = current_database()`)) as Array<{ c: string; r: string }>;
  let walFsyncs: number | null = null;
  let walFsyncTimeMs: number | null = null;
  try {
    const [io] = (await ds.query(`SELECT sum(fsyncs)::text AS f, sum(fsync_time)::text AS t FROM pg_stat_io WHERE object = 'wal'`)) as Array<{ f: string | null; t: string | null }>;
    walFsyncs = io?.f ? Number(io.f) : null;
    walFsyncTimeMs = io?.t ? Number(io.t) : null;
  } catch {
    // Older servers have no WAL rows in pg_stat_io; commits alone still tell the story.
  }
  return { commits: Number(db?.c ?? 0), rollbacks: Number(db?.r ?? 0), walFsyncs, walFsyncTimeMs };
}

/** A CPU profile of this process between two toggles, written as a .cpuprofile file. */
class PlayProfiler {
  private readonly session = new Session();
  private running = false;

  constructor(private readonly out: string) {
    this.session.connect();
  }

  private post(method: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  }

  /** Starts the profile, or stops it and writes the file. */
  async toggle(): Promise<void> {
    if (!this.running) {
      this.running = true;
      await this.post('Profiler.enable');
      await this.post('Profiler.start');
      return;
    }
    this.running = false;
    const { profile } = (await this.post('Profiler.stop')) as { profile: unknown };
    writeFileSync(this.out, JSON.stringify(profile));
  }
}

async function main(): Promise<void> {
  const felt = await startInProcessFelt({
    logLevel: 'error',
    env: {
      // The flood's bots act far faster than people; per-socket limits are raised for them (the bots
      // pace themselves just under this), everything else is the default configuration.
      SOCKET_EVENTS_PER_SECOND: process.env.FLOOD_SOCKET_RATE ?? '200',
      SOCKET_EVENT_BURST: process.env.FLOOD_SOCKET_BURST ?? '400',
      DB_POOL_SIZE: process.env.FLOOD_DB_POOL ?? '20',
    },
  });
  process.stdout.write(`${JSON.stringify({ url: felt.url, admin: felt.admin })}\n`);
  const profiler = process.env.FLOOD_PROFILE_OUT ? new PlayProfiler(process.env.FLOOD_PROFILE_OUT) : null;
  process.on('SIGUSR2', () => {
    Promise.all([pgCounters(felt.dataSource), profiler?.toggle()]).then(
      // The server's own CPU (user + system) rides along, so the bench can divide it by hands and actions.
      ([counters]) => process.stdout.write(`${JSON.stringify({ counters: { ...counters, cpuMs: cpuMs() }, at: performance.now() })}\n`),
      (error: unknown) => process.stdout.write(`${JSON.stringify({ counters: null, error: String(error) })}\n`),
    );
  });
  const stop = () => {
    felt.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`flood server failed: ${String(error)}\n`);
  process.exit(1);
});
