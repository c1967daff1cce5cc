import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WrkResult {
  readonly requestsPerSec: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly socketErrors: string;
  /** Closed-loop latency as wrk reports it (coordinated omission included): for reference only. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly cpuMs: number;
}

/** Writes a Lua script that replays `requests` (raw HTTP bytes) round robin. */
export function writeLuaScript(dir: string, requests: readonly string[]): string {
  const file = path.join(dir, 'presigned.lua');
  const body = requests.map((r) => JSON.stringify(r)).join(',\n');
  writeFileSync(file, `local reqs = {\n${body}\n}\nlocal n = #reqs\nlocal i = 0\nrequest = function()\n  i = i + 1\n  if i > n then i = 1 end\n  return reqs[i]\nend\n`);
  return file;
}

const unit = (v: string, u: string): number => Number(v) * (u === 'us' ? 0.001 : u === 's' ? 1000 : u === 'm' ? 60_000 : 1);

/** Runs wrk (1 thread, `connections` keep-alive connections) and reads its figures and its CPU time (bash `times`). */
export async function runWrk(url: string, script: string | undefined, connections: number, durationSec: number): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${durationSec}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const cmd = `wrk ${args.map((a) => `'${a}'`).join(' ')}; times`;
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let s = '';
    p.stdout.on('data', (d: Buffer) => { s += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { s += d.toString(); });
    p.on('error', reject);
    p.on('exit', () => resolve(s));
  });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (rps === null) throw new Error(`wrk failed:\n${out}`);
  const total = /(\d+) requests in/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = /Socket errors: (.*)/.exec(out);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s|m)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)/.exec(out);
  // `times` prints the shell's then its children's user/system times: "0m1.234s 0m0.567s".
  const times = [...out.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)];
  const child = times[1];
  const cpuMs = child === undefined ? 0 : Math.round((Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000);
  return {
    requestsPerSec: Math.round(Number(rps[1])), requests: Number(total?.[1] ?? 0), non2xx: Number(non2xx?.[1] ?? 0),
    socketErrors: errors?.[1]?.trim() ?? 'none',
    latencyMs: { p50: p50 ? unit(p50[1]!, p50[2]!) : 0, p99: p99 ? unit(p99[1]!, p99[2]!) : 0 }, cpuMs,
  };
}
