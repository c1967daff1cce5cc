import { DEFAULT_MARKETS } from '@matchbox/domain';
import { MemoryLog } from '@matchbox/log';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Projector } from './projector/projector.ts';
import { rebuildStore } from './rebuild.ts';
import { dumpTables } from './schema/table-dump.ts';
import type { OpenedStore, TestBackend } from './testing/backends.ts';
import { ExchangeWorkload } from './testing/exchange-workload.ts';

const silent = pino({ level: 'silent' });

export function rebuildSuite(backend: TestBackend): void {
  describe(`rebuild on ${backend.name}`, () => {
    const opened: OpenedStore[] = [];
    afterEach(async () => { for (const s of opened.splice(0)) await s.cleanup(); });

    it('drops and rebuilds the tables from the log: the rebuilt tables equal the originals', async () => {
      const workload = new ExchangeWorkload({ seed: 21, jumpEveryBatches: 15 });
      const log = new MemoryLog();
      const store = await backend.open();
      opened.push(store);
      // The original: projected live, in small batches, while the log grows.
      const projector = new Projector({ db: store.db, log, markets: DEFAULT_MARKETS, logger: silent, maxEntriesPerBatch: 4 });
      for (let round = 0; round < 4; round++) {
        await log.append(workload.entries(700, 30));
        await projector.catchUp();
      }
      const original = await dumpTables(store.db);
      expect(original.trades!.length).toBeGreaterThan(100);
      // Vandalise it, so the rebuild has something to repair.
      await store.db.query('DELETE FROM trades WHERE trade_id % 2 = 0');
      await store.db.query('UPDATE balances SET free_units = 0');
      const progress: number[] = [];
      const r = await rebuildStore({ db: store.db, log, markets: DEFAULT_MARKETS, logger: silent, onProgress: (seq) => progress.push(seq) });
      expect(r.seq).toBe(await log.lastSeq());
      expect(progress[progress.length - 1]).toBe(r.seq);
      expect(await dumpTables(store.db)).toEqual(original);
      const cursor = await store.db.query<{ seq: number }>("SELECT seq FROM projector_cursor WHERE name = 'store'");
      expect(cursor[0]!.seq).toBe(r.seq);
    });
  });
}
