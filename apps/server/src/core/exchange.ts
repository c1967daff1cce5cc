import path from 'node:path';
import type { Logger } from 'pino';
import type { Command, MarketConfig } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import {
  FileJournal, FileSnapshotStore, InlineSnapshotter, ReplicaSnapshotter, MemoryLog, MemorySnapshotStore, PgSnapshotStore, RedisStreamLog, Sequencer,
  decodeEventBatch, matchboxEngineCodec, recover, redisPersistence,
  type Accepted, type CommandLog, type EventLog, type SequencerStats, type SnapshotMeta, type SnapshotStore,
} from '@matchbox/log';
import { PgliteWorkerDriver, Projector, ThreadProjector, type ProjectorView, type SqlDriver } from '@matchbox/store';
import type { History } from '../history/history.ts';
import { MemoryHistory, type MemoryHistoryLimits } from '../history/memory-history.ts';
import { DEFAULT_WORKER_NICE, openHistoryStore, type HistoryStoreConfig } from '../history/store.ts';
import { StoreHistoryReader } from '../history/store-history.ts';
import { TieredHistory } from '../history/tiered-history.ts';

/** Where the log and snapshots live. */
export type Storage =
  | { readonly kind: 'memory' }
  | { readonly kind: 'files'; readonly dataDir: string }
  | { readonly kind: 'redis-pg'; readonly redisUrl: string; readonly databaseUrl: string; readonly prefix: string; readonly snapshotTable?: string };

export interface ExchangeOptions {
  readonly storage: Storage;
  readonly markets: readonly MarketConfig[];
  readonly logger?: Logger;
  readonly snapshotEveryCommands?: number;
  readonly snapshotEveryMs?: number;
  /** Keep every log entry instead of trimming below the oldest kept snapshot (KEEP_LOGS=1). */
  readonly keepLogs?: boolean;
  /** Start even when the command log lost acknowledged commands (ACCEPT_LOG_LOSS=1); by default recovery refuses. */
  readonly acceptLogLoss?: boolean;
  readonly intakeCapacity?: number;
  readonly history?: History;
  /**
   * The history of record: the Projector runs in this process, writing the event log into this
   * store, and the history becomes a `TieredHistory` (memory in front, the store behind).
   * Without it, history is the bounded `MemoryHistory` alone.
   */
  readonly historyStore?: HistoryStoreConfig;
  /** Files storage: encode snapshots on a replica worker thread (default) or inline (false). */
  readonly replicaSnapshots?: boolean;
  /** Limits of the in-memory history (the recent cache when `historyStore` is set). */
  readonly memoryLimits?: Partial<MemoryHistoryLimits>;
}

/** Where the history store's projection stands (status page, metrics). */
export interface ProjectorProgress {
  /** Every command with seq ≤ this is in the store (as last reported). */
  readonly seq: number;
  /** Durable commands not yet in the store. */
  readonly lag: number;
  /** Why it stopped for good (the store is then no longer updated). */
  readonly problem?: string;
}

export interface ExchangeHealth {
  readonly ok: boolean;
  readonly lastSeq: number;
  readonly durableSeq: number;
  readonly problem?: string;
}

/**
 * The exchange in one process — the whole pipeline of DESIGN.md in one place:
 *
 *   gateway ─submit→ Sequencer ─apply→ Engine ─events→ command log + event log (group commit)
 *                                                     └→ ack → History projection → HTTP answer
 *
 * `submit` resolves once the command is durable (with Redis: its events too; with files the events
 * follow it into the event journal, `eventsAfterCommands`), and only after the in-memory history
 * has seen them, so a client reads its own writes. The engine is also the read side
 * for live state (books, balances, keys); it may be a batch ahead of the log (applied, fsync in
 * flight) — the same few milliseconds any exchange shows between matching and acknowledging.
 */
/** Sees every command's events once durable, in seq order (WebSocket fan-out, metrics). */
export type EventListener = (seq: number, tsMs: number, events: Accepted['events']) => void;

export class Exchange {
  private failure: string | null = null;
  private readonly listeners: EventListener[] = [];
  private projectorProblem: string | null = null;

  private constructor(
    readonly engine: Engine,
    readonly history: History,
    private readonly sequencer: Sequencer<Engine>,
    private readonly closers: (() => Promise<void>)[],
    private readonly logger: Logger | undefined,
    private readonly snapshots?: SnapshotStore,
    /**
     * The projector writing the history store, when there is one: in this thread (`Projector`),
     * or inside the PGlite worker (embedded default), whose progress arrives by message.
     */
    readonly projector?: ProjectorView,
    projectorDone?: Promise<unknown>,
    /** Tells a worker projector how far the event log is durable. */
    private readonly publishDurable?: (seq: number) => void,
  ) {
    void sequencer.failed.then((err) => { this.failure = err.message; });
    projectorDone?.catch((err: unknown) => { this.projectorProblem = (err as Error).message; });
  }

  static async open(opts: ExchangeOptions): Promise<Exchange> {
    const codec = matchboxEngineCodec(opts.markets);
    const { commandLog, eventLog, snapshots } = await openStorage(opts.storage, opts.logger);
    const closers = [() => commandLog.close(), () => eventLog.close(), () => snapshots.close()];
    try {
      // Embedded (files): snapshots are encoded by a replica engine on a worker thread, so taking one
      // pauses intake for milliseconds instead of the whole encode (bench:log: 38 ms vs 591 ms at 1M
      // resting orders). It is fed exactly what recovery starts from and replays.
      const replica = opts.storage.kind === 'files' && opts.replicaSnapshots !== false ? new ReplicaSnapshotter({ markets: opts.markets }) : null;
      if (replica) closers.push(() => replica.close());
      const recovered = await recover({
        commandLog, eventLog, snapshots, codec, ...(opts.logger ? { logger: opts.logger } : {}),
        // Files: events and snapshots follow durable commands, so either one ahead of the command log means acknowledged loss.
        commandsDurableFirst: opts.storage.kind === 'files',
        snapshotAhead: opts.acceptLogLoss === true ? 'accept' : 'refuse',
        ...(replica ? { onSnapshotLoaded: (bytes: Uint8Array | null) => replica.init(bytes), onBatch: (seq: number, payload: Uint8Array) => replica.onBatch(seq, payload) } : {}),
      });
      const engine = recovered.engine;
      let history: History;
      let projector: ProjectorView | undefined;
      /** Starts the projector once the sequencer runs; resolves with what ends it on a fatal error. */
      let startProjector: ((durableSeq: number) => Promise<{ done: Promise<unknown> }>) | undefined;
      let publishDurable: ((seq: number) => void) | undefined;
      if (opts.historyStore !== undefined) {
        const cfg = opts.historyStore;
        const plog = opts.logger?.child({ name: 'projector' });
        // Embedded default (file journal + PGlite on its worker thread): the whole projector runs
        // in that worker, which reads the event journal itself; this thread only publishes the
        // durable seq and relays the cursor acknowledgements to the writer's cursor store.
        const inWorker = opts.storage.kind === 'files' && cfg.kind === 'pglite' && cfg.thread !== 'main';
        const db: SqlDriver = await openHistoryStore(cfg, { ...(plog ? { logger: plog } : {}), ...(inWorker ? { defaultNice: DEFAULT_WORKER_NICE } : {}) });
        const reader = new StoreHistoryReader(db);
        if (inWorker && opts.storage.kind === 'files' && db instanceof PgliteWorkerDriver) {
          const journalDir = path.join(opts.storage.dataDir, 'events');
          let handle: Awaited<ReturnType<PgliteWorkerDriver['startProjector']>> | undefined;
          projector = {
            name: 'store',
            get stats() { return handle?.stats ?? { seq: 0, batches: 0, entries: 0, events: 0, rows: 0 }; },
            cursor: () => handle?.cursor() ?? Promise.resolve(0),
          };
          startProjector = async (durableSeq) => {
            const wp = await db.startProjector({
              journalDir, markets: opts.markets, idlePollMs: 50,
              commitCursor: (name, seq) => eventLog.commitCursor(name, seq),
              ...(plog ? { logger: plog } : {}),
            });
            handle = wp;
            // Everything recovered is durable; later seqs are published as their commands resolve.
            wp.advance(Math.max(await eventLog.lastSeq(), durableSeq));
            publishDurable = (seq) => wp.advance(seq);
            return { done: wp.done() };
          };
          // Runs before the logs close: the store gets everything up to the final seq.
          closers.unshift(async () => {
            const wp = handle;
            if (wp !== undefined) {
              wp.advance(await eventLog.lastSeq());
              await wp.stop().catch((err: unknown) => opts.logger?.warn({ err: (err as Error).message }, 'projector: final catch-up failed'));
            }
            await db.close();
          });
        } else if (opts.storage.kind === 'redis-pg' && cfg.kind === 'pg') {
          // Redis + PostgreSQL in one process: the projector gets its own thread and connections.
          const storage = opts.storage;
          let tp: ThreadProjector | undefined;
          const readCursor = (name: string): Promise<number> => reader.cursor(name);
          projector = {
            name: 'store',
            get stats() { return tp?.stats ?? { seq: 0, batches: 0, entries: 0, events: 0, rows: 0 }; },
            cursor: () => readCursor('store'),
          };
          startProjector = async () => {
            tp = new ThreadProjector({
              databaseUrl: cfg.url, ...(cfg.schema !== undefined ? { schema: cfg.schema } : {}),
              redisUrl: storage.redisUrl, eventPrefix: `${storage.prefix}:events`, markets: opts.markets, idlePollMs: 50,
              readCursor, ...(plog ? { logger: plog } : {}),
            });
            // Where the store stands until the thread's first report (the status page charts the lag).
            const stored = await readCursor('store').catch(() => undefined);
            if (stored !== undefined && tp.stats.seq < stored) tp.stats.seq = stored;
            const done = tp.done();
            void done.catch((err: unknown) => opts.logger?.error({ err: (err as Error).message }, 'projector stopped: history store no longer updated'));
            return { done };
          };
          closers.unshift(async () => {
            await tp?.stop(true);
            await db.close();
          });
        } else {
          const p = new Projector({ db, log: eventLog, markets: opts.markets, idlePollMs: 50, ...(plog ? { logger: plog } : {}) });
          projector = p;
          startProjector = async () => {
            p.start();
            const done = p.done();
            void done.catch((err: unknown) => opts.logger?.error({ err: (err as Error).message }, 'projector stopped: history store no longer updated'));
            return { done };
          };
          closers.unshift(async () => {
            await p.stop().catch(() => undefined);
            await p.catchUp().catch((err: unknown) => opts.logger?.warn({ err: (err as Error).message }, 'projector: final catch-up failed'));
            await db.close();
          });
        }
        history = new TieredHistory(reader, opts.memoryLimits);
      } else {
        history = opts.history ?? new MemoryHistory(opts.memoryLimits);
      }
      await replayHistory(eventLog, history);
      const sequencer = new Sequencer<Engine>({
        engine, commandLog, eventLog, snapshots, snapshotter: replica ?? new InlineSnapshotter(() => engine, codec),
        eventsAfterCommands: opts.storage.kind === 'files',
        ...(opts.logger ? { logger: opts.logger } : {}),
        ...(opts.snapshotEveryCommands ? { snapshotEveryCommands: opts.snapshotEveryCommands } : {}),
        ...(opts.snapshotEveryMs ? { snapshotEveryMs: opts.snapshotEveryMs } : {}),
        ...(opts.intakeCapacity ? { intakeCapacity: opts.intakeCapacity } : {}),
        trimLogs: opts.keepLogs !== true,
      });
      sequencer.start();
      // A projector that cannot start leaves the store behind, not the exchange down.
      const started = startProjector === undefined ? undefined : await startProjector(sequencer.stats().durableSeq).catch((err: unknown) => {
        opts.logger?.error({ err }, 'projector could not start: history store not updated');
        const done = Promise.reject(err as Error);
        done.catch(() => undefined);
        return { done };
      });
      return new Exchange(engine, history, sequencer, closers, opts.logger, snapshots, projector, started?.done, publishDurable);
    } catch (err) {
      await Promise.allSettled(closers.map((c) => c()));
      throw err;
    }
  }

  /** Resolves once durable and projected; rejects with BusyError / SequencerFailedError / SequencerClosedError. */
  submit(command: Command): Promise<Accepted> {
    return this.sequencer.submit(command).then((acc) => {
      this.publishDurable?.(acc.seq);
      try {
        this.history.apply(acc.seq, acc.tsMs, acc.events);
      } catch (err) {
        // The command is durable whatever the projection does; a projection bug must not turn
        // an accepted order into an error answer (the client would retry a done action).
        this.logger?.error({ err, seq: acc.seq }, 'history projection failed');
      }
      for (const l of this.listeners) {
        try {
          l(acc.seq, acc.tsMs, acc.events);
        } catch (err) {
          this.logger?.error({ err, seq: acc.seq }, 'event listener failed');
        }
      }
      return acc;
    });
  }

  /**
   * Subscribes to the events of every command this process submits, after they are durable and in
   * seq order. In ROLE=all every command goes through here; a multi-process gateway would tail
   * the event log instead.
   */
  onEvents(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => { this.listeners.splice(this.listeners.indexOf(listener), 1); };
  }

  health(): ExchangeHealth {
    const s = this.sequencer.stats();
    return { ok: this.failure === null, lastSeq: s.lastSeq, durableSeq: s.durableSeq, ...(this.failure ? { problem: this.failure } : {}) };
  }

  /** The history store's projection: seq, lag behind the durable log, and its failure if any. Null without a store. */
  projectorProgress(): ProjectorProgress | null {
    if (this.projector === undefined) return null;
    const seq = this.projector.stats.seq;
    const lag = Math.max(0, this.sequencer.stats().durableSeq - seq);
    return { seq, lag, ...(this.projectorProblem !== null ? { problem: this.projectorProblem } : {}) };
  }

  /** Sequencer counters and the snapshot listing (newest first), for the status page. */
  stats(): SequencerStats { return this.sequencer.stats(); }
  snapshotList(): Promise<SnapshotMeta[]> { return this.snapshots ? this.snapshots.list() : Promise.resolve([]); }

  /** Drains queued commands, takes a final snapshot, closes the logs. */
  async close(): Promise<void> {
    await this.sequencer.close();
    for (const c of this.closers) await c();
  }
}

/** Opens the command log, event log and snapshot store (shared with the split roles in `src/roles/`). */
export async function openStorage(s: Storage, logger?: Logger): Promise<{ commandLog: CommandLog; eventLog: EventLog; snapshots: SnapshotStore }> {
  if (s.kind === 'memory') return { commandLog: new MemoryLog(), eventLog: new MemoryLog(), snapshots: new MemorySnapshotStore() };
  if (s.kind === 'files') {
    const commandLog = await FileJournal.open({ dir: `${s.dataDir}/commands`, ...(logger ? { logger } : {}) });
    // Events are derived from the commands: the sequencer acknowledges on the command journal and
    // appends events after it (eventsAfterCommands); recovery re-appends what a crash lost.
    // Damage there is cut like a torn tail: recovery re-appends whatever the event journal lacks.
    const eventLog = await FileJournal.open({ dir: `${s.dataDir}/events`, durable: false, onDamage: 'truncate', ...(logger ? { logger } : {}) });
    const snapshots = await FileSnapshotStore.open({ dir: `${s.dataDir}/snapshots` });
    return { commandLog, eventLog, snapshots };
  }
  const commandLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:commands` });
  await warnUnlessDurable(commandLog, logger);
  const eventLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:events` });
  const snapshots = await openPgSnapshots(s);
  return { commandLog, eventLog, snapshots };
}

/** The PostgreSQL snapshot store of the Redis + PostgreSQL topology (its table is created under a lock, so roles may start together). */
export async function openPgSnapshots(s: { readonly databaseUrl: string; readonly snapshotTable?: string }): Promise<PgSnapshotStore> {
  return PgSnapshotStore.open({ connection: s.databaseUrl, ...(s.snapshotTable ? { table: s.snapshotTable } : {}) });
}

/** Rebuilds the history projection from what the event log still holds (up to `toSeq`, an entry boundary). */
export async function replayHistory(eventLog: EventLog, history: History, toSeq = Number.POSITIVE_INFINITY): Promise<void> {
  let after = 0;
  for (;;) {
    const entries = await eventLog.read(after, 256);
    if (entries.length === 0) return;
    for (const entry of entries) {
      if (entry.seq > toSeq) return;
      const batch = decodeEventBatch(entry.payload);
      const first = entry.seq - batch.events.length + 1;
      batch.events.forEach((events, i) => history.apply(first + i, batch.tsMs, events));
      after = entry.seq;
    }
  }
}

/**
 * An acknowledgement is as durable as Redis makes an XADD: only `appendonly yes` with `appendfsync
 * always` survives a Redis crash. Anything less is allowed (a local try-out) but said at start.
 */
export async function warnUnlessDurable(log: RedisStreamLog, logger: Logger | undefined): Promise<void> {
  const p = await redisPersistence(log.redis);
  if (p === null) {
    logger?.warn('could not read Redis persistence settings (CONFIG GET refused): acknowledged orders survive a Redis crash only with appendonly yes and appendfsync always');
  } else if (p.appendonly !== 'yes' || p.appendfsync !== 'always') {
    logger?.warn({ appendonly: p.appendonly, appendfsync: p.appendfsync }, 'Redis runs without appendonly yes + appendfsync always: a Redis crash can lose acknowledged orders '
      + '(with everysec up to a second of them, without AOF everything since the last save). In production run Redis as docker-compose.yml does');
  }
}
