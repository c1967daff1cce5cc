import { Worker } from 'node:worker_threads';
import type { SqlDriver, SqlExecutor, SqlParam } from './sql-driver.ts';
import { fromWorkerError, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.ts';

export interface PgliteWorkerDriverOptions {
  /** A data directory for a persistent database; in memory when omitted. */
  readonly dataDir?: string;
  /** A `PgliteDriver.dump()` tarball to start from instead of an empty cluster. */
  readonly loadDataDir?: ArrayBuffer;
  /** Requests sent to the worker and not yet answered (statements inside an open transaction excepted). */
  readonly maxInFlight?: number;
  /** Requests waiting for one of those slots; beyond this a call is refused with an overload error. */
  readonly maxWaiting?: number;
}

type Pending = { resolve: (rows: unknown[] | undefined) => void; reject: (err: Error) => void };

/**
 * PGlite on a worker thread behind `SqlDriver`: the same SQL, values and transaction semantics as
 * `PgliteDriver`, but the WASM PostgreSQL runs on its own thread, so a busy projector does not
 * take the event loop of the process that embeds it.
 *
 * A transaction is a session in the worker: `begin` answers once the worker holds PGlite's
 * transaction lock, the callback's statements run inside it in the order they were issued, and the
 * commit (or rollback, if the callback throws) releases it. Other statements wait meanwhile, as
 * they do in `PgliteDriver`.
 *
 * Bounded: at most `maxInFlight` requests are in the worker (PGlite's own queue is therefore
 * bounded too), at most `maxWaiting` wait for a slot, and further calls reject at once. Statements
 * of an open transaction skip that limit — they are what the queued requests wait for, so making
 * them queue behind those would deadlock; a transaction's callback owns its own concurrency.
 */
export class PgliteWorkerDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: (() => void)[] = [];
  private readonly maxInFlight: number;
  private readonly maxWaiting: number;
  private inFlight = 0;
  private nextId = 1;
  private nextTx = 1;
  private broken: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly worker: Worker, opts: PgliteWorkerDriverOptions) {
    this.maxInFlight = opts.maxInFlight ?? 256;
    this.maxWaiting = opts.maxWaiting ?? 10_000;
    if (!(this.maxInFlight >= 1 && this.maxWaiting >= 0)) throw new RangeError('maxInFlight must be ≥ 1 and maxWaiting ≥ 0');
  }

  static async open(opts: PgliteWorkerDriverOptions = {}): Promise<PgliteWorkerDriver> {
    const init: WorkerInit = {
      entry: new URL('./pglite-worker.ts', import.meta.url).href,
      ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir !== undefined ? { loadDataDir: opts.loadDataDir } : {}),
    };
    const worker = new Worker(new URL('./pglite-worker-boot.mjs', import.meta.url), { workerData: init });
    const driver = new PgliteWorkerDriver(worker, opts);
    await new Promise<void>((resolve, reject) => {
      const onReply = (m: WorkerReply): void => {
        if (m.t === 'ready') { worker.off('message', onReply); resolve(); }
        else if (m.t === 'failed') { worker.off('message', onReply); reject(fromWorkerError(m.error)); }
      };
      worker.on('message', onReply);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PGlite worker exited with code ${code} while opening`)));
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    worker.on('message', (m: WorkerReply) => driver.onReply(m));
    worker.on('error', (e) => driver.breakWith(e));
    worker.on('exit', (code) => driver.breakWith(new Error(`PGlite worker exited with code ${code}`)));
    return driver;
  }

  private onReply(m: WorkerReply): void {
    if (m.t === 'ok' || m.t === 'err') {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.t === 'ok') p.resolve(m.rows);
      else p.reject(fromWorkerError(m.error));
    } else if (m.t === 'failed') this.breakWith(fromWorkerError(m.error));
  }

  private breakWith(err: Error): void {
    this.broken ??= err;
    for (const p of this.pending.values()) p.reject(this.broken);
    this.pending.clear();
    for (const w of this.waiting.splice(0)) w();
  }

  /** Sends one request and resolves with its reply; `bounded` requests take an in-flight slot. */
  private async call(make: (id: number) => WorkerRequest, bounded: boolean): Promise<unknown[] | undefined> {
    if (bounded && this.inFlight >= this.maxInFlight) {
      if (this.broken === null && this.waiting.length >= this.maxWaiting) {
        throw new Error(`PGlite worker overloaded: ${this.inFlight} requests in flight and ${this.waiting.length} waiting`);
      }
      while (this.broken === null && this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.waiting.push(r));
    }
    if (this.broken !== null) throw this.broken;
    const id = this.nextId++;
    if (bounded) this.inFlight++;
    try {
      return await new Promise<unknown[] | undefined>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage(make(id));
      });
    } finally {
      if (bounded) {
        this.inFlight--;
        this.waiting.shift()?.();
      }
    }
  }

  async query<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return (await this.call((id) => ({ t: 'query', id, sql, params }), true)) as T[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    await this.call((id) => ({ t: 'begin', id, tx }), true);
    let ended = false;
    const executor: SqlExecutor = {
      query: async <R>(sql: string, params?: readonly SqlParam[]): Promise<R[]> => {
        if (ended) throw new Error('query on a transaction that has ended');
        return (await this.call((id) => ({ t: 'query', id, sql, params, tx }), false)) as R[];
      },
    };
    let result: T;
    try {
      result = await fn(executor);
    } catch (err) {
      ended = true;
      await this.call((id) => ({ t: 'end', id, tx, commit: false }), false).catch(() => undefined);
      throw err;
    }
    ended = true;
    await this.call((id) => ({ t: 'end', id, tx, commit: true }), false);
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.call((id) => ({ t: 'exec', id, sql }), true);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (this.broken === null) await this.call((id) => ({ t: 'close', id }), false);
      } finally {
        this.broken ??= new Error('PgliteWorkerDriver is closed');
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }
}
