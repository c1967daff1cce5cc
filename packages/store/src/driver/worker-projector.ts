import type { Logger } from 'pino';
import type { ProjectorStats } from '../projector/projector.ts';
import { fromWorkerError, type WorkerProjectorConfig, type WorkerReply } from './pglite-worker-protocol.ts';

/** What the server needs of a projector, wherever it runs: its name, counters and stored cursor. */
export interface ProjectorView {
  readonly name: string;
  /** `stats.seq`: every command with seq ≤ this is in the store (as last reported). */
  readonly stats: Readonly<ProjectorStats>;
  /** The database cursor (authoritative; one query). */
  cursor(): Promise<number>;
}

/** What the worker's Projector is configured with (the shared seq slot is made by the driver). */
export interface WorkerProjectorOptions extends Omit<WorkerProjectorConfig, 'visibleSeq'> {
  /**
   * Records the projected seq in the WRITER's cursor store (so trimming stays below it); the
   * worker's journal is read-only. Called one at a time, in order; a failure is logged.
   */
  readonly commitCursor?: (name: string, seq: number) => Promise<void>;
  /** Where the projector's own log lines and its failures are logged. */
  readonly logger?: Logger;
}

interface Control {
  stop(catchUp: boolean): Promise<number>;
  cursor(name: string): Promise<number>;
}

/**
 * The main thread's handle on the Projector running inside the PGlite worker
 * (`PgliteWorkerDriver.startProjector`). The worker reads the event journal and writes the store
 * itself; this side only publishes how far the log is durable (`advance`), keeps the reported
 * progress, writes the acknowledged cursor into the writer's cursor store, and stops it.
 */
export class WorkerProjector implements ProjectorView {
  readonly name: string;
  readonly stats: ProjectorStats = { seq: 0, batches: 0, entries: 0, events: 0, rows: 0 };
  private readonly visible: BigInt64Array;
  private published = 0;
  private failure: Error | null = null;
  private onFailed: (err: Error) => void = () => {};
  private readonly failed: Promise<never> = new Promise<never>((_, reject) => { this.onFailed = reject; });
  private cursorChain: Promise<void> = Promise.resolve();
  private stopping: Promise<number> | null = null;

  /** @internal Made by `PgliteWorkerDriver.startProjector`. */
  constructor(private readonly opts: WorkerProjectorOptions, readonly visibleSeq: SharedArrayBuffer, private readonly control: Control) {
    this.name = opts.name ?? 'store';
    this.visible = new BigInt64Array(visibleSeq);
    this.failed.catch(() => undefined); // observed through done()
  }

  /** Entries with seq ≤ `seq` are durable and may be projected. Cheap: one atomic store. */
  advance(seq: number): void {
    if (seq <= this.published) return;
    this.published = seq;
    Atomics.store(this.visible, 0, BigInt(seq));
  }

  /** The newest seq published by `advance`. */
  get visibleUpTo(): number { return this.published; }

  /** Published but not yet reported projected. */
  get lag(): number { return Math.max(0, this.published - this.stats.seq); }

  /** The fatal error that ended the projector (or the worker), if any. */
  get error(): Error | null { return this.failure; }

  /** Rejects once the projector stops on a fatal error (a gap in the log, the worker's death). */
  done(): Promise<never> { return this.failed; }

  cursor(): Promise<number> { return this.control.cursor(this.name); }

  /**
   * Stops the loop and, unless it failed, projects everything published first: resolves with the
   * final cursor, after the last cursor acknowledgement reached `commitCursor`.
   */
  stop(): Promise<number> {
    this.stopping ??= (async () => {
      try {
        const seq = await this.control.stop(this.failure === null);
        this.stats.seq = Math.max(this.stats.seq, seq);
        return seq;
      } finally {
        await this.cursorChain;
      }
    })();
    return this.stopping;
  }

  /** @internal Messages from the worker about this projector. */
  onMessage(m: Extract<WorkerReply, { t: 'projector' }>): void {
    if (m.ev === 'progress') Object.assign(this.stats, m.stats);
    else if (m.ev === 'cursor') {
      const { name, seq } = m;
      const commit = this.opts.commitCursor;
      if (commit === undefined) return;
      this.cursorChain = this.cursorChain
        .then(() => commit(name, seq))
        .catch((err: unknown) => this.opts.logger?.warn({ err, name, seq }, 'projector: cursor acknowledgement failed'));
    } else this.fail(fromWorkerError(m.error));
  }

  /** @internal The projector (or the whole worker) stopped for good. */
  fail(err: Error): void {
    if (this.failure !== null || this.stopping !== null) return;
    this.failure = err;
    this.opts.logger?.error({ err, seq: this.stats.seq }, 'projector stopped: history store no longer updated');
    this.onFailed(err);
  }
}
