// Prints the hottest functions (self time) of a .cpuprofile: node bench/profile-summary.ts FILE [N]
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

export function summarize(file: string, top = 25): string[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<string, number>();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const counts = new Map<number, number>();
  for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  let total = 0;
  for (const [id, c] of counts) {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + c);
    total += c;
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => `${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  for (const line of summarize(process.argv[2], Number(process.argv[3] ?? 25))) console.log(line);
}
