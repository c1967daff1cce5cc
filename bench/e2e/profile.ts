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
 * sample time. tsx's loader runs in a worker thread that writes its own (small) profile: the
 * largest file is the server's main thread.
 */
export function topSelfTime(dir: string, top = 15): ProfileSummary {
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => statSync(path.join(dir, a)).size - statSync(path.join(dir, b)).size).pop();
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
