import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MarketConfig } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import {
  InlineSnapshotter, Sequencer, decodeCommandBatch, matchboxEngineCodec, recover,
  type CommandLog, type SequencerStats,
} from '@matchbox/log';
import { openStorage, type Storage } from '../core/exchange.ts';
import { IntakeReader, RequestIdWindow, intakeKey, type IntakeEntry } from './intake.ts';
import { WriterLock } from './writer-lock.ts';

type RedisPg = Extract<Storage, { kind: 'redis-pg' }>;

export interface SequencerRoleOptions {
  readonly storage: RedisPg;
  readonly markets: readonly MarketConfig[];
  readonly logger?: Logger;
  readonly snapshotEveryCommands?: number;
  readonly snapshotEveryMs?: number;
  /** Keep every log entry instead of trimming below the oldest kept snapshot (KEEP_LOGS=1). */
  readonly keepLogs?: boolean;
  /** Start even when the command log lost acknowledged commands (ACCEPT_LOG_LOSS=1). */
  readonly acceptLogLoss?: boolean;
  /** Intake entries submitted but not yet durable+acked; bounds what a crash can leave pending. */
  readonly maxInflight?: number;
  /** Request ids remembered for dropping re-read intake entries; must exceed `maxInflight`. */
  readonly dedupeWindow?: number;
  /** TTL of the single-writer lock `<prefix>:sequencer:lock` (a restarted sequencer waits at most this long). */
  readonly lockTtlMs?: number;
}

export interface SequencerRoleStats extends SequencerStats {
  readonly intakeInflight: number;
  readonly duplicatesDropped: number;
  readonly unusableDropped: number;
}

/**
 * ROLE=sequencer: the single writer of the production topology.
 *
 *   intake stream ──XREADGROUP──► Sequencer.submit(command, requestId) ──► command log + event log
 *                 ◄──XACK (after durable)──┘                                 (Redis, one entry per batch)
 *
 * Recovers the engine like ROLE=all does (newest snapshot + command log, re-publishing missing
 * event entries), seeds the request-id window from the tail of the command log, re-submits its
 * own pending intake entries (those already in the log are dropped by request id), then follows
 * the intake stream. Snapshots and trimming are the Sequencer's, as in ROLE=all. Gateways learn
 * results by following the command log; nothing is sent back to them.
 */
export class SequencerRole {
  private running = true;
  private loopDone: Promise<void> = Promise.resolve();
  private inflight = 0;
  private inflightDrained: (() => void) | null = null;
  private readonly acks: string[] = [];
  private ackScheduled = false;
  private duplicates = 0;
  private unusable = 0;
  private problem: string | null = null;
  private onFail: (err: Error) => void = () => {};
  /** Settles when the role stopped by failure (log failure, lost writer lock): exit and restart. */
  readonly failed: Promise<Error> = new Promise((resolve) => { this.onFail = resolve; });

  private constructor(
    private readonly sequencer: Sequencer<Engine>,
    private readonly reader: IntakeReader,
    private readonly window: RequestIdWindow,
    private readonly maxInflight: number,
    private readonly closers: (() => Promise<void>)[],
    private readonly logger: Logger | undefined,
    lock: WriterLock,
  ) {
    void sequencer.failed.then((err) => { this.problem = err.message; this.onFail(err); });
    void lock.lost.then((err) => { this.problem = err.message; this.onFail(err); });
  }

  static async open(opts: SequencerRoleOptions): Promise<SequencerRole> {
    const maxInflight = opts.maxInflight ?? 20_000;
    const windowSize = opts.dedupeWindow ?? 200_000;
    if (windowSize <= maxInflight * 2) throw new RangeError('the dedupe window must be more than twice the in-flight limit');
    const codec = matchboxEngineCodec(opts.markets);
    const { commandLog, eventLog, snapshots } = await openStorage(opts.storage, opts.logger);
    const intakeRedis = new Redis(opts.storage.redisUrl, { lazyConnect: true });
    const lockRedis = new Redis(opts.storage.redisUrl, { lazyConnect: true });
    for (const r of [intakeRedis, lockRedis]) r.on('error', (err: Error) => opts.logger?.warn({ err: err.message }, 'sequencer: redis connection error'));
    const lock = new WriterLock(lockRedis, `${opts.storage.prefix}:sequencer:lock`, opts.lockTtlMs ?? 5000, opts.logger);
    const closers = [
      () => commandLog.close(), () => eventLog.close(), () => snapshots.close(),
      async () => { await intakeRedis.quit().catch(() => intakeRedis.disconnect()); },
      async () => { await lock.release(); await lockRedis.quit().catch(() => lockRedis.disconnect()); },
    ];
    try {
      await intakeRedis.connect();
      await lockRedis.connect();
      // One writer: a second sequencer (or one restarted before the dead one's lock expired) waits here.
      await lock.acquire();
      const recovered = await recover({
        commandLog, eventLog, snapshots, codec, snapshotAhead: opts.acceptLogLoss === true ? 'accept' : 'refuse', ...(opts.logger ? { logger: opts.logger } : {}),
      });
      const engine = recovered.engine;
      const window = new RequestIdWindow(windowSize);
      await seedWindow(commandLog, window);
      const reader = new IntakeReader(intakeRedis, intakeKey(opts.storage.prefix));
      await reader.ensure();
      const sequencer = new Sequencer<Engine>({
        engine, commandLog, eventLog, snapshots, snapshotter: new InlineSnapshotter(() => engine, codec),
        // The intake stream holds the backlog; the in-process queue only needs the in-flight ones.
        intakeCapacity: maxInflight * 2,
        ...(opts.logger ? { logger: opts.logger } : {}),
        ...(opts.snapshotEveryCommands ? { snapshotEveryCommands: opts.snapshotEveryCommands } : {}),
        ...(opts.snapshotEveryMs ? { snapshotEveryMs: opts.snapshotEveryMs } : {}),
        trimLogs: opts.keepLogs !== true,
      });
      sequencer.start();
      const role = new SequencerRole(sequencer, reader, window, maxInflight, closers, opts.logger, lock);
      opts.logger?.info({ lastSeq: engine.lastSeq, remembered: window.size }, 'sequencer: recovered; following the intake stream');
      role.loopDone = role.run().catch((err: unknown) => {
        role.problem ??= `intake: ${(err as Error).message}`;
        opts.logger?.error({ err: (err as Error).message }, 'sequencer: intake loop stopped');
      });
      return role;
    } catch (err) {
      await Promise.allSettled(closers.map((c) => c()));
      throw err;
    }
  }

  health(): { ok: boolean; lastSeq: number; durableSeq: number; problem?: string } {
    const s = this.sequencer.stats();
    return { ok: this.problem === null, lastSeq: s.lastSeq, durableSeq: s.durableSeq, ...(this.problem ? { problem: this.problem } : {}) };
  }

  /** The live engine's state hash (tests and tooling; computing it walks the whole state). */
  stateHash(): string { return this.sequencer.engine.stateHash(); }

  stats(): SequencerRoleStats {
    return { ...this.sequencer.stats(), intakeInflight: this.inflight, duplicatesDropped: this.duplicates, unusableDropped: this.unusable };
  }

  private async run(): Promise<void> {
    // First what this consumer was handed before a restart and never acked.
    let after = '0';
    for (;;) {
      const pending = await this.reader.pending(after, 512);
      if (pending.length === 0) break;
      for (const e of pending) this.handle(e);
      after = pending[pending.length - 1]!.id;
    }
    while (this.running && this.problem === null) {
      if (this.inflight >= this.maxInflight) {
        await new Promise<void>((r) => { this.inflightDrained = r; });
        continue;
      }
      let entries: IntakeEntry[];
      try {
        entries = await this.reader.next(Math.min(1024, this.maxInflight - this.inflight), 500);
      } catch (err) {
        // The intake connection reconnects by itself; nothing was taken, so nothing is lost.
        this.logger?.warn({ err: (err as Error).message }, 'sequencer: reading the intake stream failed; retrying');
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      for (const e of entries) this.handle(e);
    }
  }

  private handle(e: IntakeEntry): void {
    if (e.command === null) {
      this.unusable++;
      this.logger?.error({ id: e.id, requestId: e.requestId, problem: e.problem }, 'sequencer: dropping an intake entry it cannot run');
      this.ack(e.id);
      return;
    }
    if (this.window.has(e.requestId)) {
      // Already sequenced (a re-read after a restart, or a gateway's resent XADD): the gateway
      // that sent it sees it in the command log under its first seq.
      this.duplicates++;
      this.ack(e.id);
      return;
    }
    this.window.add(e.requestId);
    this.inflight++;
    this.sequencer.submit(e.command, e.requestId).then(
      () => this.ack(e.id),
      // Not acked: the entry stays pending and is re-read by the next sequencer process.
      (err: unknown) => { this.problem ??= (err as Error).message; },
    ).finally(() => {
      this.inflight--;
      const wake = this.inflightDrained;
      if (wake && this.inflight < this.maxInflight / 2) {
        this.inflightDrained = null;
        wake();
      }
    });
  }

  private ack(id: string): void {
    this.acks.push(id);
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      const ids = this.acks.splice(0);
      // A lost ack only means a re-read after restart, which the request-id window drops.
      this.reader.ack(ids).catch((err: unknown) => this.logger?.warn({ err: (err as Error).message }, 'sequencer: XACK failed'));
    });
  }

  /** Stops reading the intake, finishes what it submitted, acks it, takes the final snapshot. */
  async close(): Promise<void> {
    this.running = false;
    const wake = this.inflightDrained;
    this.inflightDrained = null;
    wake?.();
    await this.loopDone;
    await this.sequencer.close();
    await new Promise<void>((r) => setImmediate(r));
    await this.reader.ack(this.acks.splice(0)).catch(() => {});
    for (const c of this.closers) await c();
  }
}

/** Request ids of the newest commands in the log, so a restarted sequencer drops what it already ran. */
async function seedWindow(commandLog: CommandLog, window: RequestIdWindow): Promise<void> {
  const last = await commandLog.lastSeq();
  let after = Math.max(0, last - window.capacity);
  for (;;) {
    const entries = await commandLog.read(after, 256);
    if (entries.length === 0) return;
    for (const entry of entries) {
      const ids = decodeCommandBatch(entry.payload).requestIds;
      if (ids) for (const id of ids) if (id !== undefined) window.add(id);
      after = entry.seq;
    }
  }
}
