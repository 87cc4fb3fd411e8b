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
   * The turn's deadline had passed by the time the answer came (by the bot's clock, which the simulator
   * shares with local nodes): the server's timer may have acted for the bot before its action arrived.
   * It happens to an action sent late (a paused node delivers its backlog of views at once on SIGCONT)
   * and to one that travelled slowly (a forward between nodes while Redis restarts on a loaded machine).
   * The action names its turn, so the server refuses it `not_your_turn` then; an illegal action is never
   * explained by lateness.
   */
  overdue: boolean;
}

/** True when the refusal `code` is explained by the circumstances, so it is no error. */
export function refusalExplained(code: string, c: RefusalCircumstances): boolean {
  if (c.inFailover && FAILOVER_CODES.has(code)) return true;
  const excused = c.late || c.leaving || c.dropped || c.chaosExcuse || c.overdue;
  return excused && OVERTAKEN.has(code);
}

/** True when the view's turn had passed its deadline at `atMs` (epoch ms). */
export function overdueAt(view: TableView, atMs: number): boolean {
  return !!view.turn && view.turn.deadline > 0 && atMs > view.turn.deadline;
}

/** Where the action came from, for the error line: which view, how late, and what the bot saw since. */
export function refusalDetail(view: TableView, sentAtMs: number, answeredAtMs: number, newest: TableView | null): string {
  const dueInMs = view.turn ? view.turn.deadline - sentAtMs : null;
  const turnOf = (v: TableView) => (v.turn ? `turn ${v.turn.number} (seat ${v.turn.seat})` : 'no turn');
  const mine = newest?.seats.find((s) => s.playerId === view.you?.playerId);
  const since = newest ? `seq ${newest.seq}, ${newest.handId === view.handId ? 'same hand' : 'another hand'}, ${turnOf(newest)}, own seat ${mine ? `${mine.status}${mine.connected ? '' : ' disconnected'}` : 'gone'}` : '-';
  return `(acted on view seq ${view.seq} at seat ${view.you?.seat ?? '-'}, ${turnOf(view)} due in ${dueInMs ?? '-'} ms when sent, answered ${answeredAtMs - sentAtMs} ms later; newest view since: ${since})`;
}
