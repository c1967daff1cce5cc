import { unstored, type EntryLog, type LogEntry } from './types.ts';

/**
 * An in-memory EntryLog for unit tests and tools. "Durable" here means "for the life of the
 * object": it honours every other part of the contract, so the conformance suite runs on it.
 */
export class MemoryLog implements EntryLog {
  private entries: LogEntry[] = [];
  private last = 0;
  private readonly cursorMap = new Map<string, number>();

  async append(batch: readonly LogEntry[]): Promise<void> {
    const fresh = unstored(batch, this.last);
    // Copies, so a caller reusing its buffer cannot change what was "stored".
    for (const e of fresh) this.entries.push({ seq: e.seq, payload: e.payload.slice() });
    if (fresh.length > 0) this.last = fresh[fresh.length - 1]!.seq;
  }

  async read(afterSeq: number, maxEntries: number): Promise<LogEntry[]> {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo, lo + maxEntries);
  }

  async lastSeq(): Promise<number> { return this.last; }
  async firstSeq(): Promise<number> { return this.entries[0]?.seq ?? 0; }

  async trimBelow(seq: number): Promise<void> {
    const keepFrom = this.entries.findIndex((e) => e.seq >= seq);
    this.entries = keepFrom < 0 ? [] : this.entries.slice(keepFrom);
  }

  async commitCursor(name: string, seq: number): Promise<void> {
    if (seq > (this.cursorMap.get(name) ?? 0)) this.cursorMap.set(name, seq);
  }

  async cursors(): Promise<ReadonlyMap<string, number>> { return new Map(this.cursorMap); }
  async close(): Promise<void> { /* nothing to release */ }
}
