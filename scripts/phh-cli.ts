/**
 * PHH command line: `npm run -s phh -- verify <files or dirs…>` replays every hand (`.phh` files are one
 * hand, `.phhs` files hold sections [1], [2]…; directories are walked for both) through the engine and
 * prints one JSON line per hand, then a last line "N passed, M failed". The exit code is 0 only if
 * every hand passed. A malformed or illegal hand is a failed line, never a crash.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parsePhh, parsePhhs, replayPhh } from '../shared/engine/phh';

/** One verified hand, as printed. */
export interface VerifyLine {
  file: string;
  hand: string | null;
  ok: boolean;
  finishingStacks: string[];
  expected: string[];
  error?: string;
}

function walk(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) walk(join(path, name), out);
  } else if (path.endsWith('.phh') || path.endsWith('.phhs')) {
    out.push(path);
  }
}

function verifyFile(file: string): VerifyLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return [{ file, hand: null, ok: false, finishingStacks: [], expected: [], error: (e as Error).message }];
  }
  const sections = file.endsWith('.phhs')
    ? parsePhhs(text)
    : [(() => {
      try {
        return { section: '1', hand: parsePhh(text) };
      } catch (e) {
        return { section: '1', error: (e as Error).message };
      }
    })()];
  return sections.map((s): VerifyLine => {
    if (!s.hand) return { file, hand: s.section, ok: false, finishingStacks: [], expected: [], error: s.error ?? 'unreadable' };
    try {
      const r = replayPhh(s.hand);
      return {
        file, hand: s.section, ok: r.ok, finishingStacks: r.finishingStacks, expected: r.expected ?? [],
        ...(r.error !== undefined ? { error: r.error } : {}),
      };
    } catch (e) {
      // replayPhh reports problems as values; an exception here is an engine invariant failure.
      return { file, hand: s.section, ok: false, finishingStacks: [], expected: [], error: `engine error: ${(e as Error).message}` };
    }
  });
}

/** Runs the CLI with `args` (without node and script), writing lines to `write`; returns the exit code. */
export function main(args: readonly string[], write: (line: string) => void = (l) => process.stdout.write(l + '\n')): number {
  const [command, ...paths] = args;
  if (command !== 'verify' || paths.length === 0) {
    write('usage: phh verify <files or directories…>');
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const path of paths) {
    const files: string[] = [];
    try {
      walk(path, files);
    } catch (e) {
      write(JSON.stringify({ file: path, hand: null, ok: false, finishingStacks: [], expected: [], error: (e as Error).message }));
      failed++;
      continue;
    }
    for (const file of files) {
      for (const line of verifyFile(file)) {
        write(JSON.stringify(line));
        if (line.ok) passed++;
        else failed++;
      }
    }
  }
  write(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
