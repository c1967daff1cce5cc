import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ProjectorView } from '../driver/worker-projector.ts';
import { relogLine } from '../driver/relog.ts';
import type { ProjectorStats } from './projector.ts';
import type { ThreadProjectorInit, ThreadReply, ThreadRequest } from './thread-projector-protocol.ts';

/** How long `stop()` lets the thread finish (its final catch-up included) before terminating it. */
const STOP_DEADLINE_MS = 30_000;

export interface ThreadProjectorOptions extends Omit<ThreadProjectorInit, 'logLevel'> {
  /** Writes the thread's log lines, and sets their level. */
  readonly logger?: Logger;
  /** Reads the database cursor for `cursor()` (the caller's own connection to the store). */
  readonly readCursor: (name: string) => Promise<number>;
}

/**
 * A Projector (Redis event log → PostgreSQL) on its own worker thread, for a process that also
 * runs the gateway and the sequencer (ROLE=all with REDIS_URL and DATABASE_URL). In the gateway's
 * thread its decoding and statement building took a quarter of the thread under load, in chunks
 * of milliseconds that every answer waited behind. This handle keeps the reported progress and
 * stops it; `done()` rejects if it stops on a fatal error or the thread dies.
 */
export class ThreadProjector implements ProjectorView {
  readonly name: string;
  readonly stats: ProjectorStats = { seq: 0, batches: 0, entries: 0, events: 0, rows: 0 };
  private readonly worker: Worker;
  private onFailed: (err: Error) => void = () => {};
  private readonly failed: Promise<never> = new Promise<never>((_, reject) => { this.onFailed = reject; });
  private stopping: Promise<number> | null = null;
  private onStopped: ((seq: number) => void) | null = null;
  private exited = false;

  constructor(private readonly opts: ThreadProjectorOptions) {
    this.name = opts.name ?? 'store';
    this.failed.catch(() => undefined); // observed through done()
    const { logger, readCursor: _readCursor, ...init } = opts;
    const workerData: ThreadProjectorInit & { entry: string } = {
      ...init, logLevel: logger?.level ?? 'silent',
      entry: new URL('./thread-projector-worker.ts', import.meta.url).href,
    };
    this.worker = new Worker(new URL('../driver/pglite-worker-boot.mjs', import.meta.url), { workerData });
    this.worker.on('message', (m: ThreadReply) => this.onMessage(m));
    this.worker.on('error', (err) => this.onFailed(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (this.onStopped === null) this.onFailed(new Error(`projector thread exited with code ${code}`));
      else this.onStopped(this.stats.seq);
    });
  }

  private onMessage(m: ThreadReply): void {
    if (m.t === 'progress') Object.assign(this.stats, m.stats);
    else if (m.t === 'log') relogLine(this.opts.logger, m.line);
    else if (m.t === 'failed') this.onFailed(new Error(m.message));
    else {
      this.stats.seq = Math.max(this.stats.seq, m.seq);
      this.onStopped?.(m.seq);
    }
  }

  /** Rejects once the projector stops on a fatal error (a gap in the log, the thread's death). */
  done(): Promise<never> { return this.failed; }

  cursor(): Promise<number> { return this.opts.readCursor(this.name); }

  /** Stops it; with `catchUp`, after projecting everything the log holds. Resolves with the final cursor. */
  stop(catchUp: boolean): Promise<number> {
    this.stopping ??= new Promise<number>((resolve) => {
      // A thread stuck on an unanswering database must not hold the process's shutdown forever.
      const deadline = setTimeout(() => {
        this.opts.logger?.warn({ afterMs: STOP_DEADLINE_MS }, 'projector thread did not stop in time; terminating it');
        void this.worker.terminate();
      }, STOP_DEADLINE_MS);
      this.onStopped = (seq) => {
        clearTimeout(deadline);
        this.onStopped = () => {};
        resolve(seq);
        void this.worker.terminate(); // it is ending anyway; nothing of it may keep the process alive
      };
      if (this.exited) this.onStopped(this.stats.seq); // it died already (reported through done())
      else this.worker.postMessage({ t: 'stop', catchUp } satisfies ThreadRequest);
    });
    return this.stopping;
  }
}
