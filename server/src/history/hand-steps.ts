/**
 * The step-by-step view of a stored hand for the admin replayer: after each stored event, the board,
 * every seat's stack and chips in front, the pot and a one-line description. Derived only from the
 * stored events (no engine), so it shows exactly what was recorded, timeouts included.
 */
import { type Chips, ZERO, chips, formatAmount } from '../../../shared/money';
import { splitCards } from '../table/hand-flow';
import { type StoredHand, nameOf, parseMeta } from './hand-record';

/** One replayer step. */
export interface HandStep {
  seq: number;
  text: string;
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

/** Every step of a stored hand (the first is the deal). */
export function handSteps(hand: StoredHand): HandStep[] {
  const meta = parseMeta(hand.config);
  const unit = meta.engine.unit;
  const f = (x: Chips) => formatAmount(x, unit);
  const seats: SeatTrack[] = meta.seats.map((s) => ({
    seat: s.seat, name: nameOf(hand, s.playerId), stack: s.stack, inFront: ZERO, cards: [], folded: false, shown: false,
  }));
  const at = (seat: unknown) => seats.find((s) => s.seat === seat);
  let board: string[] = [];
  let pot: Chips = ZERO;
  const steps: HandStep[] = [];
  const snapshot = (seq: number, text: string) => steps.push({
    seq, text, board: [...board], pot: f(pot),
    seats: seats.map((s) => ({ ...s, stack: f(s.stack), inFront: f(s.inFront), cards: [...s.cards] })),
  });
  const move = (s: SeatTrack | undefined, amount: Chips) => {
    if (!s) return;
    s.stack = s.stack.minus(amount);
    s.inFront = s.inFront.plus(amount);
    pot = pot.plus(amount);
  };
  for (const e of [...hand.events].sort((a, b) => a.seq - b.seq)) {
    const p = e.payload as Record<string, string | number | boolean | undefined>;
    const s = at(p.seat);
    const amount = typeof p.amount === 'string' ? chips(p.amount) : ZERO;
    let text: string;
    switch (e.type) {
      case 'start': text = `Hand #${hand.handNumber} starts; button ${meta.seats.find((x) => x.seat === p.button) ? `seat ${Number(p.button) + 1}` : '?'}`; break;
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
        board = [...board, ...splitCards(String(p.cards))];
        text = `${String(p.street)}: ${splitCards(String(p.cards)).join(' ')}`;
        break;
      case 'uncalled_return': move(s, amount.neg()); text = `${p.amount} uncalled returned to ${s?.name}`; break;
      case 'showdown': if (s) s.shown = p.shown === true; text = p.shown ? `${s?.name} shows ${splitCards(String(p.cards)).join(' ')} (${String(p.description)})` : `${s?.name} mucks`; break;
      case 'rake': pot = pot.minus(amount); text = `rake ${p.amount}`; break;
      case 'award':
        for (const x of seats) x.inFront = ZERO;
        if (s) s.stack = s.stack.plus(amount);
        pot = pot.minus(amount);
        text = `${s?.name} wins ${p.amount} from pot ${Number(p.pot) + 1}`;
        break;
      case 'timeout': text = `${s?.name} timed out`; break;
      default: text = e.type;
    }
    snapshot(e.seq, text);
  }
  return steps;
}
