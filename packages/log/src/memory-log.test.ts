import { describeLogConformance } from './testing/log-conformance.ts';
import { MemoryLog } from './memory-log.ts';

describeLogConformance('memory', async () => {
  const log = new MemoryLog();
  // A restart of an in-memory log keeps the same object: it lives as long as the process.
  return { log, reopen: async () => log, cleanup: async () => log.close() };
});
