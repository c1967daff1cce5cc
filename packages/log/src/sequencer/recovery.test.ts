import { describe, expect, it } from 'vitest';
import type { Engine } from '@matchbox/engine';
import { MemoryLog } from '../memory-log.ts';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.ts';
import { Workload } from '../testing/workload.ts';
import { matchboxEngineCodec } from './engine-binding.ts';
import { recover } from './recovery.ts';
import { Sequencer } from './sequencer.ts';
import { InlineSnapshotter } from './snapshotter.ts';

const codec = matchboxEngineCodec();

async function run(n: number) {
  const commandLog = new MemoryLog();
  const eventLog = new MemoryLog();
  const engine = codec.create();
  const seq = new Sequencer<Engine>({ engine, commandLog, eventLog, snapshots: new MemorySnapshotStore(), snapshotter: new InlineSnapshotter(() => engine, codec), maxBatch: 40 });
  seq.start();
  const w = new Workload({ seed: 3, users: 6 });
  await Promise.all([...w.setup(), ...w.take(n)].map((c) => seq.submit(c)));
  await seq.close({ snapshot: false });
  return { commandLog, eventLog, engine };
}

describe('recover', () => {
  it('republishes the event entries the event log lost, identical to the originals', async () => {
    const { commandLog, eventLog, engine } = await run(600);
    const all = await eventLog.read(0, 10_000);
    const behind = new MemoryLog();
    await behind.append(all.slice(0, all.length - 4));
    const r = await recover({ commandLog, snapshots: new MemorySnapshotStore(), codec, eventLog: behind });
    expect(r.engine.stateHash()).toBe(engine.stateHash());
    expect(r.republishedEventEntries).toBe(4);
    const again = await behind.read(0, 10_000);
    expect(again.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(again.map((e) => Buffer.from(e.payload).toString())).toEqual(all.map((e) => Buffer.from(e.payload).toString()));
  });

  it('stops at any seq, even inside a batch (time travel)', async () => {
    const { commandLog } = await run(300);
    const r = await recover({ commandLog, snapshots: new MemorySnapshotStore(), codec, toSeq: 101 });
    expect(r.engine.lastSeq).toBe(101);
    expect(r.replayedCommands).toBe(101);
  });

  it('refuses a snapshot ahead of the log (acknowledged commands lost), or skips it when told to accept the loss', async () => {
    const { commandLog, engine } = await run(200);
    const snapshots = new MemorySnapshotStore();
    const ahead = codec.create();
    const w = new Workload({ seed: 3, users: 6 });
    let s = 0;
    for (const c of [...w.setup(), ...w.take(400)]) ahead.apply(c, ++s, 1);
    await snapshots.save({ seq: ahead.lastSeq, stateHash: ahead.stateHash(), sizeBytes: 0 }, codec.encode(ahead));
    await expect(recover({ commandLog, snapshots, codec, snapshotAhead: 'refuse' })).rejects.toThrow(`the command log ends at seq ${engine.lastSeq}, but a snapshot is at seq ${ahead.lastSeq}`);
    const r = await recover({ commandLog, snapshots, codec, snapshotAhead: 'accept' });
    expect(r.snapshot).toBeNull();
    expect(r.rejectedSnapshots[0]!.reason).toMatch(/ahead of the log/);
    expect(r.engine.stateHash()).toBe(engine.stateHash());
  });
});
