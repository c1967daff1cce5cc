import { decodeEventBatch, type EventLog } from '@matchbox/log';
import type { MarketDataHub, StreamLogger } from './hub.ts';

export interface EventLogFollowerOptions {
  readonly eventLog: EventLog;
  readonly hub: MarketDataHub;
  /** Publish commands with seq > this (the seq the hub's depth seed reflects). */
  readonly afterSeq: number;
  /** Wait between reads when the log has nothing new. */
  readonly idleMs?: number;
  /** Entries per read (each entry is one sequencer batch). */
  readonly maxEntries?: number;
  readonly logger?: StreamLogger;
}

/**
 * Feeds a hub from the event log: the fan-out process of the production topology (any number of
 * them follow the Redis event stream and serve their own clients). Reads whole entries in seq
 * order and publishes each command's events with its own seq, so the hub sees exactly what the
 * embedded mode hands it in-process.
 */
export class EventLogFollower {
  private after: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set when reading or decoding the log failed; the follower has stopped. */
  failure: Error | undefined;

  constructor(private readonly opts: EventLogFollowerOptions) {
    this.after = opts.afterSeq;
    opts.hub.lastSeq = Math.max(opts.hub.lastSeq, opts.afterSeq);
  }

  /** Seq of the last command published. */
  get seq(): number {
    return this.after;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      // The owner sees it in `failure` (and in health checks); a fan-out process should exit and restart.
      this.opts.logger?.error({ err: (err as Error).message }, 'event log follower stopped');
      this.running = false;
      this.failure = err as Error;
    });
  }

  /** Reads everything available now; resolves with the number of entries published. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await this.opts.eventLog.read(this.after, this.opts.maxEntries ?? 256);
      if (entries.length === 0) return total;
      for (const entry of entries) {
        const batch = decodeEventBatch(entry.payload);
        const first = entry.seq - batch.events.length + 1;
        batch.events.forEach((events, i) => this.opts.hub.publish(first + i, batch.tsMs, events));
        this.after = entry.seq;
      }
      total += entries.length;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const n = await this.catchUp();
      if (n === 0 && this.running) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.opts.idleMs ?? 5);
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop?.catch(() => undefined);
  }
}
