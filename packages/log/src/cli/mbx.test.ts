import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@matchbox/engine';
import { FileJournal } from '../file/file-journal.ts';
import { FileSnapshotStore } from '../snapshot/file-snapshot-store.ts';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.ts';
import { matchboxEngineCodec } from '../sequencer/engine-binding.ts';
import { recover } from '../sequencer/recovery.ts';
import { Sequencer } from '../sequencer/sequencer.ts';
import { InlineSnapshotter } from '../sequencer/snapshotter.ts';
import { freePort } from '../testing/private-redis.ts';
import { Workload } from '../testing/workload.ts';
import { verifyLog } from './verify.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const codec = matchboxEngineCodec();

async function mbx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // A bound, so that a tool that hangs fails its test instead of the run.
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'packages/log/src/cli/mbx.ts', ...args], { cwd: root, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mbx CLI', () => {
  let data = '';
  beforeAll(async () => {
    data = await mkdtemp(path.join(tmpdir(), 'mbx-cli-'));
    const commandLog = await FileJournal.open({ dir: path.join(data, 'commands') });
    const snapshots = await FileSnapshotStore.open({ dir: path.join(data, 'snapshots') });
    const engine = codec.create();
    const seq = new Sequencer<Engine>({ engine, commandLog, snapshots, snapshotter: new InlineSnapshotter(() => engine, codec), snapshotEveryCommands: 400, keepSnapshots: 3, maxBatch: 50 });
    seq.start();
    const w = new Workload({ seed: 99, users: 8 });
    for (const c of [...w.setup(), ...w.take(1500)]) await seq.submit(c);
    await seq.close();
    await commandLog.close();
  });
  afterAll(async () => rm(data, { recursive: true, force: true }));

  it('verify replays everything and checks every snapshot', async () => {
    const commandLog = await FileJournal.open({ dir: path.join(data, 'commands'), readOnly: true });
    const snapshots = await FileSnapshotStore.open({ dir: path.join(data, 'snapshots') });
    const report = await verifyLog({ commandLog, snapshots, codec, invariantsEvery: 100 });
    expect(report.problems).toEqual([]);
    expect(report.snapshotsChecked).toBe(3);
    expect(report.invariantChecks).toBeGreaterThan(5);
    expect(report.lastSeq).toBe(1524);
    const out = await mbx('verify', '--data', data, '--no-progress');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('OK');
    expect(out.stdout).toContain(report.stateHash);
  });

  it('replay --to-seq rebuilds the state at that seq and prints books and balances', async () => {
    const commandLog = await FileJournal.open({ dir: path.join(data, 'commands'), readOnly: true });
    const at = await recover({ commandLog, snapshots: new MemorySnapshotStore(), codec, toSeq: 700 });
    const out = await mbx('replay', '--data', data, '--to-seq', '700', '--depth', '3');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`state at seq 700 `);
    expect(out.stdout).toContain(`hash ${at.engine.stateHash()}`);
    expect(out.stdout).toMatch(/BTCUSDT {2}book update id \d+/);
    expect(out.stdout).toMatch(/user 1 +BTC [\d.]+ \/ [\d.]+ +USDT/);
  });

  it('verify exits 1 and names the snapshot when one is corrupt', async () => {
    const snapshots = await FileSnapshotStore.open({ dir: path.join(data, 'snapshots') });
    const victim = (await snapshots.list())[1]!.seq;
    const file = snapshots.pathOf(victim);
    const buf = await readFile(file);
    buf[buf.length - 3]! ^= 0xff;
    await writeFile(file, buf);
    const out = await mbx('verify', '--data', data, '--no-progress');
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`PROBLEM snapshot ${victim}: snapshot at seq ${victim} is corrupt`);
  });

  it('says in one line what is wrong with its arguments (exit 2), never a stack trace', async () => {
    const bad = await mbx('replay', '--data', data, '--to-seq', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to-seq must be a whole number');
    expect((await mbx('verify', '--data', data, '--no-such-option')).code).toBe(2);
    // A Redis that does not answer: one line naming it, and the tool ends (it used to hang on the open connection).
    const port = await freePort();
    const down = await mbx('verify', '--redis', `redis://127.0.0.1:${port}`, '--pg', 'postgres://127.0.0.1:1/none', '--no-progress');
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toMatch(new RegExp(`^mbx: .*\\(redis://127\\.0\\.0\\.1:${port}\\)$`));
    // Past the end of the log: the state at its end, and a line saying so.
    const beyond = await mbx('replay', '--data', data, '--to-seq', '99999', '--depth', '1');
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('mbx: the log ends at seq 1524, before --to-seq 99999');
    const nowhere = await mbx('verify', '--data', path.join(data, 'no-such-dir'), '--no-progress');
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr.trim()).toMatch(/^mbx: no command journal at .*no-such-dir.commands/);
    expect(nowhere.stderr).not.toContain('    at ');
  });

  it('verify fails on a command journal damaged in the middle, and on an event journal ahead of it', async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'mbx-cli-damaged-'));
    try {
      await cp(data, copy, { recursive: true });
      const dir = path.join(copy, 'commands');
      const segs = (await readdir(dir)).filter((n) => n.startsWith('seg-')).sort();
      const file = path.join(dir, segs[segs.length - 1]!);
      const buf = await readFile(file);
      buf[Math.floor(buf.length / 2)]! ^= 0xff;
      await writeFile(file, buf);
      const damaged = await mbx('verify', '--data', copy, '--no-progress');
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toMatch(/PROBLEM command journal seg-\d+\.log: checksum mismatch at byte \d+, yet a valid record \(seq \d+\) follows/);
      // Read-only: the tool changed nothing.
      expect(await readFile(file)).toEqual(buf);

      // A torn tail (half a record at the very end) is only a note; an event journal reaching past
      // the command journal's end is a problem: events follow durable commands.
      const clean = await readFile(path.join(data, 'commands', segs[segs.length - 1]!));
      await writeFile(file, clean.subarray(0, clean.length - 7));
      const events = await FileJournal.open({ dir: path.join(copy, 'events') });
      await events.append([{ seq: 1524, payload: new Uint8Array([1, 2, 3]) }]);
      await events.close();
      const torn = await mbx('verify', '--data', copy, '--no-progress');
      expect(torn.code).toBe(1);
      expect(torn.stdout).toMatch(/note: the last \d+ bytes of seg-\d+\.log are not a whole record/);
      expect(torn.stdout).toMatch(/PROBLEM the event journal reaches seq 1524, past the command journal's end \(\d+\)/);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
