import path from 'node:path';
import { FileJournal } from '../file/file-journal.ts';
import { RedisStreamLog } from '../redis/redis-stream-log.ts';
import { FileSnapshotStore } from '../snapshot/file-snapshot-store.ts';
import { PgSnapshotStore } from '../snapshot/pg-snapshot-store.ts';
import type { CommandLog, SnapshotStore } from '../types.ts';

/** Where the CLI reads from: the same stores the sequencer writes, opened so as not to disturb it. */
export interface SourceOptions {
  /** Shortcut: `<data>/journal` and `<data>/snapshots`. */
  readonly data?: string;
  readonly journal?: string;
  readonly redis?: string;
  readonly prefix?: string;
  readonly snapshots?: string;
  readonly pg?: string;
  readonly pgTable?: string;
}

export interface Sources {
  readonly commandLog: CommandLog;
  readonly snapshots: SnapshotStore;
  close(): Promise<void>;
}

export async function openSources(o: SourceOptions): Promise<Sources> {
  const journalDir = o.journal ?? (o.data ? path.join(o.data, 'journal') : undefined);
  const snapshotDir = o.snapshots ?? (o.data ? path.join(o.data, 'snapshots') : undefined);
  let commandLog: CommandLog;
  if (o.redis) commandLog = await RedisStreamLog.open({ redis: o.redis, prefix: o.prefix ?? 'matchbox:commands' });
  else if (journalDir) commandLog = await FileJournal.open({ dir: journalDir, readOnly: true });
  else throw new Error('say where the command log is: --data, --journal <dir> or --redis <url> --prefix <p>');
  let snapshots: SnapshotStore;
  if (o.pg) snapshots = await PgSnapshotStore.open({ connection: o.pg, table: o.pgTable });
  else if (snapshotDir) snapshots = await FileSnapshotStore.open({ dir: snapshotDir });
  else throw new Error('say where the snapshots are: --data, --snapshots <dir> or --pg <url>');
  return {
    commandLog, snapshots,
    close: async () => {
      await commandLog.close();
      await snapshots.close();
    },
  };
}
