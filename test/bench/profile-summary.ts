// Reads a V8 CPU profile (`BENCH_CPU_PROFILE` of `npm run bench:pipeline`, or `node --cpu-prof`) and prints the
// functions by self time and by total time, in ms and in ms per letter: `npx tsx test/bench/profile-summary.ts
// <file.cpuprofile> [letters] [rows]`. Sample times are wall time between samples, so on a loaded machine a function
// that happened to be running when the process was descheduled is overcharged; compare shares, not absolutes.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, lettersArg, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [letters] [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const letters = Number(lettersArg ?? 1);
const rows = Number(rowsArg ?? 40);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const sampled = new Map<number, number>();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const where = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*?\/(gateway|test|node_modules)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
};
const idle = new Set(['(idle)', '(program)', '(root)']);
const self = new Map<string, number>();
const total = new Map<string, number>();
let busy = 0;
for (const [id, us] of sampled) {
  const node = byId.get(id)!;
  if (idle.has(node.callFrame.functionName)) continue;
  busy += us;
  self.set(where(node), (self.get(where(node)) ?? 0) + us);
  const seen = new Set<string>();
  for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
    const k = where(byId.get(c)!);
    if (seen.has(k) || idle.has(byId.get(c)!.callFrame.functionName)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}
const line = (us: number, label: string) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${(us / 1000 / letters).toFixed(3).padStart(7)} ms/letter  ${label}`;
console.log(`busy (not idle) ${(busy / 1000).toFixed(0)} ms, ${(busy / 1000 / letters).toFixed(2)} ms/letter`);
for (const [title, m] of [
  ['self time', self],
  ['total time (self and callees)', total],
] as const) {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(line(us, k));
}
