/**
 * `npm run hands -- <command>` over the database at DATABASE_URL, or without it over the embedded
 * PostgreSQL of `npm start` (connected to if Felt runs, else started for the command; see
 * server/src/persistence/cli-database.ts):
 *   verify --hand <id> | --table <id> | --all   re-executes hands; one line per hand, then a summary.
 *   export --format pokerstars|phh [--hand <id> | --table <id>] [--hero <playerId>] [--out <file>]   settled hands
 *     as one file, numbered with the site-wide hand number; with --hero, only the hero's hands, the hero's cards face up.
 * Exit codes: 0 success (every hand verified), 1 a difference was found, 2 usage or runtime error.
 */
import { writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { withCliDataSource } from '../server/src/persistence/cli-database';
import { type HandFilter, loadHands, searchHands } from '../server/src/history/hand-query';
import { type StoredHand, parseMeta } from '../server/src/history/hand-record';
import { verifyStoredHand } from '../server/src/history/hand-verify';
import { pokerStarsFile, pokerStarsFromStored } from '../server/src/history/pokerstars-export';
import { phhsText } from '../server/src/history/phh-export';

const USAGE = [
  'usage: hands verify --hand <id> | --table <id> | --all',
  '       hands export --format pokerstars|phh [--hand <id> | --table <id>] [--hero <playerId>] [--out <file>]',
].join('\n');

/** Parsed `--flag value` options; a flag without a value is "true". */
function options(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[arg.slice(2)] = next;
      i++;
    } else out[arg.slice(2)] = 'true';
  }
  return out;
}

/** Every hand matching `filter`, oldest first, a page at a time (so memory stays bounded by the caller's use). */
async function* handsOf(ds: DataSource, filter: HandFilter): AsyncGenerator<StoredHand> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await searchHands(ds, filter, 200, cursor);
    pages.push(page.hands.map((h) => h.handId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  for (const ids of pages.reverse()) for (const hand of await loadHands(ds, ids.reverse())) yield hand;
}

async function selection(ds: DataSource, o: Record<string, string>, settledOnly: boolean): Promise<AsyncIterable<StoredHand> | StoredHand[]> {
  if (o.hand) {
    const hands = await loadHands(ds, [o.hand]);
    if (hands.length === 0) throw new Error(`no hand ${o.hand}`);
    return hands;
  }
  if (!o.table && !o.all && !settledOnly) throw new Error('choose --hand, --table or --all');
  return handsOf(ds, { ...(o.table ? { tableId: o.table } : {}), ...(settledOnly ? { status: 'settled' as const } : {}) });
}

/** True when the player was dealt into the hand. */
function dealtIn(hand: StoredHand, playerId: string): boolean {
  return parseMeta(hand.config).seats.some((s) => s.playerId === playerId);
}

/** Runs one command against `ds`, writing lines to `write`; returns the exit code. */
export async function run(args: readonly string[], ds: DataSource, write: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  const o = options(rest);
  if (command === 'verify') {
    let passed = 0;
    let failed = 0;
    for await (const hand of await selection(ds, o, false)) {
      const v = verifyStoredHand(hand);
      if (v.ok) passed++;
      else failed++;
      const detail = v.differences.map((d) => `${d.field}: expected ${d.expected}, stored ${d.actual}`).join('; ');
      write(`${v.ok ? 'OK  ' : 'FAIL'} hand ${hand.handId} #${hand.siteHandNumber} (${hand.tableName} #${hand.handNumber}) ${hand.status}${detail ? ` — ${detail}` : ''}`);
    }
    write(`${passed} verified, ${failed} with differences`);
    return failed === 0 ? 0 : 1;
  }
  if (command === 'export') {
    if (o.format !== 'pokerstars' && o.format !== 'phh') throw new Error('--format must be pokerstars or phh');
    const hero = o.hero?.toLowerCase();
    const hands: StoredHand[] = [];
    for await (const hand of await selection(ds, o, true)) {
      if (hand.status === 'settled' && (hero === undefined || dealtIn(hand, hero))) hands.push(hand);
    }
    if (o.hand && hero !== undefined && hands.length === 0) throw new Error(`hero_not_in_hand: ${hero} was not dealt into hand ${o.hand}`);
    const text = o.format === 'phh' ? phhsText(hands) : pokerStarsFile(hands.map((h) => pokerStarsFromStored(h, hero)));
    if (o.out) {
      writeFileSync(o.out, text);
      write(`wrote ${hands.length} hands to ${o.out}`);
    } else write(text.replace(/\n$/, ''));
    return 0;
  }
  write(USAGE);
  return 2;
}

async function main(): Promise<number> {
  return withCliDataSource('hands', process.env, (ds) => run(process.argv.slice(2), ds, (line) => process.stdout.write(`${line}\n`)));
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`hands: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
      process.exit(2);
    },
  );
}
