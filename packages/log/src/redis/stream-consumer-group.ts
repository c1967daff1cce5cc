import type { Redis } from 'ioredis';
import type { LogEntry } from '../types.ts';
import { fieldValue, seqOfId } from './redis-stream-log.ts';

/**
 * A projection's view of the event stream through a Redis consumer group: entries are handed
 * out once per group, stay pending until XACKed, and entries of a consumer that died before
 * acking are taken over with XAUTOCLAIM. Projections stay idempotent on seq anyway (a claimed
 * entry may have been half-processed), and commit their own cursor for trimming.
 *
 * Blocking reads need their own connection: give this class a `redis.duplicate()`.
 */
export class StreamConsumerGroup {
  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
    readonly group: string,
    readonly consumer: string,
  ) {}

  /** Creates the group if missing, delivering entries after `afterSeq` (0 = from the start). */
  async ensure(afterSeq = 0): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.streamKey, this.group, `${afterSeq}-0`, 'MKSTREAM');
    } catch (err) {
      if (!(err as Error).message.includes('BUSYGROUP')) throw err;
    }
  }

  /** New entries for this consumer; waits up to `blockMs` when there are none (0 = don't wait). */
  async read(count: number, blockMs = 0): Promise<LogEntry[]> {
    const args: (string | number)[] = ['GROUP', this.group, this.consumer, 'COUNT', count];
    if (blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', this.streamKey, '>');
    const reply = (await this.redis.callBuffer('XREADGROUP', ...args)) as unknown[] | null;
    if (!reply || reply.length === 0) return [];
    // One stream was asked for: the reply is [[key, entries]] (RESP2 as parsed by ioredis 5) or
    // [key, entries] (ioredis 6); accept both.
    const stream = (Buffer.isBuffer(reply[0]) ? reply : reply[0]) as [Buffer, [Buffer, Buffer[]][]];
    return toEntries(stream[1]);
  }

  async ack(seqs: readonly number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    return this.redis.xack(this.streamKey, this.group, ...seqs.map((s) => `${s}-0`));
  }

  /** Entries delivered to some consumer but not acked for `minIdleMs`, reassigned to this one. */
  async claimStale(minIdleMs: number, count: number): Promise<LogEntry[]> {
    const reply = (await this.redis.callBuffer('XAUTOCLAIM', this.streamKey, this.group, this.consumer, minIdleMs, '0-0', 'COUNT', count)) as [Buffer, [Buffer, Buffer[] | null][]];
    // Entries trimmed away while pending come back with null fields: nothing left to process.
    return toEntries(reply[1].filter((r): r is [Buffer, Buffer[]] => r[1] !== null));
  }

  /** How many entries are delivered and not yet acked in this group. */
  async pendingCount(): Promise<number> {
    const summary = (await this.redis.xpending(this.streamKey, this.group)) as [number, ...unknown[]];
    return Number(summary[0]);
  }
}

function toEntries(rows: [Buffer, Buffer[]][]): LogEntry[] {
  return rows.map(([id, fields]) => ({ seq: seqOfId(id), payload: fieldValue(fields) }));
}
