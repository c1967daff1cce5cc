import type { Redis } from 'ioredis';
import type { Command } from '@matchbox/domain';
import { decodeCommandBatch, encodeCommandBatch } from '@matchbox/log';

/**
 * The intake stream `<prefix>:intake` between gateways and the sequencer (ROLE=gateway|sequencer).
 *
 * A gateway XADDs one entry per command: `r` = its request id, `c` = the command (a one-command
 * command batch, the log's own codec). The stream is bounded with `MAXLEN ~`: it holds requests,
 * not the truth — the command log does. The sequencer reads it through the consumer group
 * `sequencer` and XACKs an entry only once its command is durable in the command log; after a
 * restart it first re-reads its own pending (delivered, unacked) entries. A re-read entry may
 * already be in the log: the sequencer drops it by request id (see `RequestIdWindow`).
 */
export const INTAKE_GROUP = 'sequencer';
export const INTAKE_CONSUMER = 'sequencer';

export function intakeKey(prefix: string): string {
  return `${prefix}:intake`;
}

/** One request on the intake stream. `id` is the stream entry id (for XACK). */
export interface IntakeEntry {
  readonly id: string;
  readonly requestId: string;
  /** null when the entry cannot run: trimmed away while pending, or malformed (`problem`). */
  readonly command: Command | null;
  readonly problem?: string;
}

/** A gateway's side: append a command with its request id. */
export class IntakeWriter {
  constructor(private readonly redis: Redis, readonly key: string, private readonly maxLen: number) {}

  /** Resolves with the stream entry id once Redis has the entry. */
  async append(requestId: string, command: Command): Promise<string> {
    const payload = encodeCommandBatch({ tsMs: 0, commands: [command] });
    const id = await this.redis.xadd(this.key, 'MAXLEN', '~', this.maxLen, '*', 'r', requestId, 'c', payload);
    return String(id);
  }
}

/** The sequencer's side: a consumer group reader. Blocking reads need their own connection. */
export class IntakeReader {
  constructor(private readonly redis: Redis, readonly key: string, readonly group = INTAKE_GROUP, readonly consumer = INTAKE_CONSUMER) {}

  /** Creates the group (from the beginning of the stream) if it does not exist. */
  async ensure(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err as Error).message.includes('BUSYGROUP')) throw err;
    }
  }

  /** This consumer's delivered-but-unacked entries after `afterId` (restart: re-submit them). */
  pending(afterId: string, count: number): Promise<IntakeEntry[]> {
    return this.xreadgroup(['COUNT', count, 'STREAMS', this.key, afterId]);
  }

  /** New entries; waits up to `blockMs` when there are none (0: answers at once). */
  next(count: number, blockMs: number): Promise<IntakeEntry[]> {
    return this.xreadgroup(['COUNT', count, ...(blockMs > 0 ? ['BLOCK', blockMs] : []), 'STREAMS', this.key, '>']);
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xack(this.key, this.group, ...ids);
  }

  private async xreadgroup(tail: (string | number)[]): Promise<IntakeEntry[]> {
    const reply = (await this.redis.callBuffer('XREADGROUP', 'GROUP', this.group, this.consumer, ...tail)) as unknown[] | null;
    if (!reply || reply.length === 0) return [];
    // One stream was asked for: [[key, entries]] (RESP2 as parsed by ioredis 5) or [key, entries].
    const stream = (Buffer.isBuffer(reply[0]) ? reply : reply[0]) as [Buffer, [Buffer, Buffer[] | null][]];
    const out: IntakeEntry[] = [];
    for (const [id, fields] of stream[1]) {
      out.push(parseEntry(id.toString(), fields));
    }
    return out;
  }
}

function parseEntry(id: string, fields: Buffer[] | null): IntakeEntry {
  // A pending entry trimmed away by MAXLEN comes back without fields: nothing left to run.
  if (fields === null) return { id, requestId: '', command: null, problem: 'trimmed from the intake stream while pending' };
  let requestId = '';
  let payload: Buffer | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const k = fields[i]!.toString();
    if (k === 'r') requestId = fields[i + 1]!.toString();
    else if (k === 'c') payload = fields[i + 1]!;
  }
  try {
    if (requestId === '' || payload === undefined) throw new Error('missing field r or c');
    const batch = decodeCommandBatch(payload);
    if (batch.commands.length !== 1) throw new Error(`${batch.commands.length} commands instead of 1`);
    return { id, requestId, command: batch.commands[0]! };
  } catch (err) {
    return { id, requestId, command: null, problem: (err as Error).message };
  }
}

/**
 * The request ids of the newest `capacity` commands in the command log, for dropping intake
 * entries re-read after a restart that are already sequenced. Exact as long as `capacity` is
 * larger than what can be sequenced between reading an intake entry and acking it (the sequencer
 * bounds that by its in-flight limit).
 */
export class RequestIdWindow {
  private readonly ring: (string | undefined)[];
  private readonly set = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('request id window must be a positive integer');
    this.ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  has(id: string): boolean { return this.set.has(id); }

  get size(): number { return this.set.size; }

  add(id: string): void {
    if (this.set.has(id)) return;
    const old = this.ring[this.next];
    if (old !== undefined) this.set.delete(old);
    this.ring[this.next] = id;
    this.set.add(id);
    this.next = (this.next + 1) % this.capacity;
  }
}
