import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { pgliteValueOptions } from './pglite-driver.ts';
import type { HostedProjector } from './pglite-worker-projector.ts';
import { toWorkerError, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.ts';
import { setOwnThreadNice } from './thread-priority.ts';

/**
 * The thread that owns the embedded PGlite instance for `PgliteWorkerDriver`: every statement
 * runs here, so the WASM PostgreSQL's CPU is spent off the caller's event loop. It may also host
 * the Projector (`projectStart`), which then reads the event journal on this thread too, and it
 * may lower its own scheduling priority (`init.nice`) so that the threads that match and answer
 * orders win the CPU and this one uses what is left.
 */
const init = workerData as WorkerInit;
const port = parentPort!;
/** Lines go to the main thread, whose logger writes them (`t: 'log'`). */
const logger = pino({ level: init.logLevel ?? 'silent', base: { thread: 'pglite-worker' } }, {
  write(line: string): void { port.postMessage({ t: 'log', line } satisfies WorkerReply); },
});

interface Transaction {
  readonly tx: { query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> };
  /** The statements of this transaction run one after another, in the order they arrived. */
  chain: Promise<unknown>;
  finish(commit: boolean): void;
  /** Settles once PGlite has committed or rolled back. */
  readonly done: Promise<void>;
}

class Rollback extends Error {}

function post(reply: WorkerReply): void {
  port.postMessage(reply);
}

function reply(id: number, work: Promise<unknown[] | undefined>): Promise<void> {
  return work.then(
    (rows) => post(rows === undefined ? { t: 'ok', id } : { t: 'ok', id, rows }),
    (err: unknown) => post({ t: 'err', id, error: toWorkerError(err) }),
  );
}

async function main(): Promise<void> {
  let thread: { tid: number; nice: number } | null = null;
  if (init.nice !== undefined) {
    const r = setOwnThreadNice(init.nice);
    if ('error' in r) logger.debug({ nice: init.nice, reason: r.error }, 'pglite worker: scheduling priority left as is');
    else {
      thread = r;
      logger.debug(r, 'pglite worker: scheduling priority lowered');
    }
  }
  // The one-argument form: `new PGlite(undefined, options)` ignores the options.
  const db = new PGlite({
    ...(init.dataDir !== undefined ? { dataDir: init.dataDir } : {}),
    ...pgliteValueOptions(),
    ...(init.loadDataDir !== undefined ? { loadDataDir: new Blob([init.loadDataDir]) } : {}),
  });
  await db.waitReady;
  const open = new Map<number, Transaction>();
  let hosted: Promise<HostedProjector> | null = null;

  function begin(txId: number): Promise<undefined> {
    return new Promise((began, failed) => {
      let finish!: (commit: boolean) => void;
      const decided = new Promise<boolean>((r) => { finish = r; });
      const done = db.transaction(async (tx) => {
        open.set(txId, { tx, chain: Promise.resolve(), finish, done });
        began(undefined);
        const commit = await decided;
        await open.get(txId)!.chain.catch(() => undefined);
        if (!commit) throw new Rollback();
      }).then(() => undefined, (err: unknown) => {
        if (!open.has(txId)) failed(err as Error); // BEGIN itself failed
        else if (!(err instanceof Rollback)) throw err;
      }).finally(() => open.delete(txId));
    });
  }

  port.on('message', (m: WorkerRequest) => {
    switch (m.t) {
      case 'query': {
        if (m.tx === undefined) {
          void reply(m.id, db.query(m.sql, m.params as unknown[] | undefined).then((r) => r.rows));
          break;
        }
        const t = open.get(m.tx);
        if (t === undefined) {
          post({ t: 'err', id: m.id, error: { message: `transaction ${m.tx} is not open`, fields: {} } });
          break;
        }
        const run = t.chain.catch(() => undefined).then(() => t.tx.query(m.sql, m.params as unknown[] | undefined)).then((r) => r.rows);
        t.chain = run;
        void reply(m.id, run);
        break;
      }
      case 'exec':
        void reply(m.id, db.exec(m.sql).then(() => undefined));
        break;
      case 'begin':
        void reply(m.id, begin(m.tx));
        break;
      case 'end': {
        const t = open.get(m.tx);
        if (t === undefined) {
          post({ t: 'err', id: m.id, error: { message: `transaction ${m.tx} is not open`, fields: {} } });
          break;
        }
        t.finish(m.commit);
        void reply(m.id, t.done.then(() => undefined));
        break;
      }
      case 'projectStart':
        if (hosted !== null) {
          post({ t: 'err', id: m.id, error: { message: 'a projector is already running in this worker', fields: {} } });
          break;
        }
        hosted = import('./pglite-worker-projector.ts').then((h) => h.hostProjector(db, m.config, post, logger));
        void reply(m.id, hosted.then(() => undefined, (err: unknown) => { hosted = null; throw err; }));
        break;
      case 'projectStop': {
        const h = hosted;
        hosted = null;
        void reply(m.id, h === null ? Promise.reject(new Error('no projector is running')) : h.then((p) => p.stop(m.catchUp)).then((seq) => [{ seq }]));
        break;
      }
      case 'close': {
        // A projector still running is stopped (without catching up) before the database closes.
        const h = hosted;
        hosted = null;
        const stopped = h === null ? Promise.resolve() : h.then((p) => p.stop(false)).then(() => undefined, () => undefined);
        void reply(m.id, stopped.then(() => db.close()).then(() => undefined));
        break;
      }
    }
  });
  post({ t: 'ready', thread });
}

main().catch((err: unknown) => post({ t: 'failed', error: toWorkerError(err) }));
