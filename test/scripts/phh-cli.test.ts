import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../scripts/phh-cli';
import { HAND_1 } from '../helpers/engine-kit';

const ROOT = join(__dirname, '../..');
const GOOD = HAND_1;
const ILLEGAL_RAISE = GOOD.replace("'p1 cbr 9.57'", "'p1 cbr 0.57'");
const WRONG_STACKS = GOOD.replace('finishing_stacks = [7.75, 5.84]', 'finishing_stacks = [7.76, 5.83]');

describe('phh verify CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'phh-cli-'));
    writeFileSync(join(dir, 'good.phh'), GOOD);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'mixed.phhs'), `[1]\n${GOOD}\n[2]\n${ILLEGAL_RAISE}\n[3]\n${WRONG_STACKS}\n[4]\nvariant = \n`);
    writeFileSync(join(dir, 'nested', 'ignored.txt'), 'not a hand');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]): { code: number; lines: string[] } => {
    const lines: string[] = [];
    const code = main(args, (l) => lines.push(l));
    return { code, lines };
  };

  it('passes a good file with exit code 0', () => {
    const { code, lines } = run(['verify', join(dir, 'good.phh')]);
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toEqual({
      file: join(dir, 'good.phh'), hand: '1', ok: true, finishingStacks: ['7.75', '5.84'], expected: ['7.75', '5.84'],
    });
    expect(lines[1]).toBe('1 passed, 0 failed');
  });

  it('walks directories and fails tampered hands without crashing', () => {
    const { code, lines } = run(['verify', dir]);
    expect(code).toBe(1);
    expect(lines[lines.length - 1]).toBe('2 passed, 3 failed');
    const rows = lines.slice(0, -1).map((l) => JSON.parse(l) as { hand: string; ok: boolean; error?: string; file: string });
    const mixed = rows.filter((r) => r.file.endsWith('mixed.phhs'));
    expect(mixed.map((r) => [r.hand, r.ok])).toEqual([['1', true], ['2', false], ['3', false], ['4', false]]);
    expect(mixed[1]!.error).toMatch(/^action 5 'p1 cbr 0.57': invalid_amount/);
    expect(mixed[2]!.error).toMatch(/finishing stacks differ/);
    expect(mixed[3]!.error).toMatch(/line/);
  });

  it('reports a missing path as a failed line and prints usage for bad commands', () => {
    const missing = run(['verify', join(dir, 'nope.phh')]);
    expect([missing.code, missing.lines[missing.lines.length - 1]]).toEqual([1, '0 passed, 1 failed']);
    expect(run(['check']).code).toBe(2);
  });

  it('runs as npm run phh (spawned through tsx)', () => {
    const good = spawnSync('npx', ['tsx', 'scripts/phh-cli.ts', 'verify', join(dir, 'good.phh')], { cwd: ROOT, encoding: 'utf8' });
    expect([good.status, good.stdout.trim().split('\n').pop()]).toEqual([0, '1 passed, 0 failed']);
    const bad = spawnSync('npx', ['tsx', 'scripts/phh-cli.ts', 'verify', join(dir, 'nested')], { cwd: ROOT, encoding: 'utf8' });
    expect([bad.status, bad.stdout.trim().split('\n').pop()]).toEqual([1, '1 passed, 3 failed']);
  });
});
