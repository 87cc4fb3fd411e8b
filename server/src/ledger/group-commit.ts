/**
 * Group commit: ledger work of different tables that is ready at the same time shares one database
 * transaction, i.e. one COMMIT and one WAL flush, instead of paying one each. Every item runs in its
 * own SAVEPOINT, so an item that fails is rolled back alone and only its caller gets the error; the
 * others still commit. Every caller is answered only after the shared COMMIT returned (synchronous
 * commit, as everywhere in the ledger): durability is not traded for speed, only the fsync is shared.
 *
 * Batching: calls made in the same event-loop turn, or while every slot (`maxInFlight`) is busy,
 * queue up and form the next batches, up to `maxBatch` items each. Items must lock only rows of their own table (hand, seats,
 * the table's own house_rake account), never shared rows such as wallets: then no two items of one
 * batch wait for each other, and the locks a batch holds form no cycle with other transactions.
 * Hand settlements and voids qualify (see settle-sql.ts and hand-settlement.ts).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { LedgerError, isIdempotencyKeyRace, isRetryable, toLedgerError } from './errors';
import { DEFAULT_RETRY } from './retry';

/** Work that runs inside the shared transaction, within its own savepoint. */
export type GroupWork<T> = (em: EntityManager) => Promise<T>;

/** Limits of a group committer. */
export interface GroupCommitOptions {
  /**
   * Most items per transaction. 64 is also PostgreSQL's per-backend cache of subtransaction ids
   * (PGPROC_MAX_CACHED_SUBXIDS): past it, other sessions' snapshots would have to read pg_subtrans.
   */
  maxBatch: number;
  /**
   * Most transactions in flight at once (each holds one pooled connection). Below it, a settlement
   * starts at once on its own connection; at it, settlements wait and share the next transaction.
   */
  maxInFlight: number;
  /** Most items waiting; beyond it the database is not keeping up and callers are refused. */
  maxQueued: number;
}

/**
 * 64 items per batch; up to 16 transactions in flight (of the pool's default 20 connections, leaving room
 * for hand starts and seat moves), so settlements share commits only once that many are in flight:
 * the items of one batch run their round trips in series, and on a saturated event loop every round
 * trip costs the loop's lag, so grouping trades latency for fewer commits and should not start early.
 */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 64, maxInFlight: 16, maxQueued: 10_000 };

/** Counters, for tests and benchmarks: how much work shared how many commits. */
export interface GroupCommitStats {
  /** Transactions that committed. */
  commits: number;
  /** Items that committed (their work is durable). */
  committedItems: number;
  /** Items rolled back to their savepoint and answered with their own error. */
  failedItems: number;
  /** Largest batch so far. */
  largestBatch: number;
}

interface Pending {
  work: GroupWork<unknown>;
  /** Answers a lost race on a new idempotency key from the winner's committed row. */
  onKeyRace?: GroupWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The ledger's balance trigger is deferred to COMMIT, where one unbalanced transfer would fail the
 * whole group. Checked at the end of each statement instead (every transfer writes all its legs in one
 * statement), an unbalanced transfer fails inside its own savepoint.
 */
const IMMEDIATE_BALANCE_CHECK_SQL = `SET CONSTRAINTS ledger_entry_transfer_balanced IMMEDIATE`;
const SAVEPOINT = 'felt_group_item';

/** Runs ledger work of many callers in shared transactions; see the file comment. */
export class GroupCommit {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly counters: GroupCommitStats = { commits: 0, committedItems: 0, failedItems: 0, largestBatch: 0 };

  constructor(
    private readonly ds: DataSource,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Runs `work` in the next batch; resolves after its transaction committed, rejects with its own error. */
  run<T>(work: GroupWork<T>, onKeyRace?: GroupWork<T>): Promise<T> {
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new LedgerError('internal', `over ${this.options.maxQueued} ledger operations queued: the database is not keeping up`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, onKeyRace, resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
      this.schedule();
    });
  }

  /** A copy of the counters. */
  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // One event-loop turn of grace: tables whose hands ended on the same batch of input join one group.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  /**
   * Starts as many batches as there are free slots, spreading the queue evenly over them: the items of
   * one batch run one after another on one connection, so a few medium batches in parallel finish
   * sooner than one long one, while still sharing commits.
   */
  private startBatches(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const slots = this.options.maxInFlight - this.inFlight;
      const size = Math.min(this.options.maxBatch, Math.ceil(this.queue.length / slots));
      const batch = this.queue.splice(0, size);
      this.inFlight++;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
      void this.commitBatch(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  /** One transaction for the whole batch; answers every caller once it has ended. */
  private async commitBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.ds.transaction(async (em) => {
        const savepoints = new Savepoints(em);
        for (const item of batch) outcomes.push(await savepoints.run(item));
      });
    } catch (error) {
      // The transaction itself failed (lost connection, refused COMMIT): nothing of it is known to have
      // committed, so each caller hears it, and the ones that had failed alone hear their own error.
      const shared = toLedgerError(error);
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        item.reject(outcome && !outcome.ok ? toLedgerError(outcome.error) : shared);
      });
      return;
    }
    this.counters.commits++;
    batch.forEach((item, i) => this.answer(item, outcomes[i]!));
  }

  private answer(item: Pending, outcome: Outcome): void {
    if (outcome.ok) {
      this.counters.committedItems++;
      item.resolve(outcome.value);
      return;
    }
    // A deadlock or serialization failure cured by trying again: the item rejoins the queue, bounded.
    if (isRetryable(outcome.error) && item.attempts + 1 < DEFAULT_RETRY.attempts) {
      item.attempts++;
      this.queue.push(item);
      this.schedule();
      return;
    }
    this.counters.failedItems++;
    item.reject(toLedgerError(outcome.error));
  }
}

/**
 * Runs the items of one transaction, each in its own savepoint. Every statement here is a round trip
 * per item, and the items of a batch run one after another, so the bookkeeping statements ride
 * together: releasing one item's savepoint and opening the next one's is one round trip, and the first
 * opening also makes the balance check immediate. COMMIT releases the last savepoint.
 */
class Savepoints {
  private open = false;
  private first = true;

  constructor(private readonly em: EntityManager) {}

  /** Runs `item` inside a fresh savepoint; a failure rolls back to it and becomes this item's outcome. */
  async run(item: Pending): Promise<Outcome> {
    await this.em.query(this.opening());
    try {
      return { ok: true, value: await item.work(this.em) };
    } catch (error) {
      // If even the rollback fails, the transaction is unusable: that failure ends the whole batch.
      await this.em.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
      this.open = false;
      if (!item.onKeyRace || !isIdempotencyKeyRace(error)) return { ok: false, error };
      // The answer is read in a savepoint of its own, so that even a failing read fails this item alone.
      return this.run({ ...item, work: item.onKeyRace, onKeyRace: undefined });
    }
  }

  private opening(): string {
    const statements = [this.first ? IMMEDIATE_BALANCE_CHECK_SQL : null, this.open ? `RELEASE SAVEPOINT ${SAVEPOINT}` : null, `SAVEPOINT ${SAVEPOINT}`];
    this.first = false;
    this.open = true;
    return statements.filter((sql) => sql !== null).join('; ');
  }
}

const committers = new WeakMap<DataSource, GroupCommit>();

/** The one group committer of `ds`: every table of a process must share it for their work to group. */
export function groupCommitFor(ds: DataSource): GroupCommit {
  let committer = committers.get(ds);
  if (!committer) {
    committer = new GroupCommit(ds);
    committers.set(ds, committer);
  }
  return committer;
}
