import { constants, readFileSync, readdirSync, readlinkSync } from 'node:fs';
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
