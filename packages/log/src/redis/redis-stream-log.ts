import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { unstored, type EntryLog, type LogEntry } from '../types.ts';

export interface RedisStreamLogOptions {
  /** A URL or options for a connection the log owns, or a connection it borrows. */
  readonly redis: string | RedisOptions | Redis;
  /** Keys are `<prefix>:log` (the stream) and `<prefix>:cursors` (a hash). */
  readonly prefix: string;
  readonly logger?: Logger;
}

/** Atomic "move forward only" for a cursor hash field. */
const CURSOR_MAX_LUA = `local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

const TOP_ITEM_ERROR = 'equal or smaller than the target stream top item';

/** Stream ids are `<seq>-0`; only the first part carries meaning. */
export function seqOfId(id: string | Buffer): number {
  const s = id.toString();
  return Number(s.slice(0, s.indexOf('-')));
}

/**
 * The production log on Redis Streams. One stream entry per sequencer batch, with the explicit
 * id `<seq>-0`: Redis itself rejects an id that is not above the stream's top, so a retried XADD
 * after an unknown outcome can never store a batch twice.
 *
 * "Durable" means what Redis' persistence gives: run it with `appendonly yes` and
 * `appendfsync always`, so Redis fsyncs the AOF before it replies. With `appendfsync everysec`
 * a Redis crash (or power loss) may drop the last second of acknowledged batches; with
 * `appendonly no` everything since the last RDB save. The exchange would then come back
 * consistent but older than what clients were told — do not run production that way.
 *
 * Appends are pipelined: overlapping calls go out back to back on one connection and Redis
 * answers them in order, so each batch costs one XADD, not one round trip.
 */
export class RedisStreamLog implements EntryLog {
  readonly streamKey: string;
  readonly cursorKey: string;
  private acceptedSeq = 0;
  private failed: Error | null = null;

  private constructor(readonly redis: Redis, private readonly ownsConnection: boolean, prefix: string) {
    this.streamKey = `${prefix}:log`;
    this.cursorKey = `${prefix}:cursors`;
    redis.defineCommand('mbxCursorMax', { numberOfKeys: 1, lua: CURSOR_MAX_LUA });
  }

  static async open(opts: RedisStreamLogOptions): Promise<RedisStreamLog> {
    const owns = !(opts.redis instanceof Redis);
    const redis = opts.redis instanceof Redis ? opts.redis
      // Fail fast when the connection drops (maxRetriesPerRequest 0 rejects queued and in-flight
      // commands at the first failed reconnect): the sequencer must learn that a batch may not
      // be durable, not wait behind an invisible retry.
      : new Redis({ ...(typeof opts.redis === 'string' ? parseUrl(opts.redis) : opts.redis), maxRetriesPerRequest: 0, enableOfflineQueue: true, lazyConnect: true });
    if (owns) {
      // Connection errors also reject the commands they affect; this only keeps them visible.
      redis.on('error', (err: Error) => opts.logger?.warn({ err: err.message, prefix: opts.prefix }, 'redis log: connection error'));
      await redis.connect();
    }
    const log = new RedisStreamLog(redis, owns, opts.prefix);
    log.acceptedSeq = await log.lastSeq();
    return log;
  }

  async append(entries: readonly LogEntry[]): Promise<void> {
    if (this.failed) throw this.failed;
    const fresh = unstored(entries, this.acceptedSeq);
    if (fresh.length === 0) {
      // A pure retry: resolve only once what it refers to is durable, i.e. after the in-flight
      // writes on this connection (Redis answers in order, so a PING behind them is enough).
      await this.redis.ping();
      return;
    }
    this.acceptedSeq = fresh[fresh.length - 1]!.seq;
    const pipe = this.redis.pipeline();
    for (const e of fresh) pipe.xadd(this.streamKey, `${e.seq}-0`, 'p', Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength));
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipe.exec();
    } catch (err) {
      throw this.fail(err);
    }
    if (!results) throw this.fail(new Error('redis pipeline returned no results'));
    for (let i = 0; i < results.length; i++) {
      const err = results[i]![0];
      if (!err) continue;
      if (!err.message.includes(TOP_ITEM_ERROR)) throw this.fail(err);
      // Refused as not above the stream's top id: fine if an earlier attempt of this very append
      // stored it; if the entry is missing, entries above it were deleted (the stream remembers the
      // highest id it ever gave out) and this one would be lost without a word.
      const id = `${fresh[i]!.seq}-0`;
      if ((await this.redis.xrange(this.streamKey, id, id)).length === 0) {
        throw this.fail(new Error(`${this.streamKey}: entry ${id} was refused as not above the stream's top id, and it is not there: `
          + 'entries above it were deleted from the stream. Nothing more is appended.'));
      }
    }
  }

  private fail(err: unknown): Error {
    this.failed ??= err instanceof Error ? err : new Error(String(err));
    return this.failed;
  }

  async read(afterSeq: number, maxEntries: number): Promise<LogEntry[]> {
    const rows = await this.redis.xrangeBuffer(this.streamKey, `(${afterSeq}-0`, '+', 'COUNT', maxEntries);
    return rows.map(([id, fields]) => ({ seq: seqOfId(id), payload: fieldValue(fields) }));
  }

  async lastSeq(): Promise<number> {
    const rows = await this.redis.xrevrange(this.streamKey, '+', '-', 'COUNT', 1);
    return rows.length === 0 ? 0 : seqOfId(rows[0]![0]);
  }

  async firstSeq(): Promise<number> {
    const rows = await this.redis.xrange(this.streamKey, '-', '+', 'COUNT', 1);
    return rows.length === 0 ? 0 : seqOfId(rows[0]![0]);
  }

  /** Exact MINID trim; the newest entry always stays so `lastSeq` survives any trim. */
  async trimBelow(seq: number): Promise<void> {
    const last = await this.lastSeq();
    if (last === 0) return;
    await this.redis.xtrim(this.streamKey, 'MINID', `${Math.min(seq, last)}-0`);
  }

  async commitCursor(name: string, seq: number): Promise<void> {
    await (this.redis as Redis & { mbxCursorMax(key: string, name: string, seq: number): Promise<number> }).mbxCursorMax(this.cursorKey, name, seq);
  }

  async cursors(): Promise<ReadonlyMap<string, number>> {
    const all = await this.redis.hgetall(this.cursorKey);
    return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]));
  }

  /** Deletes this log's keys (tests and tooling). */
  async destroy(): Promise<void> {
    await this.redis.del(this.streamKey, this.cursorKey);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function fieldValue(fields: Buffer[]): Buffer {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === 'p') return fields[i + 1]!;
  throw new Error('stream entry has no payload field "p"');
}

function parseUrl(url: string): RedisOptions {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0 };
}

/** What Redis does with an acknowledged write: its AOF settings, or null where `CONFIG GET` is refused (managed Redis). */
export async function redisPersistence(redis: Redis): Promise<{ readonly appendonly: string; readonly appendfsync: string } | null> {
  try {
    const [, appendonly = ''] = (await redis.config('GET', 'appendonly')) as string[];
    const [, appendfsync = ''] = (await redis.config('GET', 'appendfsync')) as string[];
    return { appendonly, appendfsync };
  } catch {
    return null;
  }
}
