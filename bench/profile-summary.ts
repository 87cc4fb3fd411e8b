/** Summarises a V8 .cpuprofile: self time by function and by package/area, heaviest first. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One row of a summary: a name and its self time. */
export interface ProfileRow {
  name: string;
  selfMs: number;
  percent: number;
}

/** Where a script URL belongs: a node_modules package, node internals, or a project folder. */
export function areaOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:/, 'node:').split('/').slice(0, 2).join('/');
  const local = /\/work\/main\/([^/]+\/(?:src\/)?[^/]+)/.exec(url);
  return local ? local[1]! : url;
}

/** Top functions and areas by self time. */
export function summariseProfile(file: string, top = 25): { totalMs: number; functions: ProfileRow[]; areas: ProfileRow[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '');
    const name = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    // Native frames have no script: name them by function (writev = socket writes, for example).
    const a = ['(idle)', '(program)', '(garbage collector)'].includes(functionName) ? functionName : url ? areaOf(url) : `(native) ${functionName}`;
    area.set(a, (area.get(a) ?? 0) + us);
    total += us;
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), percent: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rows(fn), areas: rows(area) };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts file.cpuprofile');
  const s = summariseProfile(file);
  process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
}
