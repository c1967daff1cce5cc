import type { Logger } from 'pino';
import type { Command, EngineEvent } from '@matchbox/domain';
import { encodeCommandBatch } from '../codec/command-batch.ts';
import { encodeEventBatch } from '../codec/event-batch.ts';
import type { CommandLog, EventLog, SnapshotStore } from '../types.ts';
import { SequencerClosedError, SequencerFailedError } from './errors.ts';
import { IntakeQueue, type Accepted, type Waiter } from './intake-queue.ts';
import type { EncodedEvents, Snapshotter, TakenSnapshot } from './snapshotter.ts';
import type { SequencedEngine } from './state-machine.ts';
import { trimLogs } from './trim.ts';

export interface SequencerOptions<E extends SequencedEngine> {
  readonly engine: E;
  readonly commandLog: CommandLog;
  readonly eventLog?: EventLog;
  readonly snapshots: SnapshotStore;
  readonly snapshotter: Snapshotter;
  /** Commands waiting for the loop; beyond it `submit` throws BusyError. */
  readonly intakeCapacity?: number;
  /** Commands per batch, i.e. per log entry and per fsync. */
  readonly maxBatch?: number;
  /** Batches applied but not yet durable; bounds memory and the work a crash discards. */
  readonly maxInflightBatches?: number;
  readonly snapshotEveryCommands?: number;
  readonly snapshotEveryMs?: number;
  /** Snapshots kept; logs are trimmed only below the oldest kept, so a corrupt newest one can fall back. */
  readonly keepSnapshots?: number;
  /** Default true: trim the logs below the oldest kept snapshot. False keeps every entry (a full audit trail; the logs grow). */
  readonly trimLogs?: boolean;
  readonly clock?: () => number;
  readonly logger?: Logger;
  /**
   * Acknowledge once the command log alone is durable, and append the batch's events only after
   * that (so the event log never runs ahead of the commands). For an event log whose appends are
   * not durable by themselves (a FileJournal opened with `durable: false`): events are derived
   * from the commands, and recovery re-appends whatever the event log lost (recovery.ts). Before a
   * snapshot is saved the event log is synced, so nothing below a snapshot is ever missing.
   * Default false: an acknowledgement waits for both logs.
   */
  readonly eventsAfterCommands?: boolean;
}

export interface SequencerStats {
  readonly lastSeq: number;
  readonly durableSeq: number;
  readonly batches: number;
  readonly snapshots: number;
  /** Longest time intake stood still for a snapshot capture, in ms. */
  readonly maxSnapshotPauseMs: number;
  readonly lastSnapshotSeq: number;
}

interface Inflight { readonly done: Promise<void> }

/**
 * With `eventsAfterCommands`: how far the event log may trail the acknowledgements before intake
 * waits. Room for the snapshot replica (which encodes the events) to spend a few hundred ms on a
 * snapshot of a large book at full load; bounded, because each waiting batch keeps its events.
 */
const EVENT_BACKLOG_BATCHES = 4096;
const EVENT_BACKLOG_COMMANDS = 65_536;

/**
 * The single writer: gateway → [intake queue] → sequencer → engine → command log (+ event log)
 * → waiters. One batch at a time: stamp consecutive seqs and one time, apply, append the batch
 * as one entry per log (group commit), and resolve the batch's waiters once the appends are
 * durable. While batch N is being written the loop already applies batch N+1 (up to
 * `maxInflightBatches`), so the engine never waits for the disk; acknowledgements still go out
 * strictly in seq order because appends resolve in call order.
 */
export class Sequencer<E extends SequencedEngine> {
  private readonly queue: IntakeQueue;
  private readonly inflight: Inflight[] = [];
  /** With `eventsAfterCommands`: event appends of acknowledged batches not yet written. */
  private readonly eventsPending: Inflight[] = [];
  /** Commands in `eventsPending`. */
  private eventBacklogCommands = 0;
  private closing = false;
  private failure: SequencerFailedError | null = null;
  private loopDone: Promise<void> | null = null;
  private durable = 0;
  private batches = 0;
  private snapshotCount = 0;
  private maxPauseMs = 0;
  private sinceSnapshot = 0;
  private lastSnapshotAt: number;
  private lastSnapshotSeq = 0;
  private snapshotInProgress: Promise<void> | null = null;
  /** With `eventsAfterCommands`: resolves once the newest batch's event append is issued (the next is issued after it). */
  private eventAppendOrder: Promise<unknown> = Promise.resolve();
  private replicaMismatchLogged = false;
  /** The newest batch's durable write; an idle snapshot waits for it. */
  private lastWritten: Promise<unknown> = Promise.resolve();
  private readonly opts: Required<Omit<SequencerOptions<E>, 'eventLog' | 'logger'>> & Pick<SequencerOptions<E>, 'eventLog' | 'logger'>;

  constructor(options: SequencerOptions<E>) {
    this.opts = {
      intakeCapacity: 100_000, maxBatch: 4096, maxInflightBatches: 8, snapshotEveryCommands: 1_000_000,
      snapshotEveryMs: 5 * 60_000, keepSnapshots: 2, trimLogs: true, clock: Date.now, eventsAfterCommands: false, ...options,
    };
    this.queue = new IntakeQueue(this.opts.intakeCapacity);
    this.durable = options.engine.lastSeq;
    this.lastSnapshotAt = performance.now();
  }

  get engine(): E { return this.opts.engine; }

  /**
   * Resolves once the command is durable, with its seq and events. Throws BusyError when full.
   * A `requestId` is stored with the command in the command log (see codec/command-batch.ts) so
   * that a process following the log can tell its own commands apart; the engine ignores it.
   */
  submit(command: Command, requestId?: string): Promise<Accepted> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new SequencerClosedError('shutting down'));
    return new Promise<Accepted>((resolve, reject) => this.queue.push(requestId === undefined ? { command, resolve, reject } : { command, requestId, resolve, reject }));
  }

  start(): void {
    this.loopDone ??= this.loop();
  }

  // Declared before `failed`, whose initializer replaces it (field initializers run in order).
  private onFailure: (err: SequencerFailedError) => void = () => {};
  /** Settles when the sequencer stops by failure (never on a clean close). */
  readonly failed: Promise<SequencerFailedError> = new Promise((resolve) => { this.onFailure = resolve; });

  stats(): SequencerStats {
    return {
      lastSeq: this.engine.lastSeq, durableSeq: this.durable, batches: this.batches, snapshots: this.snapshotCount,
      maxSnapshotPauseMs: this.maxPauseMs, lastSnapshotSeq: this.lastSnapshotSeq,
    };
  }

  private async loop(): Promise<void> {
    while (!this.failure) {
      if (this.queue.size === 0) {
        if (this.closing) break;
        await this.idle();
        continue;
      }
      if (this.inflight.length >= this.opts.maxInflightBatches) await this.inflight[0]!.done;
      // The event log may fall behind the acknowledgements, but only by a bounded number of batches.
      while (this.eventsPending.length >= EVENT_BACKLOG_BATCHES || this.eventBacklogCommands >= EVENT_BACKLOG_COMMANDS) await this.eventsPending[0]!.done;
      await this.waitForReplica();
      if (this.failure) break;
      const waiters = this.queue.take(this.opts.maxBatch);
      try {
        this.runBatch(waiters);
      } catch (err) {
        // The engine threw mid-batch: its state can no longer be trusted, only the log can.
        this.fail(err, waiters);
      }
      // Let I/O completions (fsync, Redis replies) run between batches even under full load.
      await new Promise<void>((r) => setImmediate(r));
    }
    await Promise.allSettled([...this.inflight, ...this.eventsPending].map((i) => i.done));
    for (const w of this.queue.drainAll()) w.reject(this.failure ?? new SequencerClosedError('stopped'));
  }

  /** Backpressure from the snapshot replica: never let it fall unboundedly behind. */
  private async waitForReplica(): Promise<void> {
    const s = this.opts.snapshotter;
    if (!s.lag || s.maxLagCommands === undefined) return;
    while (s.lag() > s.maxLagCommands && !this.failure) await new Promise((r) => setTimeout(r, 1));
  }

  /**
   * Waits for work. A time-based snapshot that falls due while no batch arrives is taken here,
   * so "every M minutes" holds for a quiet exchange too.
   */
  private async idle(): Promise<void> {
    const dueInMs = this.sinceSnapshot > 0 && !this.snapshotInProgress
      ? this.lastSnapshotAt + this.opts.snapshotEveryMs - performance.now()
      : Number.POSITIVE_INFINITY;
    if (dueInMs <= 0) {
      this.snapshotInProgress = this.persistSnapshot(this.capture(), this.lastWritten);
      return;
    }
    const timer = Number.isFinite(dueInMs) ? setTimeout(() => this.queue.interrupt(), Math.min(dueInMs, 2 ** 31 - 1)) : null;
    timer?.unref();
    await this.queue.whenNotEmpty();
    if (timer) clearTimeout(timer);
  }

  private runBatch(waiters: Waiter[]): void {
    const engine = this.engine;
    const tsMs = this.opts.clock();
    const commands = waiters.map((w) => w.command);
    const requestIds = waiters.some((w) => w.requestId !== undefined) ? waiters.map((w) => w.requestId) : undefined;
    const firstSeq = engine.lastSeq + 1;
    const events: EngineEvent[][] = new Array<EngineEvent[]>(commands.length);
    for (let i = 0; i < commands.length; i++) events[i] = engine.apply(commands[i]!, firstSeq + i, tsMs);
    const lastSeq = engine.lastSeq;
    if (lastSeq !== firstSeq + commands.length - 1) throw new Error(`engine seq ${lastSeq} after applying ${firstSeq}..${firstSeq + commands.length - 1}`);
    const payload = encodeCommandBatch(requestIds ? { tsMs, commands, requestIds } : { tsMs, commands });
    const eventLog = this.opts.eventLog;
    const snapshotter = this.opts.snapshotter;
    // Events after commands: the snapshot replica, whose engine makes the same events, may encode them.
    const encodedElsewhere = eventLog && this.opts.eventsAfterCommands && snapshotter.onBatchWithEvents
      ? snapshotter.onBatchWithEvents(lastSeq, payload)
      : null;
    if (encodedElsewhere === null) snapshotter.onBatch(lastSeq, payload);
    const logged = this.opts.commandLog.append([{ seq: lastSeq, payload }]);
    let acked: Promise<unknown> = logged;
    let written: Promise<unknown> = logged;
    if (eventLog) {
      if (this.opts.eventsAfterCommands) {
        const encoded: Promise<Uint8Array> = encodedElsewhere === null
          ? Promise.resolve(encodeEventBatch({ tsMs, events }))
          // A broken (or disagreeing) replica costs this thread the encoding, not the exchange its event log.
          : encodedElsewhere.then((got) => this.checkedEvents(got, lastSeq, events)).catch(() => encodeEventBatch({ tsMs, events }));
        encoded.catch(() => {}); // never unobserved, even when an earlier append failed first
        // In seq order: each batch's event append is issued once the previous batch's has been
        // (appends issued back to back share the journal's next write) and once its own commands
        // are durable (acknowledgements resolve in order too). The append promise travels boxed,
        // so that issuing does not wait for it to complete.
        const issued = this.eventAppendOrder.then(() => Promise.all([logged, encoded]))
          .then(([, bytes]) => ({ append: eventLog.append([{ seq: lastSeq, payload: bytes }]) }));
        this.eventAppendOrder = issued;
        const appended = issued.then((i) => i.append);
        written = Promise.all([logged, appended]);
      } else {
        written = acked = Promise.all([logged, eventLog.append([{ seq: lastSeq, payload: encodeEventBatch({ tsMs, events }) }])]);
      }
    }
    this.batches++;
    this.lastWritten = written;
    const record: Inflight = {
      done: acked.then(
        () => {
          this.durable = lastSeq;
          for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve({ seq: firstSeq + i, tsMs, events: events[i]! });
        },
        (err: unknown) => this.fail(err, waiters),
      ).finally(() => { this.inflight.splice(this.inflight.indexOf(record), 1); }),
    };
    this.inflight.push(record);
    if (written !== acked) {
      // Acknowledged already: a failed event append stops the sequencer (recovery re-appends the events).
      const pending: Inflight = {
        done: written.then(() => undefined, (err: unknown) => { if (!this.failure) this.fail(err, []); })
          .finally(() => {
            this.eventsPending.splice(this.eventsPending.indexOf(pending), 1);
            this.eventBacklogCommands -= commands.length;
          }),
      };
      this.eventsPending.push(pending);
      this.eventBacklogCommands += commands.length;
    }
    const capture = this.maybeCapture(commands.length);
    if (capture) this.snapshotInProgress = this.persistSnapshot(capture, written);
  }

  /**
   * The replica's payload, if it made as many events as this engine did; otherwise (the two
   * engines disagree — a bug) this thread's own encoding, and an error logged once.
   */
  private checkedEvents(got: EncodedEvents, lastSeq: number, events: readonly (readonly EngineEvent[])[]): Uint8Array {
    let n = 0;
    for (const e of events) n += e.length;
    if (got.events === n) return got.payload;
    if (!this.replicaMismatchLogged) {
      this.replicaMismatchLogged = true;
      this.opts.logger?.error({ lastSeq, replicaEvents: got.events, events: n }, 'sequencer: the snapshot replica made other events than the engine; encoding them here');
    }
    throw new Error('replica events differ');
  }

  private fail(err: unknown, waiters: Waiter[]): void {
    if (!this.failure) {
      this.failure = new SequencerFailedError(err instanceof Error ? err : new Error(String(err)));
      this.onFailure(this.failure);
    }
    this.opts.logger?.error({ err: this.failure.cause.message, lastSeq: this.engine.lastSeq, durableSeq: this.durable }, 'sequencer: log append failed; stopping');
    for (const w of waiters) w.reject(this.failure);
    this.queue.interrupt();
  }

  /** Starts a capture at this batch boundary when one is due; the measured pause is its sync part. */
  private maybeCapture(commands: number): Promise<TakenSnapshot> | null {
    this.sinceSnapshot += commands;
    const due = this.sinceSnapshot >= this.opts.snapshotEveryCommands || performance.now() - this.lastSnapshotAt >= this.opts.snapshotEveryMs;
    if (!due || this.snapshotInProgress) return null;
    return this.capture();
  }

  private capture(): Promise<TakenSnapshot> {
    const t0 = performance.now();
    const taken = this.opts.snapshotter.capture();
    this.maxPauseMs = Math.max(this.maxPauseMs, performance.now() - t0);
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = performance.now();
    return taken;
  }

  /** Saves a snapshot once its batch is durable (never before: it must not hold unlogged commands). */
  private async persistSnapshot(taken: Promise<TakenSnapshot>, written: Promise<unknown>): Promise<void> {
    try {
      await written;
      // Entries below a snapshot are never regenerated by recovery: they must be durable first.
      await this.opts.eventLog?.sync?.();
      const s = await taken;
      await this.opts.snapshots.save({ seq: s.seq, stateHash: s.stateHash, sizeBytes: s.bytes.length }, s.bytes);
      this.snapshotCount++;
      this.lastSnapshotSeq = s.seq;
      await this.opts.snapshots.prune(this.opts.keepSnapshots);
      if (this.opts.trimLogs) await trimLogs(this.opts.snapshots, this.opts.commandLog, this.opts.eventLog, this.opts.logger);
      this.opts.logger?.info({ seq: s.seq, bytes: s.bytes.length }, 'sequencer: snapshot saved');
    } catch (err) {
      // A failed snapshot costs recovery time, not data: the log still holds everything.
      taken.catch(() => {});
      if (!this.failure) this.opts.logger?.error({ err: (err as Error).message }, 'sequencer: snapshot failed');
    } finally {
      this.snapshotInProgress = null;
    }
  }

  /**
   * Graceful shutdown: stop accepting, finish every queued and in-flight command, take a final
   * snapshot (so the next start replays nothing), and stop. Queued work is never dropped.
   */
  async close(opts: { snapshot?: boolean } = {}): Promise<void> {
    this.closing = true;
    this.queue.interrupt();
    this.start();
    await this.loopDone;
    await this.snapshotInProgress;
    if (!this.failure && (opts.snapshot ?? true) && this.engine.lastSeq > this.lastSnapshotSeq) {
      this.snapshotInProgress = this.persistSnapshot(this.capture(), Promise.resolve());
      await this.snapshotInProgress;
    }
    await this.opts.snapshotter.close();
  }
}
