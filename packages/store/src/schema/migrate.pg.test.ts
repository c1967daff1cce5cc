import { afterEach, describe, expect, it } from 'vitest';
import { PgDriver } from '../driver/pg-driver.ts';
import { dropSchema, randomSchemaName, TEST_PG_URL } from '../testing/backends.ts';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations.ts';

describe('migrations on PostgreSQL', () => {
  let schema: string | undefined;
  afterEach(async () => {
    if (schema) await dropSchema(schema);
    schema = undefined;
  });

  // Roles of a fresh deployment (two gateways, sequencer, projector) start at the same moment and
  // each creates the schema and migrates it: PostgreSQL's `CREATE … IF NOT EXISTS` alone fails for
  // all but one of them with a unique violation on the catalog.
  it('lets eight processes create and migrate one fresh schema at once; each migration is applied exactly once', async () => {
    schema = randomSchemaName();
    const drivers = await Promise.all(Array.from({ length: 8 }, () => PgDriver.open({ connection: TEST_PG_URL, schema: schema! })));
    try {
      const applied = await Promise.all(drivers.map((d) => migrate(d)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
      const rows = await drivers[0]!.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
    }
  });
});
