/**
 * Recognises and stops a PostgreSQL server left running on our data directory by a Felt process that
 * died without shutting it down (kill -9, OOM killer, power loss of the terminal). The embedded server
 * is a child process, and a child outlives a parent killed with SIGKILL, so the next start would find
 * the data directory locked ("lock file postmaster.pid already exists") and fail until someone stopped
 * the leftover by hand.
 *
 * Felt writes an owner file beside the data directory (`<dataDir>.owner.json`: its pid and process
 * start time) when it starts the embedded server. At the next start, a live postmaster of this data
 * directory whose owner is gone is stale and is shut down; one whose owner is still alive belongs to a
 * Felt that is running, and is left alone with a clear error. Processes are only ever identified by the
 * pid in postmaster.pid, checked against the process's own command line, never by name.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What postmaster.pid says: the postmaster's pid, data directory and port (its first, second and fourth lines). */
export interface PostmasterLock {
  pid: number;
  dataDir: string;
  port: number;
}

/** Who started the embedded server on a data directory. */
interface Owner {
  pid: number;
  /** Process start time from /proc (clock ticks since boot), so a reused pid is not mistaken for the owner. */
  startTime: string | null;
}

/** Logging the module needs. */
type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

const ownerFile = (dataDir: string) => `${dataDir}.owner.json`;

/** Reads `<dataDir>/postmaster.pid`; undefined when absent or unreadable. */
export function readPostmasterLock(dataDir: string): PostmasterLock | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, dataDir: lines[1] ?? '', port: Number(lines[3]) };
}

/** The process's state letter, parent pid and start time from /proc/<pid>/stat; undefined without /proc or when it is gone. */
function procStat(pid: number): { state: string; ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces, so fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** True while `pid` is a live process (a zombie that only waits to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the `postgres` user when we are not root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStat(pid)?.state !== 'Z';
}

/** True when `pid` is a PostgreSQL server started on `dataDir`, judged by its own command line where /proc exists. */
function isPostmasterOf(pid: number, dataDir: string): boolean {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    // Without /proc (macOS), postmaster.pid naming this data directory and a live pid is the best evidence.
    return isAlive(pid);
  }
  const dir = argv.indexOf('-D');
  return path.basename(argv[0] ?? '') === 'postgres' && dir >= 0 && path.resolve(argv[dir + 1] ?? '') === dataDir;
}

function readOwner(dataDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, startTime: owner.startTime ?? null } : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: Owner): boolean {
  if (owner.pid === process.pid || !isAlive(owner.pid)) return false;
  const now = procStat(owner.pid)?.startTime;
  return owner.startTime === null || now === undefined || now === owner.startTime;
}

/** The pid of the process's parent when that parent is a live Node.js process other than this one. */
function liveNodeParent(pid: number): number | undefined {
  const ppid = procStat(pid)?.ppid;
  if (ppid === undefined || ppid <= 1 || ppid === process.pid) return undefined;
  try {
    const argv0 = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /node/.test(path.basename(argv0)) && isAlive(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the one that runs the embedded server on `dataDir`. */
export function claimDataDir(dataDir: string): void {
  const owner: Owner = { pid: process.pid, startTime: procStat(process.pid)?.startTime ?? null };
  writeFileSync(ownerFile(dataDir), `${JSON.stringify(owner)}\n`);
}

/** Forgets the owner record after a clean stop. */
export function releaseDataDir(dataDir: string): void {
  if (readOwner(dataDir)?.pid === process.pid) rmSync(ownerFile(dataDir), { force: true });
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops a stale postmaster of `dataDir` left by a Felt that died; does nothing when there is none.
 * Throws when the postmaster belongs to a Felt that is still running, or will not stop.
 */
export async function stopStalePostmaster(dataDir: string, log: Log): Promise<void> {
  const lock = readPostmasterLock(dataDir);
  if (!lock || !isAlive(lock.pid) || !isPostmasterOf(lock.pid, dataDir)) return;
  const owner = readOwner(dataDir);
  // Without an owner record (a Felt from before owner records), a postmaster whose parent is still a
  // live Node.js process is taken to belong to a running Felt; a stale one was re-parented to init.
  const ownerPid = owner ? (ownerAlive(owner) ? owner.pid : undefined) : liveNodeParent(lock.pid);
  if (ownerPid !== undefined) {
    throw new Error(`another Felt (pid ${ownerPid}) is running the embedded PostgreSQL (pid ${lock.pid}) on ${dataDir}; stop it first`);
  }
  log.warn({ pid: lock.pid, dataDir, previousOwner: owner?.pid ?? null }, 'stopping the PostgreSQL left running by a Felt that did not shut down');
  // SIGINT is PostgreSQL's fast shutdown: sessions are cut, and the data is checkpointed and consistent.
  // SIGQUIT (immediate shutdown, crash recovery at the next start) is the fallback if that hangs.
  for (const [signal, waitMs] of [['SIGINT', 30_000], ['SIGQUIT', 10_000]] as const) {
    try {
      process.kill(lock.pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(lock.pid, waitMs)) {
      log.info({ pid: lock.pid, signal }, 'stale PostgreSQL stopped');
      return;
    }
  }
  throw new Error(`the PostgreSQL left running on ${dataDir} (pid ${lock.pid}) did not stop; stop it by hand`);
}
