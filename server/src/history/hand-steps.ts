/**
 * The step-by-step view of a stored hand for the admin replayer: after each stored event, the board,
 * every seat's stack and chips in front, the pot, the street, the seat the event is about and a
 * one-line description. Derived only from the stored events (no engine replay), so it shows exactly
 * what was recorded, timeouts included. Seats are numbered as the API numbers them (from 0).
 */
import { type Chips, ZERO, chips, formatAmount } from '../../../shared/money';
import { parseCards, splitCards } from '../../../shared/engine/cards';
import { describeHandWithKickers, evaluate, evaluateOmaha } from '../../../shared/engine/evaluator';
import { type StoredHand, nameOf, parseMeta } from './hand-record';

/** One replayer step. */
export interface HandStep {
  seq: number;
  text: string;
  /** The street the hand is on after this event: preflop, flop, turn or river. */
  street: string;
  /** The seat this event is about (who posted, acted, showed, won), or null for board and hand events. */
  actorSeat: number | null;
  board: string[];
  pot: string;
  seats: Array<{ seat: number; name: string; stack: string; inFront: string; cards: string[]; folded: boolean; shown: boolean }>;
}

interface SeatTrack {
  seat: number;
  name: string;
  stack: Chips;
  inFront: Chips;
  cards: string[];
  folded: boolean;
  shown: boolean;
}

type Payload = Record<string, string | number | boolean | undefined>;

/**
 * The shown hand described with its kickers ("Pair, Aces, kickers King, Nine, Four"), computed from
 * the shown cards and the board; the stored description when the cards cannot be evaluated.
 */
export function shownHandText(variant: string, hole: string, board: string[], stored: string): string {
  const holeCards = parseCards(hole);
  const boardCards = parseCards(board.join(''));
  if (!holeCards || !boardCards || boardCards.length < 3) return stored;
  try {
    return describeHandWithKickers(variant === 'PO' ? evaluateOmaha(holeCards, boardCards) : evaluate([...holeCards, ...boardCards]));
  } catch {
    return stored;
  }
}

/** Every step of a stored hand (the first is the deal). */
export function handSteps(hand: StoredHand): HandStep[] {
  const meta = parseMeta(hand.config);
  const unit = meta.engine.unit;
  const f = (x: Chips) => formatAmount(x, unit);
  const seats: SeatTrack[] = meta.seats.map((s) => ({
    seat: s.seat, name: nameOf(hand, s.playerId), stack: s.stack, inFront: ZERO, cards: [], folded: false, shown: false,
  }));
  const at = (seat: unknown) => seats.find((s) => s.seat === seat);
  const track = { board: [] as string[], pot: ZERO, street: 'preflop' };
  const move = (s: SeatTrack | undefined, amount: Chips) => {
    if (!s) return;
    s.stack = s.stack.minus(amount);
    s.inFront = s.inFront.plus(amount);
    track.pot = track.pot.plus(amount);
  };
  const steps: HandStep[] = [];
  for (const e of [...hand.events].sort((a, b) => a.seq - b.seq)) {
    const p = e.payload as Payload;
    const s = at(p.seat);
    const amount = typeof p.amount === 'string' ? chips(p.amount) : ZERO;
    let text: string;
    switch (e.type) {
      case 'start': text = `Hand #${hand.handNumber} starts; button ${at(p.button) ? `seat ${String(p.button)}` : '?'}`; break;
      case 'post': move(s, amount); text = `${s?.name} posts ${String(p.kind)} ${p.amount}${p.allIn ? ' (all-in)' : ''}`; break;
      case 'deal_hole':
        if (s) s.cards = splitCards(String(p.cards));
        text = p.cards ? `${s?.name} is dealt ${splitCards(String(p.cards)).join(' ')}` : `${s?.name} is dealt (hidden while the hand is live)`;
        break;
      case 'action':
        move(s, amount);
        if (p.action === 'fold' && s) s.folded = true;
        text = `${s?.name} ${String(p.action)}s${p.to ? ` to ${p.to}` : amount.gt(0) ? ` ${p.amount}` : ''}${p.allIn ? ' (all-in)' : ''}`;
        break;
      case 'street':
        for (const x of seats) x.inFront = ZERO;
        track.board = [...track.board, ...splitCards(String(p.cards))];
        track.street = String(p.street);
        text = `${String(p.street)}: ${splitCards(String(p.cards)).join(' ')}`;
        break;
      case 'uncalled_return': move(s, amount.neg()); text = `${p.amount} uncalled returned to ${s?.name}`; break;
      case 'showdown':
        if (s) s.shown = p.shown === true;
        text = p.shown
          ? `${s?.name} shows ${splitCards(String(p.cards)).join(' ')} (${shownHandText(meta.engine.variant, String(p.cards), track.board, String(p.description))})`
          : `${s?.name} mucks`;
        break;
      case 'rake': track.pot = track.pot.minus(amount); text = `rake ${p.amount}`; break;
      case 'award':
        for (const x of seats) x.inFront = ZERO;
        if (s) s.stack = s.stack.plus(amount);
        track.pot = track.pot.minus(amount);
        text = `${s?.name} wins ${p.amount} from ${Number(p.pot) === 0 ? 'the main pot' : `side pot ${Number(p.pot)}`}`;
        break;
      case 'timeout': text = `${s?.name} timed out`; break;
      default: text = e.type;
    }
    steps.push({
      seq: e.seq, text, street: track.street, actorSeat: s ? s.seat : null, board: [...track.board], pot: f(track.pot),
      seats: seats.map((x) => ({ ...x, stack: f(x.stack), inFront: f(x.inFront), cards: [...x.cards] })),
    });
  }
  return steps;
}
