import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, scanRecords } from './record-format.ts';
import { CorruptLogError, type LogEntry } from '../types.ts';

const NAME_RE = /^seg-(\d{16})\.log$/;

export function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(16, '0')}.log`;
}

export function parseSegmentName(name: string): number | null {
  const m = NAME_RE.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * One segment file and an in-memory index of its durable records (seq and byte offset), so a
 * read is one binary search and one pread. Only records that were fdatasynced are indexed.
 */
export class Segment {
  readonly seqs: number[] = [];
  readonly offsets: number[] = [];
  /** Bytes of durable records. */
  size = 0;
  private reader: fsp.FileHandle | null = null;

  constructor(readonly firstSeq: number, readonly file: string) {}

  get lastSeq(): number { return this.seqs.length === 0 ? 0 : this.seqs[this.seqs.length - 1]!; }

  index(seq: number, offset: number, recordBytes: number): void {
    this.seqs.push(seq);
    this.offsets.push(offset);
    this.size = offset + recordBytes;
  }

  /** First index whose seq is > afterSeq. */
  firstAfter(afterSeq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Reads up to `max` records after `afterSeq`, verifying each checksum again. */
  async read(afterSeq: number, max: number): Promise<LogEntry[]> {
    const from = this.firstAfter(afterSeq);
    if (from >= this.seqs.length || max <= 0) return [];
    const to = Math.min(this.seqs.length, from + max);
    const start = this.offsets[from]!;
    const end = to < this.seqs.length ? this.offsets[to]! : this.size;
    const buf = Buffer.allocUnsafe(end - start);
    this.reader ??= await fsp.open(this.file, 'r');
    const { bytesRead } = await this.reader.read(buf, 0, buf.length, start);
    const prevSeq = from === 0 ? 0 : this.seqs[from - 1]!;
    const scan = scanRecords(buf.subarray(0, bytesRead), prevSeq);
    if (scan.records.length !== to - from) {
      throw new CorruptLogError(`${path.basename(this.file)}: record at offset ${start + scan.validBytes} unreadable (${scan.stopReason ?? 'short read'})`);
    }
    return scan.records.map((r) => ({
      seq: r.seq,
      payload: buf.subarray(r.offset + HEADER_BYTES, r.offset + HEADER_BYTES + r.payloadLength),
    }));
  }

  async closeReader(): Promise<void> {
    const r = this.reader;
    this.reader = null;
    if (r) await r.close();
  }
}
