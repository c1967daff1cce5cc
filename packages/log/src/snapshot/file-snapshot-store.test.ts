import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeSnapshotConformance } from '../testing/snapshot-conformance.ts';
import { FileSnapshotStore } from './file-snapshot-store.ts';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';

for (const compress of [true, false]) {
  describeSnapshotConformance(`files (compress=${compress})`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mbx-snap-'));
    let store = await FileSnapshotStore.open({ dir, compress });
    return {
      get store() { return store; },
      corrupt: async (seq) => {
        const file = store.pathOf(seq);
        const buf = await readFile(file);
        buf[buf.length - 10]! ^= 0xff;
        await writeFile(file, buf);
      },
      reopen: async () => (store = await FileSnapshotStore.open({ dir, compress })),
      cleanup: async () => rm(dir, { recursive: true, force: true }),
    };
  });
}

describeSnapshotConformance('memory', async () => {
  const store = new MemorySnapshotStore();
  return { store, corrupt: async (seq) => store.corrupt(seq), reopen: async () => store, cleanup: async () => store.close() };
});
