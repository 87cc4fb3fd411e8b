/**
 * The processes under one of ours (Linux /proc), each identified by PID and start time, so that a
 * cleanup never signals a PID the system has since given to someone else's process.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A process another process of ours started, identified by PID and start time (so a reused PID is never hit). */
export interface Descendant {
  pid: number;
  alive(): boolean;
  kill(): void;
}

/** Start time (clock ticks since boot) of `pid` from /proc, or null when it is gone. */
function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Every live descendant of `root` (Linux /proc; empty elsewhere). */
export function descendants(root: number): Descendant[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e));
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parentOf.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited while we looked.
    }
  }
  const found: Descendant[] = [];
  const inTree = (pid: number): boolean => {
    for (let p = parentOf.get(pid), depth = 0; p !== undefined && depth < 32; p = parentOf.get(p), depth++) if (p === root) return true;
    return false;
  };
  for (const pid of parentOf.keys()) {
    if (!inTree(pid)) continue;
    const started = startTicks(pid);
    const same = () => started !== null && startTicks(pid) === started;
    found.push({ pid, alive: same, kill: () => void (same() && process.kill(pid, 'SIGKILL')) });
  }
  return found;
}
