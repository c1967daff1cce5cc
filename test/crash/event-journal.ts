/**
 * What an event journal holds, summarised so that the crash child (after recovery) and the parent
 * (against its reference replay) can compare it: the seq range, whether the entries follow each
 * other without gap or overlap, and a digest of every seq's events.
 *
 * The digest is sha256 over one line per seq, `<seq> <sha256 of the canonical JSON of that seq's
 * events>\n`, from the first seq to the last. Hashing per seq lets the reference keep 64 bytes a
 * seq instead of the events, and lets the child skip decoding entries it already decoded in an
 * earlier run (see `describeEventJournal`'s cache).
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { decodeEventBatch, type EventLog } from '../../packages/log/src/index.ts';

export interface EventJournalReport {
  /** First seq the journal holds (its first entry's first command), 0 when empty. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly entries: number;
  /** Each entry starts right after the previous one ends (seq - events.length + 1 = previous seq + 1). */
  readonly contiguous: boolean;
  /** The first discontinuity, for the failure message. */
  readonly gap: string | null;
  /** Over firstSeq..lastSeq (see above). */
  readonly digest: string;
  /** Entries decoded this time (the others' per-seq hashes came from the cache). */
  readonly decoded: number;
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export class EventDigest {
  private readonly hash = createHash('sha256');
  /** `eventsHash`: sha256 of the canonical JSON of the seq's events. */
  add(seq: number, eventsHash: string): void { this.hash.update(`${seq} ${eventsHash}\n`); }
  digest(): string { return this.hash.digest('hex'); }
}

/**
 * Reads the whole journal. `canonical` is passed in so that both sides use the same function.
 *
 * With `cacheFile`, the per-seq hashes of each entry are remembered under the entry's seq and the
 * sha256 of its payload bytes, and reused when a later call finds the very same bytes: decoding
 * every event of a journal of tens of thousands of seqs at every restart would dominate the crash
 * test's time. A hash is a function of the payload bytes alone, so the cache cannot hide a changed
 * entry; a missing or unreadable cache file only means decoding everything.
 */
export async function describeEventJournal(log: EventLog, canonical: (v: unknown) => string, cacheFile?: string): Promise<EventJournalReport> {
  let cache = new Map<string, string[]>();
  if (cacheFile) {
    try {
      cache = new Map(Object.entries(JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, string[]>));
    } catch {
      // none yet (or torn by a kill before the rename, which cannot happen but costs nothing to allow)
    }
  }
  const seen = new Map<string, string[]>();
  const digest = new EventDigest();
  let firstSeq = 0;
  let lastSeq = 0;
  let entries = 0;
  let decoded = 0;
  let gap: string | null = null;
  for (;;) {
    const read = await log.read(lastSeq, 256);
    if (read.length === 0) break;
    for (const entry of read) {
      const key = `${entry.seq}/${sha256(entry.payload)}`;
      let hashes = cache.get(key);
      if (hashes === undefined) {
        hashes = decodeEventBatch(entry.payload).events.map((events) => sha256(canonical(events)));
        decoded++;
      }
      seen.set(key, hashes);
      const start = entry.seq - hashes.length + 1;
      if (entries === 0) firstSeq = start;
      else if (start !== lastSeq + 1 && gap === null) gap = `entry ${entry.seq} (${hashes.length} commands) starts at ${start}, the previous one ended at ${lastSeq}`;
      if (hashes.length === 0 && gap === null) gap = `entry ${entry.seq} holds no commands`;
      for (let i = 0; i < hashes.length; i++) digest.add(start + i, hashes[i]!);
      lastSeq = entry.seq;
      entries++;
    }
  }
  if (cacheFile && decoded > 0) {
    await writeFile(`${cacheFile}.tmp`, JSON.stringify(Object.fromEntries(seen)));
    await rename(`${cacheFile}.tmp`, cacheFile);
  }
  return { firstSeq, lastSeq, entries, contiguous: gap === null, gap, digest: digest.digest(), decoded };
}
