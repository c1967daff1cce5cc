import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyStoreSuite } from './history-store.suite.ts';

// Embedded: PGlite in a directory (so the restart reopens the same store).
historyStoreSuite('PGlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mbx-pglite-'));
  return { config: { kind: 'pglite', dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
});
