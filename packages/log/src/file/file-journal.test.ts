import { constants, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLogConformance } from '../testing/log-conformance.ts';
import { FileJournal } from './file-journal.ts';

for (const durable of [true, false]) {
  describeLogConformance(durable ? 'file journal' : 'file journal (durable: false)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mbx-journal-'));
    // Small segments so that rotation and whole-segment trimming are exercised by the suite.
    const opts = { dir, segmentBytes: 8 * 1024, durable };
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
}

/** The open flags of this process's descriptors on files under `dir` (Linux /proc). */
function openFlags(dir: string): number[] {
  const out: number[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '';
    try { target = readlinkSync(`/proc/self/fd/${fd}`); } catch { continue; }
    if (!target.startsWith(dir) || !target.endsWith('.log')) continue;
    const m = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    if (m) out.push(parseInt(m[1]!, 8));
  }
  return out;
}

describe.runIf(process.platform === 'linux')('file journal durability modes', () => {
  it('writes with O_DSYNC when durable, without it otherwise; sync() and close() still reach the disk', async () => {
    for (const durable of [true, false]) {
      const dir = await mkdtemp(path.join(tmpdir(), 'mbx-journal-mode-'));
      const j = await FileJournal.open({ dir, durable });
      await j.append([{ seq: 1, payload: Buffer.from('one') }]);
      const flags = openFlags(dir);
      expect(flags.length).toBeGreaterThan(0);
      for (const f of flags) expect((f & constants.O_DSYNC) !== 0).toBe(durable);
      // sync() interleaves with appends in flight and waits for the ones made before it.
      const a = j.append([{ seq: 2, payload: Buffer.from('two') }]);
      await Promise.all([a, j.sync(), j.append([{ seq: 3, payload: Buffer.from('three') }])]);
      await j.close();
      const again = await FileJournal.open({ dir, durable });
      expect((await again.read(0, 10)).map((e) => Buffer.from(e.payload).toString())).toEqual(['one', 'two', 'three']);
      await again.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('file journal: what opening finds past the last valid record', () => {
  const write = async (dir: string): Promise<string> => {
    const j = await FileJournal.open({ dir });
    for (let seq = 1; seq <= 40; seq++) await j.append([{ seq, payload: new Uint8Array(100).fill(seq) }]);
    await j.close();
    return path.join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
  };

  it('tells a torn tail from damage followed by valid records, and keeps the bytes it cuts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mbx-journal-tail-'));
    try {
      const file = await write(dir);
      const whole = readFileSync(file);
      // Torn: the last record lacks its final bytes.
      writeFileSync(file, whole.subarray(0, whole.length - 10));
      const torn = await FileJournal.open({ dir });
      expect(torn.invalidTail).toMatchObject({ reason: 'partial payload', validRecordAfter: null, bytes: 106 });
      expect(await torn.lastSeq()).toBe(39);
      await torn.close();
      expect(readFileSync(torn.invalidTail!.keptAs!)).toEqual(whole.subarray(whole.length - 116, whole.length - 10));

      // Damage: one byte of record 20 flipped, 20 whole records after it.
      const damaged = Buffer.from(whole);
      damaged[19 * 116 + 50]! ^= 0xff;
      writeFileSync(file, damaged);
      const readOnly = await FileJournal.open({ dir, readOnly: true });
      expect(readOnly.invalidTail).toMatchObject({ reason: 'checksum mismatch', offset: 19 * 116, validRecordAfter: 21, keptAs: null });
      await readOnly.close();
      expect(readFileSync(file)).toEqual(damaged); // a reader never repairs
      // A writer refuses it and changes nothing (what follows may be acknowledged)...
      await expect(FileJournal.open({ dir })).rejects.toThrow(/checksum mismatch at byte 2204, but a whole, valid record \(seq 21\) follows at byte 2320: the journal is damaged/);
      expect(readFileSync(file)).toEqual(damaged);
      // ...unless its entries can be regenerated (the event journal): then it is cut, the bytes kept.
      const writer = await FileJournal.open({ dir, onDamage: 'truncate' });
      expect(writer.invalidTail).toMatchObject({ validRecordAfter: 21 });
      expect(await writer.lastSeq()).toBe(19);
      await writer.close();
      expect(readFileSync(writer.invalidTail!.keptAs!)).toEqual(damaged.subarray(19 * 116));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
