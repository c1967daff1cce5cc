import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeLogConformance } from '../testing/log-conformance.ts';
import { FileJournal } from './file-journal.ts';

describeLogConformance('file journal', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mbx-journal-'));
  // Small segments so that rotation and whole-segment trimming are exercised by the suite.
  const opts = { dir, segmentBytes: 8 * 1024 };
  let current = await FileJournal.open(opts);
  return {
    log: current,
    reopen: async () => {
      await current.close();
      current = await FileJournal.open(opts);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
