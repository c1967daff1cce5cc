import { randomBytes } from 'node:crypto';
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
