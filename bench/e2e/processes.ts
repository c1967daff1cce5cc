import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLOCK_TICKS_PER_SEC = 100;

/** A child process of this benchmark (server under test or peer), stopped by its own pid. */
export class Child {
  private exited: Promise<number | null>;

  constructor(readonly name: string, readonly proc: ChildProcess, readonly output: string[]) {
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }
}

/**
 * Starts `apps/server/src/main.ts` as its own process (`npm start` without npx in between, so
 * the pid is the server's and its CPU is measured alone). Resolves once it prints its URL.
 */
export async function startServerProcess(port: number, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<Child> {
  // LOG_LEVEL=warn: at info Fastify logs every request, which would be measured too.
  // The same flags as `npm start` (package.json): a larger young generation (fewer scavenges) and
  // one V8 helper thread. MBX_SERVER_NODE_ARGS adds more (e.g. `--trace-gc`) for a closer look,
  // and MBX_SERVER_OUTPUT names a file that gets all the server prints.
  const extra = (process.env.MBX_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const proc = spawn(process.execPath, ['--max-semi-space-size=64', '--v8-pool-size=1', ...extra, ...nodeArgs, '--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', MARKET_MAKER: '0', ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = new Child('server', proc, []);
  const tee = process.env.MBX_SERVER_OUTPUT ? createWriteStream(process.env.MBX_SERVER_OUTPUT) : undefined;
  const keep = (d: Buffer): void => {
    tee?.write(d);
    if (child.output.length < 200) child.output.push(d.toString());
  };
  if (tee !== undefined) proc.on('exit', () => tee.end());
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const start = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${child.output.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/v3/ping`).then((r) => r.ok, () => false);
    if (ok) return child;
    if (Date.now() - start > 60_000) throw new Error(`server did not answer on ${port}:\n${child.output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startNoopServer(): Promise<{ child: Child; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/e2e/noop-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = new Child('noop', proc, []);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not start:\n${child.output.join('')}`)), 60_000);
    const onData = (d: Buffer): void => {
      const s = d.toString();
      if (child.output.length < 200) child.output.push(s);
      const m = /listening (\d+)/.exec(s);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.proc.stdout!.on('data', onData);
    child.proc.stderr!.on('data', onData);
    child.proc.on('exit', (code) => reject(new Error(`${child.name} exited (${code}) before listening:\n${child.output.join('')}`)));
  }) as Promise<{ child: Child; port: number }>;
}

/** CPU time (user + system) of a process so far, from /proc; 0 when it is gone. */
/** CPU time (user + system) of a process, or with `tid` of one of its threads (`tid` = `pid`: the main thread). */
export function cpuMsOf(pid: number, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return 0;
  }
}

/**
 * A CPU probe over every process with this command name (e.g. all `postgres` backends): each
 * call returns the CPU used since the probe was made, summed per pid (processes that end in
 * between are lost, so it may undercount; it never goes backwards).
 */
export function cpuProbeOfAll(comm: string): () => number {
  const seen = new Map<number, number>();
  let total = 0;
  const scan = (): number => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== comm) continue;
      } catch {
        continue; // the process ended while we looked
      }
      const pid = Number(d);
      const ms = cpuMsOf(pid);
      const before = seen.get(pid);
      if (before !== undefined && ms >= before) total += ms - before;
      seen.set(pid, ms);
    }
    return total;
  };
  scan();
  return scan;
}
