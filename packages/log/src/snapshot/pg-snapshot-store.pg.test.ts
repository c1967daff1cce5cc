import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeSnapshotConformance } from '../testing/snapshot-conformance.ts';
import { PgSnapshotStore } from './pg-snapshot-store.ts';

const connection = process.env.MATCHBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

describeSnapshotConformance('postgres', async () => {
  // A fresh table per test, dropped afterwards, so runs never see each other's rows.
  const table = `mbx_snap_test_${randomBytes(6).toString('hex')}`;
  let store = await PgSnapshotStore.open({ connection, table });
  return {
    get store() { return store; },
    corrupt: (seq) => store.corrupt(seq),
    reopen: async () => {
      await store.close();
      return (store = await PgSnapshotStore.open({ connection, table }));
    },
    cleanup: async () => {
      await store.drop();
      await store.close();
    },
  };
});

describe('PgSnapshotStore.open', () => {
  // The roles of a fresh deployment open the store at the same moment; PostgreSQL's
  // CREATE TABLE IF NOT EXISTS alone fails for the losers with a unique violation on pg_type.
  it('lets eight processes create one fresh table at once', async () => {
    const table = `mbx_snap_test_${randomBytes(6).toString('hex')}`;
    const stores = await Promise.all(Array.from({ length: 8 }, () => PgSnapshotStore.open({ connection, table })));
    try {
      await stores[3]!.save({ seq: 7, stateHash: 'h', sizeBytes: 3 }, new Uint8Array([1, 2, 3]));
      expect((await stores[5]!.list()).map((m) => m.seq)).toEqual([7]);
    } finally {
      await stores[0]!.drop();
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
