/**
 * Whether a refused `table:act` is explained by the run (a failover, a deliberate chaos behaviour, a
 * stale view) or points at a bug in the bot or the server. Kept apart from the bot so the rule is one
 * table that reads top to bottom.
 */
import type { TableView } from '../../shared/protocol';
import { FAILOVER_CODES } from './stats';

/** Refusals a player gets when the server acted for them before their action arrived. */
const OVERTAKEN = new Set(['not_your_turn', 'stale_hand', 'not_seated']);

/** What the bot knew when its action was refused. */
export interface RefusalCircumstances {
  /** The action was deliberately sent late (chaos "slow"). */
  late: boolean;
  /** The bot was leaving its seat: the server folds a leaving player at its turn. */
  leaving: boolean;
  /** The connection dropped while the action was in flight. */
  dropped: boolean;
  /** Chaos explains it (an out-of-turn probe raced into the turn, or a timer acted for the bot). */
  chaosExcuse: boolean;
  /** A node or Redis is being lost on purpose: tables move and answers may be lost. */
  inFailover: boolean;
  /**
   * The view the bot acted on was already past its turn's deadline when the bot sent the action (by the
   * bot's clock, which the simulator shares with local nodes). Such a view arrived late: after a stall
   * (a paused node's backlog of broadcasts is delivered at once on SIGCONT) the server has long timed the
   * turn out and may even be at a later turn of the same player, where the stale action is illegal.
   */
  overdue: boolean;
}

/** True when the refusal `code` is explained by the circumstances, so it is no error. */
export function refusalExplained(code: string, c: RefusalCircumstances): boolean {
  if (c.inFailover && FAILOVER_CODES.has(code)) return true;
  if (c.overdue && (OVERTAKEN.has(code) || code === 'illegal_action')) return true;
  const excused = c.late || c.leaving || c.dropped || c.chaosExcuse;
  return excused && OVERTAKEN.has(code);
}

/** True when the view's turn had passed its deadline at `sentAtMs` (epoch ms). */
export function overdueAt(view: TableView, sentAtMs: number): boolean {
  return !!view.turn && view.turn.deadline > 0 && sentAtMs > view.turn.deadline;
}

/** Where the action came from, for the error line: which view, how late, and what the bot saw since. */
export function refusalDetail(view: TableView, sentAtMs: number, newestSeq: number | undefined): string {
  const dueInMs = view.turn ? view.turn.deadline - sentAtMs : null;
  return `(acted on view seq ${view.seq}, turn ${view.turn?.number ?? '-'} due in ${dueInMs ?? '-'} ms; newest view since: seq ${newestSeq ?? '-'})`;
}
