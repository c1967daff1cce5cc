import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { parseInt8 } from './sql-driver.ts';
import { toWorkerError, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.ts';

/**
 * The thread that owns the embedded PGlite instance for `PgliteWorkerDriver`: every statement
 * runs here, so the WASM PostgreSQL's CPU is spent off the caller's event loop.
 */
const init = workerData as WorkerInit;
const port = parentPort!;

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
  // The one-argument form: `new PGlite(undefined, options)` ignores the options.
  const db = new PGlite({
    ...(init.dataDir !== undefined ? { dataDir: init.dataDir } : {}),
    parsers: { [types.INT8]: parseInt8 },
    ...(init.loadDataDir !== undefined ? { loadDataDir: new Blob([init.loadDataDir]) } : {}),
  });
  await db.waitReady;
  const open = new Map<number, Transaction>();

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
      case 'close':
        void reply(m.id, db.close().then(() => undefined));
        break;
    }
  });
  post({ t: 'ready' });
}

main().catch((err: unknown) => post({ t: 'failed', error: toWorkerError(err) }));
