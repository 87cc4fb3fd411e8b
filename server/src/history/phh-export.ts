/**
 * PHH export of stored hands (https://phh.readthedocs.io). The body comes from the engine's own writer
 * (shared/engine/phh.ts `phhFromHand`): players in action order (p1 first left of the button, the last
 * player is the button; heads-up p2 is the button and posts the small blind), every deal, action and
 * shown hand, and `finishing_stacks` from the engine's re-execution. Felt adds the optional descriptive
 * fields (hand: the site-wide number, table, seats, seat_count, players, date) and `_table_hand_number`; the engine's writer adds `_rake`, `_rake_percent` and
 * `_rake_cap` to raked hands (docs/HAND-HISTORY.md).
 */
import { orderFromButton } from '../../../shared/engine/hand';
import { type PhhHand, phhFromHand, serialisePhhs, writePhh } from '../../../shared/engine/phh';
import { type ReplayedHand, type StoredHand, nameOf, replayStored } from './hand-record';

/** A TOML string literal; names never contain both quote kinds (usernames are [A-Za-z0-9_.-]). */
function tomlString(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/"/g, '')}"`;
}

/** The PHH record of one stored hand (which must be complete: settled hands only). */
export function phhFromStored(hand: StoredHand, replayed: ReplayedHand = replayStored(hand)): PhhHand {
  const { state, meta } = replayed;
  if (!state.handResult) throw new Error(`hand ${hand.handId} is not complete and cannot be exported`);
  const phh = phhFromHand(state);
  const order = orderFromButton(state).map((i) => state.seats[i]!);
  const playerOf = new Map(meta.seats.map((s) => [s.seat, s.playerId]));
  const d = hand.startedAt;
  const extra: [string, string][] = [
    // The site-wide number: per-table numbers repeat across tables, and trackers drop repeats.
    ['hand', hand.siteHandNumber],
    ['table', tomlString(hand.tableName)],
    ['seat_count', String(meta.maxSeats)],
    ['seats', `[${order.map((s) => s.seat + 1).join(', ')}]`],
    ['players', `[${order.map((s) => tomlString(nameOf(hand, playerOf.get(s.seat) ?? ''))).join(', ')}]`],
    ['day', String(d.getUTCDate())],
    ['month', String(d.getUTCMonth() + 1)],
    ['year', String(d.getUTCFullYear())],
    ['time_zone', "'UTC'"],
    ['_table_hand_number', hand.handNumber],
  ];
  // The descriptive fields first, then the engine's own (the rake of a raked hand).
  return { ...phh, extra: [...extra, ...phh.extra] };
}

/** One hand as a `.phh` file. */
export function phhText(hand: StoredHand): string {
  return writePhh(phhFromStored(hand));
}

/** Several hands as one `.phhs` file (sections [1], [2], …). */
export function phhsText(hands: readonly StoredHand[]): string {
  return serialisePhhs(hands.map((h) => phhFromStored(h)));
}
