import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '@matchbox/domain';
import { checkInvariants, type Engine } from '@matchbox/engine';
import {
  CorruptLogError, FileJournal, InlineSnapshotter, MemorySnapshotStore, Sequencer, Workload, decodeCommandBatch, matchboxEngineCodec, recover,
} from '../../packages/log/src/index.ts';
import { HEADER_BYTES, scanRecords } from '../../packages/log/src/file/record-format.ts';

const codec = matchboxEngineCodec();
const SEED = 424_242;

/** A journal written by the real sequencer, plus the state hash after every entry. */
async function buildJournal(dir: string): Promise<Map<number, string>> {
  const commandLog = await FileJournal.open({ dir, segmentBytes: 24 * 1024 });
  const engine = codec.create();
  const seq = new Sequencer<Engine>({ engine, commandLog, snapshots: new MemorySnapshotStore(), snapshotter: new InlineSnapshotter(() => engine, codec), maxBatch: 32 });
  seq.start();
  const w = new Workload({ seed: SEED, users: 10 });
  await Promise.all([...w.setup(), ...w.take(3000)].map((c) => seq.submit(c)));
  await seq.close({ snapshot: false });
  const reference = codec.create();
  const hashes = new Map<number, string>([[0, reference.stateHash()]]);
  for (let entries = await commandLog.read(0, 500); entries.length > 0; entries = await commandLog.read(reference.lastSeq, 500)) {
    for (const e of entries) {
      const batch = decodeCommandBatch(e.payload);
      let s = e.seq - batch.commands.length + 1;
      for (const c of batch.commands) reference.apply(c, s++, batch.tsMs);
      hashes.set(e.seq, reference.stateHash());
    }
  }
  await commandLog.close();
  return hashes;
}

async function segments(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('seg-')).sort();
}

describe('crash: torn tail of the file journal', () => {
  let base = '';
  let work = '';
  let hashes = new Map<number, string>();
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'mbx-torn-'));
    hashes = await buildJournal(path.join(base, 'journal'));
  });
  afterAll(async () => rm(base, { recursive: true, force: true }));

  it('recovers to the last whole record at 40 random cut points (truncated or garbage-filled), never throwing', async () => {
    const rand = prng(SEED);
    const segs = await segments(path.join(base, 'journal'));
    expect(segs.length).toBeGreaterThan(3);
    const lastName = segs[segs.length - 1]!;
    const original = await readFile(path.join(base, 'journal', lastName));
    const records = scanRecords(original, 0).records;
    const prevSegLast = Math.max(...[...hashes.keys()].filter((s) => s < records[0]!.seq));
    for (let i = 0; i < 40; i++) {
      work = path.join(base, `cut-${i}`);
      await cp(path.join(base, 'journal'), work, { recursive: true });
      const cut = Math.floor(rand() * original.length);
      const file = path.join(work, lastName);
      if (i % 2 === 0) await truncate(file, cut);
      else {
        // A torn write that left garbage instead of a short file.
        const torn = Buffer.from(original);
        for (let b = cut; b < torn.length; b++) torn[b] = Math.floor(rand() * 256);
        await writeFile(file, torn);
      }
      const whole = records.filter((r) => r.offset + HEADER_BYTES + r.payloadLength <= cut);
      const expectedLast = whole.length > 0 ? whole[whole.length - 1]!.seq : prevSegLast;
      const log = await FileJournal.open({ dir: work });
      expect(await log.lastSeq()).toBe(expectedLast);
      const r = await recover({ commandLog: log, snapshots: new MemorySnapshotStore(), codec });
      expect(r.engine.lastSeq).toBe(expectedLast);
      expect(r.engine.stateHash()).toBe(hashes.get(expectedLast));
      expect(checkInvariants(r.engine)).toEqual([]);
      // The journal stays writable after the cut, and what is written next is read back.
      await log.append([{ seq: expectedLast + 1, payload: new Uint8Array([1, 2, 3]) }]);
      await log.close();
      const reopened = await FileJournal.open({ dir: work });
      expect((await reopened.read(expectedLast, 10)).map((e) => [e.seq, [...e.payload]])).toEqual([[expectedLast + 1, [1, 2, 3]]]);
      await reopened.close();
      await rm(work, { recursive: true, force: true });
    }
  });

  it('refuses to open, rather than silently drop data, when a sealed segment is damaged', async () => {
    work = path.join(base, 'sealed');
    await cp(path.join(base, 'journal'), work, { recursive: true });
    const first = path.join(work, (await segments(work))[0]!);
    const buf = await readFile(first);
    buf[buf.length >> 1]! ^= 0x01;
    await writeFile(first, buf);
    await expect(FileJournal.open({ dir: work })).rejects.toBeInstanceOf(CorruptLogError);
    await rm(work, { recursive: true, force: true });
  });
});
