/**
 * Reading and writing the Poker Hand History format (PHH, https://phh.readthedocs.io): a `.phh` file is
 * one hand written in a small TOML subset; a `.phhs` file holds several hands in sections `[1]`, `[2]`….
 * Amounts are kept as their original text so that a read-write round trip is byte-exact and no amount
 * ever passes through a float. Replaying a hand through the engine lives in phh-replay.ts and is
 * re-exported here.
 */

/** One parsed value of the TOML subset: string, boolean, number (kept as text) or array. */
export type PhhValue =
  | { t: 's'; v: string }
  | { t: 'b'; v: boolean }
  | { t: 'n'; v: string }
  | { t: 'a'; v: PhhValue[] };

/** A hand as written in PHH; amounts are decimal strings exactly as they appear in the file. */
export interface PhhHand {
  variant: string;
  /** PokerKit's flag for trimming antes to what a short stack can pay; Felt always posts at most the stack, so it is informational. */
  anteTrimmingStatus?: boolean;
  antes: string[];
  blindsOrStraddles: string[];
  minBet?: string;
  smallBet?: string;
  bigBet?: string;
  startingStacks: string[];
  actions: string[];
  finishingStacks?: string[];
  /** Any other keys, in file order, with their raw value text (kept for round trips). */
  extra: [string, string][];
}

/** A section of a `.phhs` file: its name and the hand, or why it could not be read. */
export type PhhSection = { section: string; hand: PhhHand; error?: undefined } | { section: string; hand?: undefined; error: string };

/** Thrown for text that is not valid PHH; the message names the line. */
export class PhhParseError extends Error {}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/** Parses one value (string, boolean, number or array) starting at `pos`; returns it and the position after it. */
function parseValue(text: string, pos: number): { value: PhhValue; end: number } {
  let i = pos;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  const c = text[i];
  if (c === "'" || c === '"') {
    const close = text.indexOf(c, i + 1);
    if (close < 0) throw new PhhParseError('unterminated string');
    return { value: { t: 's', v: text.slice(i + 1, close) }, end: close + 1 };
  }
  if (c === '[') {
    const items: PhhValue[] = [];
    i++;
    for (;;) {
      while (/[\s,]/.test(text[i] ?? '')) i++;
      if (i >= text.length) throw new PhhParseError('unterminated array');
      if (text[i] === ']') return { value: { t: 'a', v: items }, end: i + 1 };
      const item = parseValue(text, i);
      items.push(item.value);
      i = item.end;
      while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
      if (i >= text.length) throw new PhhParseError('unterminated array');
      if (text[i] !== ',' && text[i] !== ']') throw new PhhParseError(`expected , or ] at "${text.slice(i, i + 10)}"`);
    }
  }
  const m = /^[^\s,\]]+/.exec(text.slice(i));
  const word = m ? m[0] : '';
  if (word === 'true' || word === 'false') return { value: { t: 'b', v: word === 'true' }, end: i + word.length };
  if (NUMBER.test(word)) return { value: { t: 'n', v: word }, end: i + word.length };
  throw new PhhParseError(`unsupported value "${text.slice(i, i + 20)}"`);
}

/** Splits text into key = raw-value entries; arrays may span lines; `#` starts a comment outside strings. */
function entries(text: string, firstLine: number): { key: string; raw: string; line: number }[] {
  const out: { key: string; raw: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const line = stripComment(lines[k]!).trim();
    if (line === '') continue;
    const m = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new PhhParseError(`line ${firstLine + k}: expected key = value`);
    let raw = m[2]!;
    const startLine = firstLine + k;
    while (depth(raw) > 0 && k + 1 < lines.length) raw += '\n' + stripComment(lines[++k]!);
    out.push({ key: m[1]!, raw: raw.trim(), line: startLine });
  }
  return out;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function depth(raw: string): number {
  let d = 0;
  let quote: string | undefined;
  for (const c of raw) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') d++;
    else if (c === ']') d--;
  }
  return d;
}

function strings(v: PhhValue, key: string, kind: 's' | 'n'): string[] {
  if (v.t !== 'a' || v.v.some((x) => x.t !== kind)) throw new PhhParseError(`${key} must be an array of ${kind === 's' ? 'strings' : 'numbers'}`);
  return v.v.map((x) => x.v as string);
}

function scalar(v: PhhValue, key: string, kind: 's' | 'n'): string {
  if (v.t !== kind) throw new PhhParseError(`${key} must be a ${kind === 's' ? 'string' : 'number'}`);
  return v.v;
}

/** Parses the body of one hand (the contents of a `.phh` file or of one `.phhs` section). */
export function parsePhh(text: string, firstLine = 1): PhhHand {
  const hand: Partial<PhhHand> & { extra: [string, string][] } = { extra: [] };
  const seen = new Set<string>();
  for (const { key, raw, line } of entries(text, firstLine)) {
    if (seen.has(key)) throw new PhhParseError(`line ${line}: duplicate key ${key}`);
    seen.add(key);
    let value: PhhValue;
    try {
      const parsed = parseValue(raw, 0);
      if (raw.slice(parsed.end).trim() !== '') throw new PhhParseError('trailing text after the value');
      value = parsed.value;
    } catch (e) {
      throw new PhhParseError(`line ${line}: ${(e as Error).message}`);
    }
    try {
      assign(hand, key, value, raw);
    } catch (e) {
      throw new PhhParseError(`line ${line}: ${(e as Error).message}`);
    }
  }
  for (const key of ['variant', 'antes', 'blindsOrStraddles', 'startingStacks', 'actions'] as const) {
    if (hand[key] === undefined) throw new PhhParseError(`missing required key ${snake(key)}`);
  }
  return hand as PhhHand;
}

function assign(hand: Partial<PhhHand> & { extra: [string, string][] }, key: string, value: PhhValue, raw: string): void {
  switch (key) {
    case 'variant': hand.variant = scalar(value, key, 's'); break;
    case 'ante_trimming_status':
      if (value.t !== 'b') throw new PhhParseError(`${key} must be a boolean`);
      hand.anteTrimmingStatus = value.v;
      break;
    case 'antes': hand.antes = strings(value, key, 'n'); break;
    case 'blinds_or_straddles': hand.blindsOrStraddles = strings(value, key, 'n'); break;
    case 'min_bet': hand.minBet = scalar(value, key, 'n'); break;
    case 'small_bet': hand.smallBet = scalar(value, key, 'n'); break;
    case 'big_bet': hand.bigBet = scalar(value, key, 'n'); break;
    case 'starting_stacks': hand.startingStacks = strings(value, key, 'n'); break;
    case 'actions': hand.actions = strings(value, key, 's'); break;
    case 'finishing_stacks': hand.finishingStacks = strings(value, key, 'n'); break;
    default: hand.extra.push([key, raw]);
  }
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** Parses a `.phhs` file into its sections; a malformed section is reported, not thrown. */
export function parsePhhs(text: string): PhhSection[] {
  const lines = text.split(/\r?\n/);
  const sections: PhhSection[] = [];
  let name: string | undefined;
  let body: string[] = [];
  let bodyStart = 1;
  const flush = (): void => {
    if (name === undefined) {
      if (body.some((l) => stripComment(l).trim() !== '')) sections.push({ section: '', error: 'text before the first [section]' });
      return;
    }
    try {
      sections.push({ section: name, hand: parsePhh(body.join('\n'), bodyStart) });
    } catch (e) {
      sections.push({ section: name, error: (e as Error).message });
    }
  };
  lines.forEach((line, k) => {
    const m = /^\s*\[([^\]]+)\]\s*$/.exec(stripComment(line));
    if (m) {
      flush();
      name = m[1]!.trim();
      body = [];
      bodyStart = k + 2;
    } else {
      body.push(line);
    }
  });
  flush();
  return sections;
}

function quote(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (s.includes('"')) throw new Error(`cannot write a string with both quote kinds: ${s}`);
  return `"${s}"`;
}

/** Writes one hand in PHH (the same key order and layout as the corpus, so reading then writing is exact). */
export function writePhh(hand: PhhHand): string {
  const lines = [`variant = ${quote(hand.variant)}`];
  if (hand.anteTrimmingStatus !== undefined) lines.push(`ante_trimming_status = ${hand.anteTrimmingStatus}`);
  lines.push(`antes = [${hand.antes.join(', ')}]`);
  lines.push(`blinds_or_straddles = [${hand.blindsOrStraddles.join(', ')}]`);
  if (hand.minBet !== undefined) lines.push(`min_bet = ${hand.minBet}`);
  if (hand.smallBet !== undefined) lines.push(`small_bet = ${hand.smallBet}`);
  if (hand.bigBet !== undefined) lines.push(`big_bet = ${hand.bigBet}`);
  lines.push(`starting_stacks = [${hand.startingStacks.join(', ')}]`);
  lines.push(`actions = [${hand.actions.map(quote).join(', ')}]`);
  if (hand.finishingStacks !== undefined) lines.push(`finishing_stacks = [${hand.finishingStacks.join(', ')}]`);
  for (const [key, raw] of hand.extra) lines.push(`${key} = ${raw}`);
  return lines.join('\n') + '\n';
}

/** Writes several hands as a `.phhs` file with sections [1], [2], …. */
export function serialisePhhs(hands: readonly PhhHand[]): string {
  return hands.map((h, i) => `[${i + 1}]\n${writePhh(h)}`).join('\n');
}

export { replayPhh, phhFromHand, type ReplayOutcome } from './phh-replay';
