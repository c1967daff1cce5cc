import { setTimeout as sleep } from 'node:timers/promises';
import type { MarketConfig } from '@matchbox/domain';
import { decodeEventBatch, type EventLog } from '@matchbox/log';
import pino, { type Logger } from 'pino';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { writeBatch } from './batch-writer.ts';
import { ProjectionBatch } from './projection-batch.ts';

export interface ProjectorOptions {
  readonly db: SqlDriver;
  readonly log: EventLog;
  readonly markets: readonly MarketConfig[];
  /** Cursor name in `projector_cursor` and in the log's cursor store. */
  readonly name?: string;
  /** At most this many log entries are read per transaction. */
  readonly maxEntriesPerBatch?: number;
  /** A transaction stops taking entries once it holds this many events (an entry is never split). */
  readonly maxEventsPerBatch?: number;
  /** Sleep when the log has nothing new. */
  readonly idlePollMs?: number;
  /**
   * After a transaction that took everything the log had, the next one starts no sooner than this
   * long after it began, so what arrives meanwhile goes in together. A transaction costs about the
   * same for one command as for hundreds (a dozen statements and a commit): without this window a
   * projector that keeps up commits once per sequencer batch, and at 1,000 orders/s PGlite spent
   * most of a core doing that. The projection lags by up to this much more. Default 100 ms.
   */
  readonly batchWindowMs?: number;
  /**
   * How often the projected seq is acknowledged to the log's cursor store (which lets the log trim
   * below it). The database cursor is the authority; this acknowledgement may lag or be lost.
   */
  readonly ackIntervalMs?: number;
  readonly logger?: Logger;
}

export interface StepResult {
  /** The database cursor after the step. */
  readonly seq: number;
  readonly entries: number;
  readonly events: number;
  readonly rows: number;
}

export interface ProjectorStats {
  seq: number;
  batches: number;
  entries: number;
  events: number;
  rows: number;
}

interface PreparedBatch {
  readonly seq: number;
  readonly entries: number;
  readonly batch: ProjectionBatch;
  /** It stopped at a limit: the log may have more right now. */
  readonly full: boolean;
}

export class ProjectorGapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectorGapError';
  }
}

/**
 * Projects the event log into the store, exactly once.
 *
 * Each step is one transaction: lock this projector's cursor row (`SELECT … FOR UPDATE`, so two
 * projectors on one database take turns instead of racing), read the entries after it from the
 * log, write their rows, move the cursor, COMMIT. Rows and cursor become visible together, so a
 * crash anywhere — before, during or after the COMMIT, before the log hears about it — restarts
 * from exactly the stored cursor. Every write is also idempotent on its own (natural keys with
 * ON CONFLICT DO NOTHING, and merges guarded by the newest position they contain), so even a
 * replay below the cursor would not duplicate a row.
 */
export class Projector {
  readonly name: string;
  readonly stats: ProjectorStats = { seq: 0, batches: 0, entries: 0, events: 0, rows: 0 };
  private readonly marketsBySymbol: ReadonlyMap<string, MarketConfig>;
  private readonly maxEntries: number;
  private readonly maxEvents: number;
  private readonly logger: Logger;
  private stopped = false;
  /** Cuts the loop's sleeps short on stop(), so stopping never waits out a window or a backoff. */
  private wake = new AbortController();
  private running: Promise<void> | null = null;
  private lastAckMs = 0;
  private ackedSeq = 0;
  private cursorReady = false;
  /** The cursor when the last step found the log empty after it (null after a step that projected). */
  private idleAt: number | null = null;
  /** The next batch, built while the current one is written (at most one ahead: bounded memory). */
  private prefetched: { from: number; batch: Promise<PreparedBatch | null> } | null = null;
  /** The last step's batch stopped at a limit (the log had more). */
  private lastFull = false;

  constructor(private readonly opts: ProjectorOptions) {
    this.name = opts.name ?? 'store';
    this.marketsBySymbol = new Map(opts.markets.map((m) => [m.symbol, m]));
    this.maxEntries = opts.maxEntriesPerBatch ?? 512;
    this.maxEvents = opts.maxEventsPerBatch ?? 20_000;
    if (!(this.maxEntries >= 1 && this.maxEvents >= 1)) throw new RangeError('batch limits must be ≥ 1');
    this.logger = opts.logger ?? pino({ name: `projector:${this.name}` });
  }

  /** The database cursor: every command with seq ≤ this is projected. */
  async cursor(): Promise<number> {
    const rows = await this.opts.db.query<{ seq: number }>('SELECT seq FROM projector_cursor WHERE name = $1', [this.name]);
    return rows[0]?.seq ?? 0;
  }

  /** Projects one bounded batch in one transaction. `entries === 0` means the log had nothing new. */
  async step(): Promise<StepResult> {
    await this.ensureCursor();
    if (this.idleAt !== null) {
      // Idle: look at the log before opening a transaction (a PGlite transaction costs a few ms of
      // CPU, every idle poll). Another projector on the same database may have moved the cursor
      // further; anything after ours means a real step, which reads the cursor under its lock.
      const seq = this.idleAt;
      if ((await this.opts.log.read(seq, 1)).length === 0) {
        await this.maybeAck(seq, true);
        return { seq, entries: 0, events: 0, rows: 0 };
      }
    }
    const r = await this.opts.db.transaction((tx) => this.project(tx));
    this.idleAt = r.entries === 0 ? r.seq : null;
    this.stats.seq = r.seq;
    if (r.entries > 0) {
      this.stats.batches++;
      this.stats.entries += r.entries;
      this.stats.events += r.events;
      this.stats.rows += r.rows;
      this.logger.debug(r, 'projected batch');
    }
    await this.maybeAck(r.seq, r.entries === 0);
    return r;
  }

  /** Steps until the log has nothing after the cursor; resolves with the cursor. */
  async catchUp(): Promise<number> {
    for (;;) {
      const r = await this.step();
      if (r.entries === 0) return r.seq;
    }
  }

  /**
   * Runs until `stop()`: steps, sleeping when idle, retrying transient errors with backoff. A gap
   * in the log is fatal: `done()` rejects with it.
   */
  start(): void {
    if (this.running !== null) return;
    this.stopped = false;
    this.wake = new AbortController();
    this.running = this.loop();
    this.running.catch(() => undefined); // observed through done() / stop()
  }

  /** Settles when the loop ends: after stop(), or rejected by a fatal error. */
  done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.abort();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  private async loop(): Promise<void> {
    const idleMs = this.opts.idlePollMs ?? 20;
    const windowMs = this.opts.batchWindowMs ?? 100;
    const signal = this.wake.signal;
    const pause = (ms: number): Promise<void> => sleep(ms, undefined, { signal }).catch(() => undefined);
    let failures = 0;
    this.logger.info({ name: this.name, seq: await this.cursor().catch(() => -1) }, 'projector started');
    while (!this.stopped) {
      try {
        const began = performance.now();
        const r = await this.step();
        failures = 0;
        if (r.entries === 0) await pause(idleMs);
        else if (!this.lastFull && !this.stopped) {
          const waitMs = windowMs - (performance.now() - began);
          if (waitMs >= 1) await pause(waitMs);
        }
      } catch (err) {
        if (err instanceof ProjectorGapError) {
          this.logger.error({ err }, 'projector cannot continue');
          throw err;
        }
        failures++;
        const backoffMs = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        this.logger.warn({ err, failures, backoffMs }, 'projector step failed; retrying');
        await pause(backoffMs);
      }
    }
    this.logger.info({ name: this.name, ...this.stats }, 'projector stopped');
  }

  private async ensureCursor(): Promise<void> {
    if (this.cursorReady) return;
    await this.opts.db.query('INSERT INTO projector_cursor (name, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING', [this.name]);
    this.cursorReady = true;
  }

  private async project(tx: SqlExecutor): Promise<StepResult> {
    const locked = await tx.query<{ seq: number }>('SELECT seq FROM projector_cursor WHERE name = $1 FOR UPDATE', [this.name]);
    const from = locked[0]?.seq;
    if (from === undefined) throw new Error(`projector cursor row "${this.name}" is missing`);
    const ahead = this.prefetched;
    this.prefetched = null;
    const prepared = (ahead !== null && ahead.from === from ? await ahead.batch : null) ?? await this.prepare(from);
    this.lastFull = prepared?.full ?? false;
    if (prepared === null) return { seq: from, entries: 0, events: 0, rows: 0 };
    // Catching up: decode and build the next batch while this one is written (JS and the database
    // overlap). Caught up, the next batch is read after the batch window instead, whole.
    if (prepared.full) this.prefetched = { from: prepared.seq, batch: this.prepare(prepared.seq).catch(() => null) };
    await writeBatch(tx, prepared.batch);
    await tx.query('UPDATE projector_cursor SET seq = GREATEST(seq, $2), updated_at = now() WHERE name = $1', [this.name, prepared.seq]);
    return { seq: prepared.seq, entries: prepared.entries, events: prepared.batch.events, rows: prepared.batch.rowCount };
  }

  /**
   * Reads and decodes the entries after `from` into one bounded batch. Pure with respect to the
   * database, so it may run ahead speculatively; it is used only if the locked cursor equals `from`.
   */
  private async prepare(from: number): Promise<PreparedBatch | null> {
    const entries = await this.opts.log.read(from, this.maxEntries);
    if (entries.length === 0) return null;
    const batch = new ProjectionBatch(this.marketsBySymbol);
    let seq = from;
    let used = 0;
    let full = entries.length >= this.maxEntries;
    for (const entry of entries) {
      const decoded = decodeEventBatch(entry.payload);
      const firstSeq = entry.seq - decoded.events.length + 1;
      if (firstSeq !== seq + 1) {
        throw new ProjectorGapError(`event log entry ${entry.seq} starts at seq ${firstSeq}, but the store is at ${seq}` +
          (seq === 0 ? ' (the log was trimmed; rebuild needs the log from seq 1)' : ''));
      }
      for (let i = 0; i < decoded.events.length; i++) batch.addCommand(firstSeq + i, decoded.tsMs, decoded.events[i]!);
      seq = entry.seq;
      used++;
      if (batch.events >= this.maxEvents) {
        full = true;
        break;
      }
    }
    return { seq, entries: used, batch, full };
  }

  private async maybeAck(seq: number, idle: boolean): Promise<void> {
    if (seq <= this.ackedSeq) return;
    const now = Date.now();
    const interval = this.opts.ackIntervalMs ?? 1000;
    if (!idle && now - this.lastAckMs < interval) return;
    this.lastAckMs = now;
    await this.opts.log.commitCursor(this.name, seq);
    this.ackedSeq = seq;
  }
}
