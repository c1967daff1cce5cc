import { CorruptSnapshotError, type SnapshotMeta, type SnapshotStore } from '../types.ts';
import { checksum } from './compression.ts';

/** Snapshots kept in memory, for unit tests; checksummed like the real stores. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly items = new Map<number, { meta: SnapshotMeta; bytes: Uint8Array; crc: number }>();

  async save(meta: SnapshotMeta, bytes: Uint8Array): Promise<void> {
    if (this.items.has(meta.seq)) return;
    const copy = bytes.slice();
    this.items.set(meta.seq, { meta: { ...meta, sizeBytes: copy.length }, bytes: copy, crc: checksum(copy) });
  }

  async list(): Promise<SnapshotMeta[]> {
    return [...this.items.values()].map((i) => i.meta).sort((a, b) => b.seq - a.seq);
  }

  async load(seq: number): Promise<Uint8Array> {
    const item = this.items.get(seq);
    if (!item) throw new Error(`no snapshot at seq ${seq}`);
    if (checksum(item.bytes) !== item.crc) throw new CorruptSnapshotError(seq, 'checksum mismatch');
    return item.bytes.slice();
  }

  async prune(keep: number): Promise<void> {
    for (const m of (await this.list()).slice(Math.max(keep, 0))) this.items.delete(m.seq);
  }

  async discard(seq: number): Promise<void> {
    this.items.delete(seq);
  }

  /** Test hook: flips a byte of a stored snapshot. */
  corrupt(seq: number): void {
    const item = this.items.get(seq);
    if (item && item.bytes.length > 0) item.bytes[item.bytes.length >> 1]! ^= 0xff;
  }

  async close(): Promise<void> { /* nothing to release */ }
}
