import type { MarketConfig } from '@matchbox/domain';
import type { ProjectorStats } from '../projector/projector.ts';
import type { SqlParam } from './sql-driver.ts';

/**
 * Messages between `PgliteWorkerDriver` (main thread) and `pglite-worker.ts` (the thread owning
 * the PGlite instance). Every request carries an `id` answered by exactly one reply.
 *
 * A transaction is a session: `begin` answers once the worker holds PGlite's transaction lock
 * (so no other statement can interleave), `query` with `tx` runs inside it, and `end` commits or
 * rolls back and releases the lock. Statements without `tx` wait in PGlite's queue meanwhile.
 */
export type WorkerRequest =
  | { readonly t: 'query'; readonly id: number; readonly sql: string; readonly params: readonly SqlParam[] | undefined; readonly tx?: number }
  | { readonly t: 'exec'; readonly id: number; readonly sql: string }
  | { readonly t: 'begin'; readonly id: number; readonly tx: number }
  | { readonly t: 'end'; readonly id: number; readonly tx: number; readonly commit: boolean }
  | { readonly t: 'close'; readonly id: number }
  /** Starts the in-thread Projector (after migrations); answered once it runs. */
  | { readonly t: 'projectStart'; readonly id: number; readonly config: WorkerProjectorConfig }
  /** Stops it and, with `catchUp`, projects everything visible first; answered with `[{ seq }]`. */
  | { readonly t: 'projectStop'; readonly id: number; readonly catchUp: boolean };

/** The Projector the worker hosts: it follows the event journal itself (read-only). */
export interface WorkerProjectorConfig {
  /** The event log's FileJournal directory (written by the main thread's sequencer). */
  readonly journalDir: string;
  readonly markets: readonly MarketConfig[];
  readonly name?: string;
  readonly idlePollMs?: number;
  readonly maxEntriesPerBatch?: number;
  readonly maxEventsPerBatch?: number;
  readonly ackIntervalMs?: number;
  /**
   * One BigInt64 slot: the main thread publishes the newest seq known durable there, and the
   * projector reads no entry past it (the follower could otherwise see records whose fdatasync
   * has not returned yet).
   */
  readonly visibleSeq: SharedArrayBuffer;
}

/** Error fields PostgreSQL reports, copied across the thread boundary. */
export interface WorkerError {
  readonly message: string;
  readonly name?: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

export type WorkerReply =
  | { readonly t: 'ready'; readonly thread: ThreadPriority | null }
  | { readonly t: 'failed'; readonly error: WorkerError }
  | { readonly t: 'ok'; readonly id: number; readonly rows?: unknown[] }
  | { readonly t: 'err'; readonly id: number; readonly error: WorkerError }
  /** A pino line logged in the worker, re-logged by the main thread's logger. */
  | { readonly t: 'log'; readonly line: string }
  | { readonly t: 'projector'; readonly ev: 'progress'; readonly stats: ProjectorStats }
  /** The projected seq to acknowledge in the writer's cursor store (the journal is read-only here). */
  | { readonly t: 'projector'; readonly ev: 'cursor'; readonly name: string; readonly seq: number }
  /** The projector loop ended on a fatal error (a gap in the log): the store is no longer updated. */
  | { readonly t: 'projector'; readonly ev: 'failed'; readonly error: WorkerError };

/** The worker thread's id and the nice value it runs at, when lowering its priority worked. */
export interface ThreadPriority {
  readonly tid: number;
  readonly nice: number;
}

export interface WorkerInit {
  readonly entry: string;
  readonly dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (tests: a migrated template). */
  readonly loadDataDir?: ArrayBuffer;
  /** Lower this thread's OS scheduling priority to this nice value (Linux; ignored elsewhere). */
  readonly nice?: number;
  /** pino level for what the worker logs (forwarded as `log` replies); 'silent' when unset. */
  readonly logLevel?: string;
}

/** Fields of a PostgreSQL error worth keeping (`code`, `detail`, …); plain values only. */
const ERROR_FIELDS = ['code', 'severity', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'dataType', 'constraint', 'where', 'routine'] as const;

export function toWorkerError(err: unknown): WorkerError {
  if (!(err instanceof Error)) return { message: String(err), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const k of ERROR_FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  }
  return { message: err.message, name: err.name, ...(err.stack !== undefined ? { stack: err.stack } : {}), fields };
}

export function fromWorkerError(e: WorkerError): Error {
  const err = new Error(e.message);
  if (e.name !== undefined) err.name = e.name;
  if (e.stack !== undefined) err.stack = e.stack;
  Object.assign(err, e.fields);
  return err;
}
