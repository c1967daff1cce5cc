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
  | { readonly t: 'close'; readonly id: number };

/** Error fields PostgreSQL reports, copied across the thread boundary. */
export interface WorkerError {
  readonly message: string;
  readonly name?: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

export type WorkerReply =
  | { readonly t: 'ready' }
  | { readonly t: 'failed'; readonly error: WorkerError }
  | { readonly t: 'ok'; readonly id: number; readonly rows?: unknown[] }
  | { readonly t: 'err'; readonly id: number; readonly error: WorkerError };

export interface WorkerInit {
  readonly entry: string;
  readonly dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (tests: a migrated template). */
  readonly loadDataDir?: ArrayBuffer;
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
