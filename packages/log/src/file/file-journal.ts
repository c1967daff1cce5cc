import { constants as fsc, promises as fsp, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { encodeHeader, findValidRecordAfter, HEADER_BYTES, MAX_PAYLOAD_BYTES, scanRecords } from './record-format.ts';
import { Segment, parseSegmentName, segmentName } from './segment.ts';
import { fsyncDir, removeStaleTemps, writeFileAtomic } from './atomic-file.ts';
import { CorruptLogError, unstored, type EntryLog, type LogEntry } from '../types.ts';

export interface FileJournalOptions {
  readonly dir: string;
  /** A segment is sealed and a new one started once it passes this size. */
  readonly segmentBytes?: number;
  readonly logger?: Logger;
  /**
   * For tools that look while the sequencer may be writing (`mbx verify`, `replay`): never
   * truncates, deletes or appends; an invalid tail is ignored instead of repaired.
   */
  readonly readOnly?: boolean;
  /**
   * With `readOnly`: follow a journal another writer (in this process or another) keeps
   * appending to. When `read` finds nothing past what is indexed, it scans the bytes appended to
   * the last segment since its known size and any newer segment files. Every record is CRC-checked;
   * a partially written tail record is simply not visible yet (tried again next time, never
   * truncated), and a segment the writer trimmed away is dropped from the index.
   */
  readonly follow?: boolean;
  /**
   * Default true: `append` resolves once the entries are durable (O_DSYNC / fdatasync per flush).
   * False: it resolves once they are written to the operating system — they survive the process
   * dying, not a power loss — and `sync()` makes everything appended so far durable (sealed
   * segments and `close` are synced too). For the event log, whose entries recovery regenerates
   * from the command log (Sequencer `eventsAfterCommands`).
   */
  readonly durable?: boolean;
  /**
   * An invalid record in the last segment with a whole, valid record after it is damage, not a
   * write torn by a crash. 'refuse' (default): opening throws `CorruptLogError` and changes nothing,
   * since the records after it may be acknowledged. 'truncate': cut it like a torn tail (the cut
   * bytes kept as `dropped-*.bin`), for a log whose entries can be regenerated (the event journal).
   */
  readonly onDamage?: 'refuse' | 'truncate';
}

/**
 * What `open` found past the last valid record of the last segment. Writable journals cut a torn
 * tail off (a crash mid-write leaves one, and nothing in it was acknowledged) after copying the
 * bytes to `keptAs`, and refuse damage unless `onDamage: 'truncate'`; read-only ones only report it.
 */
export interface InvalidTail {
  readonly segment: string;
  /** Where the valid records end. */
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
  /** The seq of a whole, valid record found after the invalid one: damage, not a torn write. */
  readonly validRecordAfter: number | null;
  /** The file the cut bytes were copied to (writable journals). */
  readonly keptAs: string | null;
}

/** At most this many new bytes are scanned per follow step (the rest is picked up next time). */
const FOLLOW_CHUNK_BYTES = 8 * 1024 * 1024;

/** Synchronized-I/O data integrity writes (POSIX O_DSYNC): each write is an fdatasync too. */
const DSYNC = typeof fsc.O_DSYNC === 'number' && fsc.O_DSYNC !== 0 && process.platform !== 'win32';

interface PendingAppend {
  readonly entries: readonly LogEntry[];
  /** A `sync()` call: this flush ends with an fdatasync. */
  readonly sync?: boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * The embedded durable log: segment files of CRC-checked records, group commit with one
 * `fdatasync` per flush, torn-tail truncation on open, trimming by whole segments.
 *
 * Group commit: appends that arrive while a flush is in progress wait and go out together in the
 * next one, so the fsync cost (≈0.5 ms here) is shared by everything that queued meanwhile.
 *
 * Where the platform has O_DSYNC the active segment is opened with it, so one `pwrite` is the
 * write and the fdatasync together: one thread-pool round trip per flush instead of two. Under
 * load each round trip waits for a turn of a busy event loop (≈1–2 ms each, measured), which
 * is most of the time an acknowledgement waits for, far more than the disk itself.
 */
export class FileJournal implements EntryLog {
  private readonly segments: Segment[] = [];
  private active: fsp.FileHandle | null = null;
  private pending: PendingAppend[] = [];
  private flushing = false;
  private failed: Error | null = null;
  /** Seq of the newest entry accepted by `append` (maybe not yet durable). */
  private acceptedSeq = 0;
  private cursorWrite: Promise<void> = Promise.resolve();
  private cursorMap = new Map<string, number>();
  private readonly segmentBytes: number;
  private readonly readOnly: boolean;
  private readonly follow: boolean;
  private readonly durable: boolean;
  private refreshing: Promise<boolean> | null = null;
  private readonly logger: Logger | undefined;
  private tail: InvalidTail | null = null;
  private readonly onDamage: 'refuse' | 'truncate';

  private constructor(private readonly dir: string, opts: FileJournalOptions) {
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.readOnly = opts.readOnly ?? false;
    this.durable = opts.durable ?? true;
    this.follow = opts.follow ?? false;
    this.onDamage = opts.onDamage ?? 'refuse';
    this.logger = opts.logger;
    if (this.follow && !this.readOnly) throw new Error('journal: follow needs readOnly');
  }

  /** Opens (creating if needed) a journal directory, verifying every record and truncating a torn tail. */
  static async open(opts: FileJournalOptions): Promise<FileJournal> {
    if (!opts.readOnly) await fsp.mkdir(opts.dir, { recursive: true });
    const journal = new FileJournal(opts.dir, opts);
    await journal.load(opts.logger);
    return journal;
  }

  private async load(logger: Logger | undefined): Promise<void> {
    if (!this.readOnly) await removeStaleTemps(this.dir);
    const names = (await fsp.readdir(this.dir))
      .map((n) => ({ n, first: parseSegmentName(n) }))
      .filter((x): x is { n: string; first: number } => x.first !== null)
      .sort((a, b) => a.first - b.first);
    let prev = 0;
    for (let i = 0; i < names.length; i++) {
      const { n, first } = names[i]!;
      const file = path.join(this.dir, n);
      let buf: Buffer;
      try {
        buf = await fsp.readFile(file);
      } catch (err) {
        // A reader racing the writer's trimming: that segment is gone, the next ones are not.
        if (this.readOnly && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const scan = scanRecords(buf, prev);
      const isLast = i === names.length - 1;
      if (scan.stopReason !== null && !isLast) {
        throw new CorruptLogError(`${n}: ${scan.stopReason} at byte ${scan.validBytes} in a sealed segment (only the last segment can be torn by a crash): `
          + `the journal is damaged. Restore ${file} from a backup; nothing was changed.`);
      }
      if (scan.validBytes < buf.length && !(this.readOnly && this.follow)) {
        const lastValid = scan.records.length > 0 ? scan.records[scan.records.length - 1]!.seq : prev;
        const after = findValidRecordAfter(buf, scan.validBytes + 1, lastValid);
        const validRecordAfter = after < 0 ? null : buf.readUInt32LE(after + 8) * 0x1_0000_0000 + buf.readUInt32LE(after + 12);
        let keptAs: string | null = null;
        if (!this.readOnly && validRecordAfter !== null && this.onDamage === 'refuse') {
          throw new CorruptLogError(`${n}: ${scan.stopReason} at byte ${scan.validBytes}, but a whole, valid record (seq ${validRecordAfter}) follows at byte ${after}: `
            + 'the journal is damaged, not torn by a crash, and what follows may be acknowledged. Refusing to cut it (nothing was changed). '
            + `Restore ${file} from a backup; or, only if you accept losing every entry from byte ${scan.validBytes} on, cut it yourself (truncate -s ${scan.validBytes} ${file}) and start again.`);
        }
        if (!this.readOnly) {
          // A torn tail: the crash came mid-write, so nothing after it was ever acknowledged (or
          // damage in a journal opened with onDamage 'truncate'). The bytes are kept beside the
          // segment all the same, for a look or a restore.
          keptAs = path.join(this.dir, `dropped-${n}-at-${scan.validBytes}.bin`);
          await writeFileAtomic(keptAs, buf.subarray(scan.validBytes));
          const fields = { segment: n, validBytes: scan.validBytes, droppedBytes: buf.length - scan.validBytes, reason: scan.stopReason, validRecordAfter, keptAs };
          if (validRecordAfter === null) logger?.warn(fields, 'journal: truncating torn tail');
          else logger?.error(fields, 'journal: a valid record follows the invalid one: damage, not a torn write; truncating, the cut bytes are kept');
          await fsp.truncate(file, scan.validBytes);
          const h = await fsp.open(file, 'r+');
          await h.sync();
          await h.close();
        }
        this.tail = { segment: n, offset: scan.validBytes, bytes: buf.length - scan.validBytes, reason: scan.stopReason ?? 'invalid', validRecordAfter, keptAs };
      }
      if (scan.records.length === 0) {
        if (this.readOnly) continue;
        await fsp.rm(file);
        await fsyncDir(this.dir);
        continue;
      }
      const seg = new Segment(first, file);
      for (const r of scan.records) seg.index(r.seq, r.offset, HEADER_BYTES + r.payloadLength);
      this.segments.push(seg);
      prev = seg.lastSeq;
    }
    this.acceptedSeq = prev;
    try {
      this.cursorMap = new Map(Object.entries(JSON.parse(await fsp.readFile(this.cursorFile(), 'utf8')) as Record<string, number>));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** What `open` found past the last valid record (null: every byte was a valid record). */
  get invalidTail(): InvalidTail | null { return this.tail; }

  private cursorFile(): string { return path.join(this.dir, 'cursors.json'); }

  append(entries: readonly LogEntry[]): Promise<void> {
    if (this.readOnly) return Promise.reject(new Error('journal opened read-only'));
    if (this.failed) return Promise.reject(this.failed);
    let fresh: readonly LogEntry[];
    try {
      fresh = unstored(entries, this.acceptedSeq);
      for (const e of fresh) {
        if (e.payload.length > MAX_PAYLOAD_BYTES) throw new RangeError(`log entry ${e.seq} is ${e.payload.length} bytes, over the ${MAX_PAYLOAD_BYTES} limit`);
      }
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (fresh.length > 0) this.acceptedSeq = fresh[fresh.length - 1]!.seq;
    // Even an all-duplicate append waits for the flush in progress: "resolved" must mean durable.
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entries: fresh, resolve, reject });
      if (!this.flushing) void this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0 && !this.failed) {
      const group = this.pending;
      this.pending = [];
      try {
        await this.flush(group);
        for (const p of group) p.resolve();
      } catch (err) {
        this.failed = err instanceof Error ? err : new Error(String(err));
        for (const p of group) p.reject(this.failed);
      }
    }
    for (const p of this.pending) p.reject(this.failed!);
    this.pending = [];
    this.flushing = false;
  }

  private async flush(group: readonly PendingAppend[]): Promise<void> {
    const bufs: Uint8Array[] = [];
    const records: { seq: number; bytes: number }[] = [];
    for (const p of group) {
      for (const e of p.entries) {
        bufs.push(encodeHeader(e.seq, e.payload), e.payload);
        records.push({ seq: e.seq, bytes: HEADER_BYTES + e.payload.length });
      }
    }
    const syncAfter = !this.durable && group.some((p) => p.sync === true);
    if (records.length === 0) {
      if (syncAfter) await this.active?.datasync();
      return;
    }
    const seg = await this.writableSegment(records[0]!.seq);
    const buf = Buffer.concat(bufs);
    let done = 0;
    while (done < buf.length) {
      // Without durability the write only reaches the page cache, which takes a few µs: done here,
      // it spares the libuv thread pool a hand-off that costs this thread tens of µs in a VM.
      const bytesWritten = this.durable
        ? (await this.active!.write(buf, done, buf.length - done, seg.size + done)).bytesWritten
        : writeSync(this.active!.fd, buf, done, buf.length - done, seg.size + done);
      if (bytesWritten <= 0) throw new Error(`journal: write to ${path.basename(seg.file)} made no progress`);
      done += bytesWritten;
    }
    // With O_DSYNC each write returned only once its data (and the file size) was durable.
    if ((this.durable && !DSYNC) || syncAfter) await this.active!.datasync();
    let offset = seg.size;
    for (const r of records) {
      seg.index(r.seq, offset, r.bytes);
      offset += r.bytes;
    }
  }

  private async writableSegment(firstSeq: number): Promise<Segment> {
    const last = this.segments[this.segments.length - 1];
    if (last && this.active && last.size < this.segmentBytes) return last;
    if (this.active) {
      // A sealed segment is durable whatever the mode: sync() only ever has the active one to sync.
      if (!this.durable) await this.active.datasync();
      await this.active.close();
    }
    const seg = new Segment(firstSeq, path.join(this.dir, segmentName(firstSeq)));
    this.active = await fsp.open(seg.file, DSYNC && this.durable ? fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_DSYNC : 'wx');
    // The new file's directory entry must be durable before anything in it is acknowledged.
    await fsyncDir(this.dir);
    this.segments.push(seg);
    return seg;
  }

  async read(afterSeq: number, maxEntries: number): Promise<LogEntry[]> {
    const found = await this.readIndexed(afterSeq, maxEntries);
    if (found.length > 0 || !this.follow) return found;
    return (await this.refresh()) ? this.readIndexed(afterSeq, maxEntries) : [];
  }

  private async readIndexed(afterSeq: number, maxEntries: number): Promise<LogEntry[]> {
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.lastSeq <= afterSeq) continue;
      if (!this.follow) return seg.read(afterSeq, maxEntries);
      // A follower reads forward: segments before this one are done with, and holding their
      // file open would keep the disk space of a trimmed segment from being freed.
      for (let j = 0; j < i; j++) await this.segments[j]!.closeReader();
      try {
        return await seg.read(afterSeq, maxEntries);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // Trimmed by the writer meanwhile: drop it (and everything older) and go on from the next.
        this.logger?.debug({ segment: path.basename(seg.file) }, 'journal follower: segment was trimmed');
        this.segments.splice(0, i + 1);
        i = -1;
      }
    }
    return [];
  }

  /**
   * Follower: indexes what the writer appended since the last look. Resolves true if any new
   * record became visible. One scan at a time; concurrent callers share it.
   */
  private refresh(): Promise<boolean> {
    this.refreshing ??= this.scanAppended().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  private async scanAppended(): Promise<boolean> {
    let grew = false;
    for (;;) {
      const last = this.segments[this.segments.length - 1];
      if (last !== undefined) grew = (await this.extend(last, last.lastSeq)) || grew;
      const next = await this.nextSegmentFile(last?.firstSeq ?? -1);
      if (next === null) break;
      // Once a newer file exists the writer no longer appends to `last`: take what it added
      // between the scan above and the listing, then move on.
      if (last !== undefined) grew = (await this.extend(last, last.lastSeq)) || grew;
      const seg = new Segment(next.first, next.file);
      const prev = last?.lastSeq ?? 0;
      if (!(await this.extend(seg, prev))) break; // just created, nothing complete in it yet
      this.segments.push(seg);
      grew = true;
    }
    // Forget segments the writer trimmed (their files are gone).
    while (this.segments.length > 1) {
      try {
        await fsp.access(this.segments[0]!.file);
        break;
      } catch {
        await this.segments.shift()!.closeReader();
      }
    }
    return grew;
  }

  /** The oldest segment file newer than `afterFirst`, or null. */
  private async nextSegmentFile(afterFirst: number): Promise<{ first: number; file: string } | null> {
    let best: number | null = null;
    for (const n of await fsp.readdir(this.dir)) {
      const first = parseSegmentName(n);
      if (first !== null && first > afterFirst && (best === null || first < best)) best = first;
    }
    return best === null ? null : { first: best, file: path.join(this.dir, segmentName(best)) };
  }

  /**
   * Indexes complete, valid records appended to `seg` past its known size. A record cut short
   * (still being written) or failing its checksum ends the scan; it is looked at again next time.
   */
  private async extend(seg: Segment, prevSeq: number): Promise<boolean> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(seg.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // trimmed
      throw err;
    }
    try {
      const size = (await handle.stat()).size;
      if (size <= seg.size) return false;
      let buf = Buffer.allocUnsafe(Math.min(size - seg.size, FOLLOW_CHUNK_BYTES));
      let { bytesRead } = await handle.read(buf, 0, buf.length, seg.size);
      let scan = scanRecords(buf.subarray(0, bytesRead), prevSeq);
      if (scan.records.length === 0 && bytesRead === FOLLOW_CHUNK_BYTES) {
        // One record larger than a chunk (up to MAX_PAYLOAD_BYTES): read enough to hold it.
        buf = Buffer.allocUnsafe(Math.min(size - seg.size, HEADER_BYTES + MAX_PAYLOAD_BYTES));
        ({ bytesRead } = await handle.read(buf, 0, buf.length, seg.size));
        scan = scanRecords(buf.subarray(0, bytesRead), prevSeq);
      }
      if (scan.records.length === 0) return false;
      const base = seg.size;
      for (const r of scan.records) seg.index(r.seq, base + r.offset, HEADER_BYTES + r.payloadLength);
      this.acceptedSeq = Math.max(this.acceptedSeq, seg.lastSeq);
      return true;
    } finally {
      await handle.close();
    }
  }

  async lastSeq(): Promise<number> {
    if (this.follow) await this.refresh();
    return this.segments[this.segments.length - 1]?.lastSeq ?? 0;
  }
  async firstSeq(): Promise<number> { return this.segments[0]?.seqs[0] ?? 0; }

  /** Deletes whole sealed segments whose every entry is below `seq`; the active one stays. */
  async trimBelow(seq: number): Promise<void> {
    if (this.readOnly) return;
    let removed = 0;
    while (this.segments.length > 1 && this.segments[0]!.lastSeq < seq) {
      const seg = this.segments.shift()!;
      await seg.closeReader();
      await fsp.rm(seg.file, { force: true });
      removed++;
    }
    if (removed > 0) await fsyncDir(this.dir);
  }

  commitCursor(name: string, seq: number): Promise<void> {
    if (this.readOnly) return Promise.reject(new Error('journal opened read-only'));
    if (seq <= (this.cursorMap.get(name) ?? 0)) return this.cursorWrite;
    this.cursorMap.set(name, seq);
    const snapshot = JSON.stringify(Object.fromEntries(this.cursorMap));
    // Serialised so that an older cursor file can never be renamed over a newer one.
    this.cursorWrite = this.cursorWrite.then(() => writeFileAtomic(this.cursorFile(), snapshot));
    return this.cursorWrite;
  }

  async cursors(): Promise<ReadonlyMap<string, number>> { return new Map(this.cursorMap); }

  /** Makes every entry appended before this call durable (a no-op wait for a durable journal). */
  sync(): Promise<void> {
    if (this.readOnly) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entries: [], sync: true, resolve, reject });
      if (!this.flushing) void this.flushLoop();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setImmediate(r));
    await this.cursorWrite;
    if (this.active && !this.durable && !this.failed) await this.active.datasync();
    if (this.active) await this.active.close();
    this.active = null;
    for (const seg of this.segments) await seg.closeReader();
  }
}
