import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly functions: readonly HotFunction[];
}

export interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

/**
 * Top self-time functions of the main thread's .cpuprofile in `dir` (V8 `--cpu-prof`), by summed
 * sample time. Worker threads (tsx's loader, the PGlite worker, the snapshot replica) write
 * profiles of their own; the main thread's is the one with thread id 0.
 */
export function topSelfTime(dir: string, top = 15): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // V8 names them CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
  // Without that pattern, the largest (the PGlite worker's may be larger when it is busy).
  const file = files.find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    ?? files.sort((a, b) => statSync(path.join(dir, a)).size - statSync(path.join(dir, b)).size).pop();
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i]!);
    const dt = prof.timeDeltas[i] ?? 0;
    if (n === undefined) continue;
    totalUs += dt;
    const f = n.callFrame;
    const where = f.url === '' ? '' : `${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
    const key = `${f.functionName || '(anonymous)'}\t${where}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
  }
  // Idle time is the server waiting (for fsync, for requests): shown apart, not as a hot function.
  const functions = [...selfUs.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => {
    const [name, where] = k.split('\t') as [string, string];
    return { name, where, selfMs: Math.round(us / 1000), selfPct: Math.round((us / Math.max(1, totalUs)) * 1000) / 10 };
  });
  const idleUs = [...selfUs.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), functions };
}
