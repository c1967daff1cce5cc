import { afterEach, describe, expect, it } from 'vitest';
import { CorruptSnapshotError, type SnapshotStore } from '../types.ts';

export interface SnapshotHarness {
  readonly store: SnapshotStore;
  /** Damages the stored bytes of one snapshot the way a disk or operator could. */
  corrupt(seq: number): Promise<void>;
  reopen(): Promise<SnapshotStore>;
  cleanup(): Promise<void>;
}

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  // Half repetitive, half noisy: compressible but not trivially.
  for (let i = 0; i < n; i++) out[i] = i % 2 === 0 ? i & 0x0f : (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

/** The SnapshotStore contract (types.ts), run against one adapter. */
export function describeSnapshotConformance(adapter: string, create: () => Promise<SnapshotHarness>): void {
  describe(`SnapshotStore conformance: ${adapter}`, () => {
    let h: SnapshotHarness | null = null;
    const open = async (): Promise<SnapshotHarness> => (h = await create());
    afterEach(async () => {
      await h?.cleanup();
      h = null;
    });

    it('saves, lists newest first and loads back byte for byte, across a reopen', async () => {
      const harness = await open();
      const a = bytes(100_000, 1);
      const b = bytes(10, 2);
      await harness.store.save({ seq: 100, stateHash: 'aa', sizeBytes: a.length }, a);
      await harness.store.save({ seq: 250, stateHash: 'bb', sizeBytes: b.length }, b);
      await harness.store.save({ seq: 7, stateHash: 'cc', sizeBytes: 0 }, new Uint8Array(0));
      const store = await harness.reopen();
      expect(await store.list()).toEqual([
        { seq: 250, stateHash: 'bb', sizeBytes: 10 },
        { seq: 100, stateHash: 'aa', sizeBytes: 100_000 },
        { seq: 7, stateHash: 'cc', sizeBytes: 0 },
      ]);
      expect(Buffer.from(await store.load(100)).equals(Buffer.from(a))).toBe(true);
      expect(Buffer.from(await store.load(250)).equals(Buffer.from(b))).toBe(true);
      expect((await store.load(7)).length).toBe(0);
    });

    it('treats a second save at the same seq as a no-op', async () => {
      const { store } = await open();
      await store.save({ seq: 5, stateHash: 'first', sizeBytes: 3 }, new Uint8Array([1, 2, 3]));
      await store.save({ seq: 5, stateHash: 'second', sizeBytes: 1 }, new Uint8Array([9]));
      expect((await store.list())[0]!.stateHash).toBe('first');
      expect([...(await store.load(5))]).toEqual([1, 2, 3]);
    });

    it('detects a corrupted snapshot with CorruptSnapshotError and leaves the others loadable', async () => {
      const harness = await open();
      await harness.store.save({ seq: 1, stateHash: 'x', sizeBytes: 5000 }, bytes(5000, 3));
      await harness.store.save({ seq: 2, stateHash: 'y', sizeBytes: 5000 }, bytes(5000, 4));
      await harness.corrupt(2);
      await expect(harness.store.load(2)).rejects.toBeInstanceOf(CorruptSnapshotError);
      expect((await harness.store.load(1)).length).toBe(5000);
      await harness.store.discard(2);
      expect((await harness.store.list()).map((m) => m.seq)).toEqual([1]);
    });

    it('prunes all but the newest N', async () => {
      const { store } = await open();
      for (const seq of [10, 20, 30, 40]) await store.save({ seq, stateHash: String(seq), sizeBytes: 1 }, new Uint8Array([seq]));
      await store.prune(2);
      expect((await store.list()).map((m) => m.seq)).toEqual([40, 30]);
    });
  });
}
