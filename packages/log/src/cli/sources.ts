import { existsSync } from 'node:fs';
import path from 'node:path';
import { FileJournal, type InvalidTail } from '../file/file-journal.ts';
import { RedisStreamLog } from '../redis/redis-stream-log.ts';
import { FileSnapshotStore } from '../snapshot/file-snapshot-store.ts';
import { PgSnapshotStore } from '../snapshot/pg-snapshot-store.ts';
import type { CommandLog, SnapshotStore } from '../types.ts';

/** Where the CLI reads from: the same stores the sequencer writes, opened so as not to disturb it. */
export interface SourceOptions {
  /** Shortcut for the server's DATA_DIR: `<data>/commands`, `<data>/events` and `<data>/snapshots`. */
  readonly data?: string;
  readonly journal?: string;
  readonly redis?: string;
  /** The server's REDIS_PREFIX (the command stream is `<prefix>:commands`), or the stream's own prefix ending in `:commands`. */
  readonly prefix?: string;
  readonly snapshots?: string;
  readonly pg?: string;
  readonly pgTable?: string;
}

export interface Sources {
  readonly commandLog: CommandLog;
  readonly snapshots: SnapshotStore;
  /** The embedded event journal's last seq, when `--data` has one (it must never be ahead of the commands). */
  readonly eventLastSeq: number | null;
  /** What the command journal holds past its last valid record, if anything. */
  readonly invalidTail: InvalidTail | null;
  close(): Promise<void>;
}

/** `<prefix>:commands` for a REDIS_PREFIX; a prefix that already names the command stream stays. */
export function commandStreamPrefix(prefix = 'matchbox'): string {
  return prefix.endsWith(':commands') ? prefix : `${prefix}:commands`;
}

/** A CLI mistake: printed as one line, without a stack trace. */
export class UsageError extends Error {}

export async function openSources(o: SourceOptions): Promise<Sources> {
  // `commands/` is what the server writes; `journal/` is the layout of older data directories.
  const dataJournal = o.data === undefined ? undefined
    : existsSync(path.join(o.data, 'commands')) || !existsSync(path.join(o.data, 'journal')) ? path.join(o.data, 'commands') : path.join(o.data, 'journal');
  const journalDir = o.journal ?? dataJournal;
  const snapshotDir = o.snapshots ?? (o.data ? path.join(o.data, 'snapshots') : undefined);
  if (journalDir !== undefined && o.redis === undefined && !existsSync(journalDir)) throw new UsageError(`no command journal at ${journalDir}${o.data !== undefined ? ' (is --data the server\'s DATA_DIR?)' : ''}`);
  let commandLog: CommandLog | undefined;
  let snapshots: SnapshotStore | undefined;
  try {
    let invalidTail: InvalidTail | null = null;
    if (o.redis) commandLog = await RedisStreamLog.open({ redis: o.redis, prefix: commandStreamPrefix(o.prefix) });
    else if (journalDir) {
      const journal = await FileJournal.open({ dir: journalDir, readOnly: true });
      invalidTail = journal.invalidTail;
      commandLog = journal;
    } else throw new UsageError('say where the command log is: --data <DATA_DIR>, --journal <dir> or --redis <url> [--prefix <REDIS_PREFIX>]');
    let eventLastSeq: number | null = null;
    const eventDir = o.data !== undefined && o.redis === undefined ? path.join(o.data, 'events') : undefined;
    if (eventDir !== undefined && existsSync(eventDir)) {
      const events = await FileJournal.open({ dir: eventDir, readOnly: true });
      eventLastSeq = await events.lastSeq();
      await events.close();
    }
    if (o.pg) snapshots = await PgSnapshotStore.open({ connection: o.pg, table: o.pgTable });
    else if (snapshotDir) snapshots = await FileSnapshotStore.open({ dir: snapshotDir });
    else throw new UsageError('say where the snapshots are: --data <DATA_DIR>, --snapshots <dir> or --pg <url>');
    const log = commandLog;
    const store = snapshots;
    return {
      commandLog: log, snapshots: store, eventLastSeq, invalidTail,
      close: async () => {
        await log.close();
        await store.close();
      },
    };
  } catch (err) {
    // Whatever was opened must not keep the process alive (a Redis connection would).
    await commandLog?.close().catch(() => undefined);
    await snapshots?.close().catch(() => undefined);
    const where = o.redis !== undefined && !(err instanceof UsageError) && commandLog === undefined ? ` (${o.redis})` : '';
    if (where !== '') throw new Error(`${(err as Error).message}${where}`);
    throw err;
  }
}
