import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { EngineEvent } from '@matchbox/domain';
import { MemorySnapshotStore, decodeCommandBatch, matchboxEngineCodec, recover, type CommandLog } from '@matchbox/log';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
import { PG_URL, REDIS_URL, Sandbox as BaseSandbox } from '../support/sandbox.ts';

export { PG_URL, REDIS_URL };

/** The shared sandbox plus what the role processes need: one server key, env per role. */
export class Sandbox extends BaseSandbox {
  readonly serverKey = randomBytes(32).toString('hex');
  private readonly children: RoleProcess[] = [];

  constructor() {
    super('topo');
  }

  /** Starts `node apps/server/src/main.ts` with ROLE set; `killAll` ends it with the others. */
  start(name: string, role: string, extra: Record<string, string> = {}): RoleProcess {
    const p = new RoleProcess(name, this.env(role, extra));
    this.children.push(p);
    return p;
  }

  async killAll(): Promise<void> {
    for (const c of this.children) await c.kill();
  }

  env(role: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ROLE: role, PORT: '0', HOST: '127.0.0.1', REDIS_URL, DATABASE_URL: this.databaseUrl, REDIS_PREFIX: this.prefix,
      SERVER_KEY: this.serverKey, DEV_FAUCET: '1', LOG_LEVEL: 'info',
      RATE_LIMIT_ORDERS_PER_10S: '1000000', RATE_LIMIT_WEIGHT_PER_MINUTE: '10000000', ...extra,
    };
  }
}

/** One `node apps/server/src/main.ts` child with ROLE set; knows its URL from its start-up line. */
export class RoleProcess {
  readonly proc: ChildProcess;
  private out = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  readonly url: Promise<string>;

  constructor(readonly name: string, env: Record<string, string>) {
    const { ROLE: _r, PORT: _p, ...inherited } = process.env;
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: REPO_ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => { this.exit = { code, signal }; resolve(); }));
    this.url = new Promise((resolve, reject) => {
      const onData = (d: Buffer): void => {
        this.out += d.toString();
        if (this.out.length > 2_000_000) this.out = this.out.slice(-1_000_000);
        const m = /Matchbox \w+ is running at (http:\/\/[^\s"]+)/.exec(this.out);
        if (m) resolve(m[1]!);
      };
      this.proc.stdout!.on('data', onData);
      this.proc.stderr!.on('data', onData);
      void this.exited.then(() => reject(new Error(`${name} exited before it was ready: ${this.tail()}`)));
    });
    this.url.catch(() => {});
  }

  get pid(): number { return this.proc.pid!; }

  get running(): boolean { return this.exit === undefined; }

  output(): string { return this.out; }

  tail(n = 3000): string { return this.out.slice(-n); }

  /** The JSON log lines with this `msg`. */
  logLines(msg: string): Record<string, unknown>[] {
    return this.out.split('\n').filter((l) => l.includes(msg)).map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } }).filter((o) => o.msg === msg);
  }

  /** SIGKILL this child (by its own pid) and wait for it to be gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGKILL');
    await this.exited;
  }

  /** SIGTERM (clean shutdown) and wait; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.running) process.kill(this.pid, 'SIGTERM');
    await this.exited;
    return this.exit!.code;
  }
}

export interface User { readonly userId: number; readonly apiKey: string; readonly secretKey: string }

export async function faucet(url: string, deposits: Record<string, string>): Promise<User> {
  const r = await fetch(`${url}/api/v1/dev/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deposits }) });
  if (r.status !== 200) throw new Error(`faucet: ${r.status} ${await r.text()}`);
  return (await r.json()) as User;
}

/** A Binance SIGNED request (all parameters in the query string). Throws on a network error. */
export async function signed(url: string, user: User, method: 'GET' | 'POST' | 'DELETE', route: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const q = new URLSearchParams({ ...params, timestamp: String(Date.now()), recvWindow: '60000' }).toString();
  const sig = createHmac('sha256', user.secretKey).update(q).digest('hex');
  const r = await fetch(`${url}${route}?${q}&signature=${sig}`, { method, headers: { 'X-MBX-APIKEY': user.apiKey } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

export async function health(url: string): Promise<{ ok: boolean; lastSeq: number }> {
  const r = await fetch(`${url}/health`);
  return (await r.json()) as { ok: boolean; lastSeq: number };
}

/** Polls `check` until it returns a value (bounded; the bound is a hang guard, not a timing assertion). */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every intake entry delivered to the sequencer's group and acked. */
export async function intakeDrained(redis: Redis, prefix: string): Promise<boolean> {
  const key = `${prefix}:intake`;
  const stream = (await redis.xinfo('STREAM', key)) as unknown[];
  const lastId = String(stream[stream.indexOf('last-generated-id') + 1]);
  const groups = (await redis.xinfo('GROUPS', key)) as unknown[][];
  const g = groups.map((row) => Object.fromEntries(row.flatMap((v, i) => (i % 2 === 0 ? [[String(v), row[i + 1]]] : [])))).find((x) => x.name === 'sequencer');
  return g !== undefined && String(g['last-delivered-id']) === lastId && Number(g.pending) === 0;
}

/** Replays the whole command log into a fresh engine: order events by id, request ids, and the state hash at `toSeq`. */
export async function referenceReplay(commandLog: CommandLog, toSeq: number) {
  if ((await commandLog.lastSeq()) !== toSeq) throw new Error(`the log moved past ${toSeq}`);
  const codec = matchboxEngineCodec();
  const engine = codec.create();
  const orders = new Map<number, { userId: number; clientOrderId: string }>();
  const requestIds: string[] = [];
  let after = 0;
  for (;;) {
    const entries = await commandLog.read(after, 256);
    if (entries.length === 0) break;
    for (const entry of entries) {
      const batch = decodeCommandBatch(entry.payload);
      const first = entry.seq - batch.commands.length + 1;
      if (first !== engine.lastSeq + 1) throw new Error(`entry ${entry.seq} starts at ${first}, replay is at ${engine.lastSeq}`);
      batch.commands.forEach((cmd, i) => {
        const events: EngineEvent[] = engine.apply(cmd, first + i, batch.tsMs);
        for (const e of events) if (e.type === 'order' && !orders.has(e.orderId)) orders.set(e.orderId, { userId: e.userId, clientOrderId: e.clientOrderId });
        const id = batch.requestIds?.[i];
        if (id !== undefined) requestIds.push(id);
      });
      after = entry.seq;
    }
  }
  // The same through the log package's recovery (genesis, no snapshot), as `mbx replay` does.
  const recovered = (await recover({ commandLog, snapshots: new MemorySnapshotStore(), codec, toSeq, discardCorrupt: false })).engine;
  if (recovered.stateHash() !== engine.stateHash()) throw new Error('recover() and the manual replay disagree');
  return { lastSeq: engine.lastSeq, orders, requestIds, stateHash: engine.stateHash() };
}
