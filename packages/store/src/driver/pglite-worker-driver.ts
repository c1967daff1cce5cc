import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { SqlDriver, SqlExecutor, SqlParam } from './sql-driver.ts';
import { relogLine } from './relog.ts';
import { fromWorkerError, type ThreadPriority, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.ts';
import { WorkerProjector, type WorkerProjectorOptions } from './worker-projector.ts';

export interface PgliteWorkerDriverOptions {
  /** A data directory for a persistent database; in memory when omitted. */
  readonly dataDir?: string;
  /** A `PgliteDriver.dump()` tarball to start from instead of an empty cluster. */
  readonly loadDataDir?: ArrayBuffer;
  /** Requests sent to the worker and not yet answered (statements inside an open transaction excepted). */
  readonly maxInFlight?: number;
  /** Requests waiting for one of those slots; beyond this a call is refused with an overload error. */
  readonly maxWaiting?: number;
  /**
   * Run the worker thread at this nice value (Linux: per thread; higher = lower priority), so the
   * threads that match and answer orders win the CPU under contention. Unset: unchanged. Where it
   * cannot be done the worker logs it at debug level and runs as is.
   */
  readonly nice?: number;
  /** Receives what the worker logs (its projector's lines, the priority change). */
  readonly logger?: Logger;
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
  private projector: WorkerProjector | null = null;
  private readonly logger: Logger | undefined;
  private onReady: (m: WorkerReply) => void = () => {};
  /** The worker thread's id and nice value, when its priority was lowered (`nice`). */
  thread: ThreadPriority | null = null;

  private constructor(private readonly worker: Worker, opts: PgliteWorkerDriverOptions) {
    this.logger = opts.logger;
    this.maxInFlight = opts.maxInFlight ?? 256;
    this.maxWaiting = opts.maxWaiting ?? 10_000;
    if (!(this.maxInFlight >= 1 && this.maxWaiting >= 0)) throw new RangeError('maxInFlight must be ≥ 1 and maxWaiting ≥ 0');
  }

  static async open(opts: PgliteWorkerDriverOptions = {}): Promise<PgliteWorkerDriver> {
    const init: WorkerInit = {
      entry: new URL('./pglite-worker.ts', import.meta.url).href,
      ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir !== undefined ? { loadDataDir: opts.loadDataDir } : {}),
      ...(opts.nice !== undefined ? { nice: opts.nice } : {}),
      logLevel: opts.logger?.level ?? 'silent',
    };
    const worker = new Worker(new URL('./pglite-worker-boot.mjs', import.meta.url), { workerData: init });
    const driver = new PgliteWorkerDriver(worker, opts);
    worker.on('message', (m: WorkerReply) => driver.onReply(m));
    await new Promise<void>((resolve, reject) => {
      driver.onReady = (m) => {
        if (m.t === 'ready') { driver.thread = m.thread; resolve(); }
        else if (m.t === 'failed') reject(fromWorkerError(m.error));
      };
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PGlite worker exited with code ${code} while opening`)));
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    }).finally(() => { driver.onReady = () => {}; });
    worker.on('error', (e) => driver.breakWith(e));
    worker.on('exit', (code) => driver.breakWith(new Error(`PGlite worker exited with code ${code}`)));
    return driver;
  }

  /**
   * Starts a Projector INSIDE the worker, on this same PGlite instance: it follows the event
   * journal in `journalDir` read-only and writes the store there, so the calling thread does no
   * projection work. Migrations must have run. One per driver; `stop()` it before `close()`.
   */
  async startProjector(opts: WorkerProjectorOptions): Promise<WorkerProjector> {
    if (this.projector !== null) throw new Error('a projector is already running in this worker');
    const visibleSeq = new SharedArrayBuffer(8);
    const p = new WorkerProjector(opts, visibleSeq, {
      stop: async (catchUp) => {
        const rows = (await this.call((id) => ({ t: 'projectStop', id, catchUp }), false)) as { seq: number }[];
        return rows[0]!.seq;
      },
      cursor: async (name) => {
        const rows = await this.query<{ seq: number }>('SELECT seq FROM projector_cursor WHERE name = $1', [name]);
        return rows[0]?.seq ?? 0;
      },
    });
    this.projector = p;
    try {
      await this.call((id) => ({
        t: 'projectStart', id,
        config: {
          journalDir: opts.journalDir, markets: opts.markets, visibleSeq,
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.idlePollMs !== undefined ? { idlePollMs: opts.idlePollMs } : {}),
          ...(opts.maxEntriesPerBatch !== undefined ? { maxEntriesPerBatch: opts.maxEntriesPerBatch } : {}),
          ...(opts.maxEventsPerBatch !== undefined ? { maxEventsPerBatch: opts.maxEventsPerBatch } : {}),
          ...(opts.ackIntervalMs !== undefined ? { ackIntervalMs: opts.ackIntervalMs } : {}),
        },
      }), false);
    } catch (err) {
      this.projector = null;
      throw err;
    }
    return p;
  }

  private onReply(m: WorkerReply): void {
    if (m.t === 'ok' || m.t === 'err') {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.t === 'ok') p.resolve(m.rows);
      else p.reject(fromWorkerError(m.error));
    } else if (m.t === 'projector') this.projector?.onMessage(m);
    else if (m.t === 'log') this.relog(m.line);
    else {
      this.onReady(m);
      if (m.t === 'failed') this.breakWith(fromWorkerError(m.error));
    }
  }

  /** Writes a pino line from the worker through this side's logger, fields and level kept. */
  private relog(line: string): void {
    relogLine(this.logger, line);
  }

  private breakWith(err: Error): void {
    if (this.closing === null) this.projector?.fail(err);
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
