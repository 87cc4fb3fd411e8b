/**
 * PokerStars-format hand histories, the text layout PokerTracker and Hold'em Manager import. Written
 * from the engine's re-execution of the stored hand (see hand-record.ts), so amounts, pots and the
 * showdown are what the engine derives. Seats are numbered from 1 as PokerStars does (Felt seat 0 is
 * "Seat 1"). Cash tables (unit below 1) are written in dollars, chip tables as plain numbers.
 */
import { type Chips, ZERO, chips, formatAmount, maxChips, sumChips } from '../../../shared/money';
import { formatCard, splitCards } from '../../../shared/engine/cards';
import { result as engineResult } from '../../../shared/engine/hand';
import type { HandEvent, HandResult, HandState, Variant } from '../../../shared/engine/types';
import { type ReplayedHand, type StoredHand, nameOf, replayStored } from './hand-record';

/** Thrown when the hero asked for was not dealt into the hand (the API answers `hero_not_in_hand`). */
export class HeroNotInHandError extends Error {}

/** Everything one PokerStars hand needs. */
export interface PokerStarsHand {
  /** The site-wide hand number: trackers drop hands whose number they have already seen. */
  handNumber: string;
  startedAt: Date;
  tableName: string;
  maxSeats: number;
  /** The engine state after the last action (complete for a settled hand). */
  state: HandState;
  /** Display name of every seat in the hand. */
  names: Record<number, string>;
  /** The player whose hole cards are dealt face up; without one, only cards shown down are printed. */
  heroSeat?: number;
  /** Indexes (among action events) of actions forced by a timeout. */
  timedOutActions?: Set<number>;
}

const GAMES: Record<Variant, string> = { NT: "Hold'em No Limit", PO: 'Omaha Pot Limit', FT: "Hold'em Limit" };
const STREET_NAMES = { flop: 'FLOP', turn: 'TURN', river: 'RIVER' } as const;
const FOLDED_ON = { preflop: 'before Flop', flop: 'on the Flop', turn: 'on the Turn', river: 'on the River' } as const;

/** "2021/12/06 5:48:54" in US Eastern time, as PokerStars stamps its hands. */
export function easternTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: 'numeric', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${Number(get('hour'))}:${get('minute')}:${get('second')}`;
}

function cardList(cards: string): string {
  return `[${splitCards(cards).join(' ')}]`;
}

/** Formats one hand in PokerStars' layout (lines joined with "\n", no trailing newline). */
export function formatPokerStarsHand(h: PokerStarsHand): string {
  const c = h.state.config;
  const cash = c.unit.lt(1);
  const m = (x: Chips) => `${cash ? '$' : ''}${formatAmount(x, c.unit)}`;
  const name = (seat: number) => h.names[seat] ?? `Seat ${seat + 1}`;
  const [low, high] = c.variant === 'FT' ? [c.smallBet ?? c.bigBlind, c.bigBet ?? c.bigBlind.mul(2)] : [c.smallBlind, c.bigBlind];
  const button = h.state.seats[h.state.buttonIndex]!.seat;
  const lines = [
    `PokerStars Hand #${h.handNumber}:  ${GAMES[c.variant]} (${m(low)}/${m(high)}${cash ? ' USD' : ''}) - ${easternTime(h.startedAt)} ET`,
    `Table '${h.tableName.replace(/[\r\n\t']/g, ' ')}' ${h.maxSeats}-max Seat #${button + 1} is the button`,
    ...h.state.seats.map((s) => `Seat ${s.seat + 1}: ${name(s.seat)} (${m(s.startingStack)} in chips)`),
  ];
  const play = playLines(h, m, name);
  lines.push(...play.lines);
  if (h.state.handResult) lines.push(...summaryLines(h, h.state.handResult, play, m, name));
  return lines.join('\n');
}

interface PlayInfo {
  lines: string[];
  /** Street on which each folded seat folded. */
  foldedOn: Map<number, keyof typeof FOLDED_ON>;
  blinds: Map<number, string[]>;
  /** Seats that put chips in voluntarily or posted a blind. */
  bet: Set<number>;
}

/** The action part: posts, hole cards, streets, actions, returns, showdown and collections. */
function playLines(h: PokerStarsHand, m: (x: Chips) => string, name: (seat: number) => string): PlayInfo {
  const info: PlayInfo = { lines: [], foldedOn: new Map(), blinds: new Map(), bet: new Set() };
  const out = info.lines;
  let street: keyof typeof FOLDED_ON = 'preflop';
  let board: string[] = [];
  let currentBet: Chips = ZERO;
  let dealt = false;
  let showdown = false;
  let actionIndex = 0;
  const awards: Array<{ pot: number; line: string }> = [];
  const pots = h.state.handResult?.pots.length ?? 1;
  const potName = (k: number) => (pots === 1 ? 'pot' : k === 0 ? 'main pot' : pots === 2 ? 'side pot' : `side pot-${k}`);
  const allIn = (e: { allIn: boolean }) => (e.allIn ? ' and is all-in' : '');
  for (const e of h.state.events) {
    switch (e.type) {
      case 'post': {
        const what = { ante: 'the ante', sb: 'small blind', bb: 'big blind', straddle: 'straddle' }[e.kind];
        out.push(`${name(e.seat)}: posts ${what} ${m(amount(e.amount))}${allIn(e)}`);
        if (e.kind !== 'ante') {
          info.blinds.set(e.seat, [...(info.blinds.get(e.seat) ?? []), e.kind]);
          info.bet.add(e.seat);
          currentBet = maxChips(currentBet, amount(e.amount));
        }
        break;
      }
      case 'deal_hole':
        if (!dealt) out.push('*** HOLE CARDS ***');
        dealt = true;
        // Trackers read every "Dealt to" line with cards as the hero's: without a hero there is none.
        if (h.heroSeat === e.seat) out.push(`Dealt to ${name(e.seat)} ${cardList(e.cards)}`);
        break;
      case 'action':
        if (h.timedOutActions?.has(actionIndex)) out.push(`${name(e.seat)} has timed out`);
        actionIndex++;
        out.push(`${name(e.seat)}: ${actionText(e, currentBet, m)}${allIn(e)}`);
        if (e.action === 'fold') info.foldedOn.set(e.seat, street);
        if (amount(e.amount).gt(0)) info.bet.add(e.seat);
        if (e.to !== undefined) currentBet = amount(e.to);
        break;
      case 'street': {
        const cards = splitCards(e.cards);
        out.push(`*** ${STREET_NAMES[e.street]} *** ${board.length > 0 ? `[${board.join(' ')}] ` : ''}[${cards.join(' ')}]`);
        board = [...board, ...cards];
        street = e.street;
        currentBet = ZERO;
        break;
      }
      case 'uncalled_return':
        out.push(`Uncalled bet (${m(amount(e.amount))}) returned to ${name(e.seat)}`);
        break;
      case 'showdown':
        if (!showdown) out.push('*** SHOW DOWN ***');
        showdown = true;
        out.push(e.shown ? `${name(e.seat)}: shows ${cardList(e.cards ?? '')} (${pokerStarsDescription(e.description ?? '')})` : `${name(e.seat)}: mucks hand`);
        break;
      case 'award':
        awards.push({ pot: e.pot, line: `${name(e.seat)} collected ${m(amount(e.amount))} from ${potName(e.pot)}` });
        break;
      default:
        break;
    }
  }
  // PokerStars announces side pots before the main pot (the last side pot first).
  out.push(...awards.sort((a, b) => b.pot - a.pot).map((a) => a.line));
  return info;
}

const NAMES = ['Deuce', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Jack', 'Queen', 'King', 'Ace'];
const ENGINE_NAMES = ['Two', ...NAMES.slice(1)];
const rankName = (engineName: string) => NAMES[ENGINE_NAMES.indexOf(engineName)] ?? engineName;
const plural = (enginePlural: string) => (enginePlural === 'Twos' ? 'Deuces' : enginePlural);

/** The engine's hand description in PokerStars' wording ("Pair, Kings" → "a pair of Kings"). */
export function pokerStarsDescription(engine: string): string {
  const [kind = '', rest = ''] = engine.split(', ');
  const high = /^(\w+) high$/.exec(rest)?.[1] ?? '';
  switch (kind) {
    case 'High Card': return `high card ${rankName(rest)}`;
    case 'Pair': return `a pair of ${plural(rest)}`;
    case 'Two Pair': return `two pair, ${rest.split(' and ').map(plural).join(' and ')}`;
    case 'Three of a Kind': return `three of a kind, ${plural(rest)}`;
    case 'Straight':
    case 'Straight Flush': {
      const top = ENGINE_NAMES.indexOf(high);
      const low = top === 3 ? 'Ace' : NAMES[top - 4] ?? '?';
      return `${kind === 'Straight' ? 'a straight' : 'a straight flush'}, ${low} to ${rankName(high)}`;
    }
    case 'Flush': return `a flush, ${rankName(high)} high`;
    case 'Full House': return `a full house, ${rest.split(' full of ').map(plural).join(' full of ')}`;
    case 'Four of a Kind': return `four of a kind, ${plural(rest)}`;
    case 'Royal Flush': return 'a Royal Flush';
    default: return engine;
  }
}

function amount(text: string): Chips {
  return chips(text);
}

function actionText(e: Extract<HandEvent, { type: 'action' }>, currentBet: Chips, m: (x: Chips) => string): string {
  switch (e.action) {
    case 'fold': return 'folds';
    case 'check': return 'checks';
    case 'call': return `calls ${m(amount(e.amount))}`;
    case 'bet': return `bets ${m(amount(e.to ?? e.amount))}`;
    case 'raise': {
      const to = amount(e.to ?? e.amount);
      return `raises ${m(to.minus(currentBet))} to ${m(to)}`;
    }
  }
}

function summaryLines(h: PokerStarsHand, r: HandResult, play: PlayInfo, m: (x: Chips) => string, name: (seat: number) => string): string[] {
  const total = sumChips(r.pots.map((p) => p.amount));
  let potText = `Total pot ${m(total)}`;
  if (r.pots.length > 1) {
    potText += ` Main pot ${m(r.pots[0]!.amount)}.`;
    r.pots.slice(1).forEach((p, k) => {
      potText += ` Side pot${r.pots.length > 2 ? `-${k + 1}` : ''} ${m(p.amount)}.`;
    });
  }
  const lines = ['*** SUMMARY ***', `${potText} | Rake ${m(r.rake)}`];
  if (r.board.length > 0) lines.push(`Board [${r.board.map(formatCard).join(' ')}]`);
  const button = h.state.seats[h.state.buttonIndex]!.seat;
  for (const s of h.state.seats) {
    let text = `Seat ${s.seat + 1}: ${name(s.seat)}`;
    if (s.seat === button) text += ' (button)';
    for (const kind of play.blinds.get(s.seat) ?? []) text += kind === 'sb' ? ' (small blind)' : kind === 'bb' ? ' (big blind)' : '';
    const won = r.payouts[s.seat] ?? ZERO;
    const shown = r.showdown.find((x) => x.seat === s.seat);
    const folded = play.foldedOn.get(s.seat);
    if (folded) text += ` folded ${FOLDED_ON[folded]}${folded === 'preflop' && !play.bet.has(s.seat) ? " (didn't bet)" : ''}`;
    else if (shown && shown.shown) {
      const cards = `[${shown.cards.map(formatCard).join(' ')}]`;
      text += won.gt(0) ? ` showed ${cards} and won (${m(won)}) with ${pokerStarsDescription(shown.description)}` : ` showed ${cards} and lost with ${pokerStarsDescription(shown.description)}`;
    } else if (shown) text += ' mucked';
    else if (won.gt(0)) text += ` collected (${m(won)})`;
    lines.push(text);
  }
  return lines;
}


/**
 * Exports one stored hand. With `heroPlayerId`, that player's hole cards are dealt face up (and a
 * hero who was not dealt in is refused with HeroNotInHandError); without, only cards shown down appear.
 */
export function pokerStarsFromStored(hand: StoredHand, heroPlayerId?: string, replayed: ReplayedHand = replayStored(hand)): string {
  const names: Record<number, string> = {};
  for (const s of replayed.meta.seats) names[s.seat] = nameOf(hand, s.playerId);
  const hero = heroPlayerId === undefined ? undefined : replayed.meta.seats.find((s) => s.playerId === heroPlayerId)?.seat;
  if (heroPlayerId !== undefined && hero === undefined) throw new HeroNotInHandError(`player ${heroPlayerId} was not dealt into hand ${hand.siteHandNumber}`);
  engineResult(replayed.state);
  return formatPokerStarsHand({
    handNumber: hand.siteHandNumber, startedAt: hand.startedAt, tableName: hand.tableName, maxSeats: replayed.meta.maxSeats,
    state: replayed.state, names, ...(hero !== undefined ? { heroSeat: hero } : {}), timedOutActions: replayed.timedOutActions,
  });
}

/** Several hands as one file, separated by blank lines as PokerStars writes them. */
export function pokerStarsFile(hands: readonly string[]): string {
  return hands.map((h) => `${h}\n`).join('\n\n\n');
}
