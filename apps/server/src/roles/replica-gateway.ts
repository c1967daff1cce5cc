import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Command, MarketConfig } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import {
  BusyError, RedisStreamLog, SequencerClosedError, SequencerFailedError, decodeCommandBatch, matchboxEngineCodec, recover,
  type Accepted, type LogEntry,
} from '@matchbox/log';
import { openPgSnapshots, replayHistory, type EventListener, type ExchangeHealth, type Storage } from '../core/exchange.ts';
import type { History } from '../history/history.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import type { ExchangePort } from '../http/context.ts';
import { IntakeWriter, intakeKey } from './intake.ts';

type RedisPg = Extract<Storage, { kind: 'redis-pg' }>;

export interface ReplicaGatewayOptions {
  readonly storage: RedisPg;
  readonly markets: readonly MarketConfig[];
  readonly logger?: Logger;
  /** How long a request waits for its command to show up in the command log (then -1007). */
  readonly resultTimeoutMs?: number;
  /** Requests waiting for their result; beyond it `submit` throws BusyError (-1008). */
  readonly maxPending?: number;
  /** `MAXLEN ~` of the intake stream. */
  readonly intakeMaxLen?: number;
  readonly history?: History;
}

/**
 * The answer is unknown: the command was (or may have been) appended to the intake stream, but
 * its result did not arrive in time. It may still be applied. Answered as Binance -1007
 * ("execution status unknown") — never as a failure the client could safely retry blindly.
 */
export class OutcomeUnknownError extends SequencerFailedError {
  constructor(reason: string) {
    super(new Error(reason));
    this.name = 'OutcomeUnknownError';
  }
}

interface Pending {
  resolve(a: Accepted): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * ROLE=gateway's exchange core: the same `ExchangePort` the HTTP layer uses in ROLE=all, backed by
 * a replica engine instead of the sequencer.
 *
 *   submit(cmd) ──XADD {requestId, cmd}──► intake stream ──► sequencer ──► command log (Redis)
 *        ▲                                                                     │ follow (XREAD BLOCK wakes, XRANGE reads)
 *        └──── resolve with the replica's events ◄── replica engine.apply(cmd, seq, ts) ◄┘
 *
 * The engine is deterministic, so applying the command log in order gives the sequencer's exact
 * state and events; a request is answered when the replica applies the command carrying its
 * request id — which is in the durable command log by then, so an answered command is never lost.
 * Reads (books, balances, keys, history) come from the replica, which is at most a batch or so
 * behind the sequencer, and always has the requester's own command applied before it is answered.
 */
export class ReplicaGateway implements ExchangePort {
  readonly gatewayId = `g${randomBytes(6).toString('base64url')}`;
  private counter = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners: EventListener[] = [];
  private problem: string | null = null;
  private closing = false;
  private stopped = false;
  private followDone: Promise<void> = Promise.resolve();
  private onFail: (err: Error) => void = () => {};
  /** Settles if the replica stops for good (log gap, undecodable entry, engine error): restart the process. */
  readonly failed: Promise<Error> = new Promise((resolve) => { this.onFail = resolve; });
  private readonly timeoutMs: number;
  private readonly maxPending: number;

  private constructor(
    readonly engine: Engine,
    readonly history: History,
    private readonly commandLog: RedisStreamLog,
    private readonly intake: IntakeWriter,
    private readonly blocker: Redis,
    private readonly closers: (() => Promise<void>)[],
    private readonly logger: Logger | undefined,
    opts: ReplicaGatewayOptions,
  ) {
    this.timeoutMs = opts.resultTimeoutMs ?? 10_000;
    this.maxPending = opts.maxPending ?? 50_000;
  }

  static async open(opts: ReplicaGatewayOptions): Promise<ReplicaGateway> {
    const s = opts.storage;
    const log = opts.logger ? { logger: opts.logger } : {};
    const commandLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:commands`, ...log });
    const closers: (() => Promise<void>)[] = [() => commandLog.close()];
    try {
      const eventLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:events`, ...log });
      closers.push(() => eventLog.close());
      const snapshots = await openPgSnapshots(s);
      closers.push(() => snapshots.close());
      // Stop where the event log ends too (they are written together, entry for entry), so that the
      // history rebuilt from the event log and the replica engine start at the same seq.
      const toSeq = Math.min(await commandLog.lastSeq(), await eventLog.lastSeq());
      // Read-only on shared storage: a gateway never discards snapshots nor re-publishes events.
      const { engine } = await recover({ commandLog, snapshots, codec: matchboxEngineCodec(opts.markets), toSeq, discardCorrupt: false, ...log });
      const history = opts.history ?? new MemoryHistory();
      await replayHistory(eventLog, history, engine.lastSeq);
      // The gateway needs neither after start: it follows the command log from here on.
      await eventLog.close();
      await snapshots.close();
      closers.splice(1);
      const redis = new Redis(s.redisUrl, { lazyConnect: true });
      const blocker = new Redis(s.redisUrl, { lazyConnect: true });
      for (const r of [redis, blocker]) r.on('error', (err: Error) => opts.logger?.warn({ err: err.message }, 'gateway: redis connection error'));
      closers.push(async () => { await redis.quit().catch(() => redis.disconnect()); }, async () => { blocker.disconnect(); });
      await redis.connect();
      await blocker.connect();
      const gw = new ReplicaGateway(engine, history, commandLog, new IntakeWriter(redis, intakeKey(s.prefix), opts.intakeMaxLen ?? 1_000_000), blocker, closers, opts.logger, opts);
      gw.followDone = gw.follow();
      opts.logger?.info({ gatewayId: gw.gatewayId, lastSeq: engine.lastSeq }, 'gateway: replica recovered; following the command log');
      return gw;
    } catch (err) {
      await Promise.allSettled(closers.map((c) => c()));
      throw err;
    }
  }

  /**
   * Appends the command to the intake stream and resolves with its seq and events once the replica
   * has applied it from the durable command log. BusyError / SequencerClosedError: not sent.
   * OutcomeUnknownError: sent (or maybe sent), result not seen in time.
   */
  submit(command: Command): Promise<Accepted> {
    if (this.problem !== null) return Promise.reject(new OutcomeUnknownError(`gateway replica stopped: ${this.problem}`));
    if (this.closing) return Promise.reject(new SequencerClosedError('gateway shutting down'));
    if (this.pending.size >= this.maxPending) return Promise.reject(new BusyError(this.pending.size));
    const requestId = `${this.gatewayId}:${++this.counter}`;
    return new Promise<Accepted>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new OutcomeUnknownError(`request ${requestId}: no result from the command log within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.intake.append(requestId, command).catch((err: unknown) => {
        // The XADD may or may not have reached Redis: keep waiting for the log until the timeout.
        this.logger?.warn({ err: (err as Error).message, requestId }, 'gateway: intake append failed; outcome unknown');
      });
    });
  }

  onEvents(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => { this.listeners.splice(this.listeners.indexOf(listener), 1); };
  }

  health(): ExchangeHealth {
    const seq = this.engine.lastSeq;
    return { ok: this.problem === null, lastSeq: seq, durableSeq: seq, ...(this.problem ? { problem: this.problem } : {}) };
  }

  get pendingCount(): number { return this.pending.size; }

  private async follow(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      let entries: LogEntry[];
      try {
        entries = await this.commandLog.read(this.engine.lastSeq, 256);
        if (entries.length === 0) {
          // Block (no polling) until the command stream has an entry after ours.
          await this.blocker.xread('COUNT', 1, 'BLOCK', 1000, 'STREAMS', this.commandLog.streamKey, `${this.engine.lastSeq}-0`);
          continue;
        }
        backoffMs = 50;
      } catch (err) {
        if (this.stopped) return;
        this.logger?.warn({ err: (err as Error).message }, 'gateway: reading the command log failed; retrying');
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 2000);
        continue;
      }
      try {
        for (const e of entries) this.applyEntry(e);
      } catch (err) {
        this.stop(err as Error);
        return;
      }
    }
  }

  private applyEntry(entry: LogEntry): void {
    const engine = this.engine;
    const batch = decodeCommandBatch(entry.payload);
    const first = entry.seq - batch.commands.length + 1;
    if (first > engine.lastSeq + 1) {
      throw new Error(`command log entry ${entry.seq} starts at ${first} but the replica is at ${engine.lastSeq}: trimmed past this gateway; restart it`);
    }
    for (let i = 0; i < batch.commands.length; i++) {
      const seq = first + i;
      if (seq <= engine.lastSeq) continue;
      const events = engine.apply(batch.commands[i]!, seq, batch.tsMs);
      try {
        this.history.apply(seq, batch.tsMs, events);
      } catch (err) {
        this.logger?.error({ err, seq }, 'gateway: history projection failed');
      }
      for (const l of this.listeners) {
        try {
          l(seq, batch.tsMs, events);
        } catch (err) {
          this.logger?.error({ err, seq }, 'gateway: event listener failed');
        }
      }
      const id = batch.requestIds?.[i];
      if (id === undefined) continue;
      const p = this.pending.get(id);
      if (p === undefined) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.resolve({ seq, tsMs: batch.tsMs, events });
    }
  }

  private stop(err: Error): void {
    if (this.problem !== null) return;
    this.problem = err.message;
    this.stopped = true;
    this.logger?.error({ err: err.message, lastSeq: this.engine.lastSeq }, 'gateway: replica stopped');
    this.rejectAll(`gateway replica stopped: ${err.message}`);
    this.onFail(err);
  }

  private rejectAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new OutcomeUnknownError(`request ${id}: ${reason}`));
    }
    this.pending.clear();
  }

  /** Stops taking requests, waits (bounded) for the results of those in flight, then stops following. */
  async close(drainMs = Math.min(this.timeoutMs, 5000)): Promise<void> {
    this.closing = true;
    const until = Date.now() + drainMs;
    while (this.pending.size > 0 && this.problem === null && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    this.stopped = true;
    this.rejectAll('gateway shut down before the result arrived');
    for (const c of this.closers) await c();
    await this.followDone.catch(() => {});
    // Operators (and the topology test) compare this with a replay of the command log to that seq.
    this.logger?.info({ lastSeq: this.engine.lastSeq, stateHash: this.engine.stateHash() }, 'gateway: replica stopped cleanly');
  }
}
