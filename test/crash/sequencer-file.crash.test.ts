import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal, prng } from '../../packages/log/src/index.ts';
import { ReferenceReplay, SequencerChild, waitFor } from './harness.ts';

const SEED = Number(process.env.CRASH_SEED ?? 20_261_125);
const KILLS = 22;

describe('crash: sequencer on the file journal', () => {
  let dir = '';
  let child: SequencerChild | null = null;
  afterEach(async () => {
    child?.kill();
    await child?.exited().catch(() => null);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged command over ${KILLS} SIGKILLs at random points (seed ${SEED})`, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mbx-crash-file-'));
    const rand = prng(SEED);
    const acked = new Map<number, string>();
    const reference = new ReferenceReplay();
    let corruptedSnapshots = 0;
    let fromSnapshot = 0;
    for (let run = 0; run <= KILLS; run++) {
      // Now and then damage the newest snapshot while the sequencer is down: recovery must fall back.
      const snapDir = path.join(dir, 'snapshots');
      const snaps = (await readdir(snapDir).catch(() => [])).filter((n) => /^snap-\d{16}\.bin$/.test(n)).sort();
      const victim = snaps.length >= 2 && run % 5 === 4 ? snaps[snaps.length - 1]! : null;
      if (victim) {
        const file = path.join(snapDir, victim);
        const buf = await readFile(file);
        buf[buf.length - 1 - Math.floor(rand() * 100)]! ^= 0x5a;
        await writeFile(file, buf);
        corruptedSnapshots++;
      }
      if (process.env.CRASH_DEBUG) console.log(`run ${run} ${Date.now() % 100000} ref=${reference.engine.lastSeq}`);
      child = new SequencerChild({ kind: 'file', dir, seed: SEED + run, run, snapshotEvery: 150, snapshotter: run % 2 === 1 ? 'replica' : 'inline' }, acked);
      const ready = await child.ready();
      expect(ready.invariants).toEqual([]);
      expect(ready.lastSeq).toBe(reference.engine.lastSeq);
      expect(ready.stateHash).toBe(reference.engine.stateHash());
      if (ready.snapshotSeq > 0) fromSnapshot++;
      if (victim) expect(ready.rejected).toContain(Number(victim.slice(5, 21)));
      if (run === KILLS) break;
      await child.acksOrExit(20 + Math.floor(rand() * 400));
      if (run % 5 === 3) {
        // The next run corrupts the newest snapshot, so let this one (still under load) save two:
        // with fast acks a random kill point alone may come before any snapshot is written.
        const snapDir = path.join(dir, 'snapshots');
        const saved = (): number => {
          try {
            return readdirSync(snapDir).filter((n) => /^snap-\d{16}\.bin$/.test(n)).length;
          } catch {
            return 0; // not created yet
          }
        };
        await waitFor('two saved snapshots', 60_000, () => (saved() >= 2 ? true : undefined), () => child!.diagnostics);
      }
      child.kill();
      await child.exited();
      child = null;
      // The sequencer is down: read what it left (this also truncates a torn tail, as recovery would).
      const log = await FileJournal.open({ dir: path.join(dir, 'journal') });
      await reference.catchUp(log, acked);
      await log.close();
    }
    // A graceful stop after all that: drains, snapshots, and still matches the reference.
    child!.kill('SIGTERM');
    const closed = await child!.closed();
    await child!.exited();
    child = null;
    const log = await FileJournal.open({ dir: path.join(dir, 'journal') });
    await reference.catchUp(log, acked);
    await log.close();
    expect(closed).toEqual({ lastSeq: reference.engine.lastSeq, stateHash: reference.engine.stateHash() });
    expect(reference.checkedAcks).toBeGreaterThan(KILLS * 20);
    expect(corruptedSnapshots).toBeGreaterThan(0);
    expect(fromSnapshot).toBeGreaterThan(KILLS / 2);
  }, 120_000); // typically 10–25 s; the margin is for a loaded CI machine, not for slow code
});
