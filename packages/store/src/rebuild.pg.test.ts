import { DEFAULT_MARKETS } from '@matchbox/domain';
import { MemoryLog } from '@matchbox/log';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { rebuildStore } from './rebuild.ts';
import { rebuildSuite } from './rebuild.suite.ts';
import { dumpTables } from './schema/table-dump.ts';
import { PG_BACKEND, PGLITE_BACKEND } from './testing/backends.ts';
import { ExchangeWorkload } from './testing/exchange-workload.ts';

rebuildSuite(PG_BACKEND);

describe('one SQL for both drivers', () => {
  it('PostgreSQL and PGlite project the same log into identical tables', async () => {
    const log = new MemoryLog();
    await log.append(new ExchangeWorkload({ seed: 5, jumpEveryBatches: 25 }).entries(2000, 40));
    const pg = await PG_BACKEND.open();
    const lite = await PGLITE_BACKEND.open();
    try {
      for (const s of [pg, lite]) await rebuildStore({ db: s.db, log, markets: DEFAULT_MARKETS, logger: pino({ level: 'silent' }) });
      expect(await dumpTables(lite.db)).toEqual(await dumpTables(pg.db));
    } finally {
      await pg.cleanup();
      await lite.cleanup();
    }
  });
});
