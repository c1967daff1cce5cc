import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Engine } from '@matchbox/engine';
import {
  FileSnapshotStore, InlineSnapshotter, MemoryLog, PgSnapshotStore, ReplicaSnapshotter, Sequencer, Workload, matchboxEngineCodec,
  type SnapshotStore, type Snapshotter,
} from '../../packages/log/src/index.ts';

import { compress } from '../../packages/log/src/snapshot/compression.ts';
import { PER_USER } from './resting-book.ts';

const codec = matchboxEngineCodec();

export interface SnapshotCost {
  readonly store: string;
  readonly rawBytes: number;
  /** What the store keeps: deflated (level 1) or raw. */
  readonly storedBytes: number;
  readonly encodeMs: number;
  readonly hashMs: number;
  readonly saveMs: number;
  readonly loadMs: number;
  readonly decodeMs: number;
}

/** Write = encode + store.save (compression included); load = store.load + decode. */
export async function measureSnapshotStore(name: string, store: SnapshotStore, engine: Engine, deflated: boolean): Promise<SnapshotCost> {
  let t = performance.now();
  const bytes = codec.encode(engine);
  const encodeMs = performance.now() - t;
  t = performance.now();
  const stateHash = engine.stateHash();
  const hashMs = performance.now() - t;
  t = performance.now();
  await store.save({ seq: engine.lastSeq, stateHash, sizeBytes: bytes.length }, bytes);
  const saveMs = performance.now() - t;
  t = performance.now();
  const loaded = await store.load(engine.lastSeq);
  const loadMs = performance.now() - t;
  t = performance.now();
  const restored = codec.decode(loaded);
  const decodeMs = performance.now() - t;
  if (restored.lastSeq !== engine.lastSeq || restored.openOrderCount() !== engine.openOrderCount()) throw new Error('snapshot did not round-trip');
  const storedBytes = deflated ? (await compress(bytes)).length : bytes.length;
  return { store: name, rawBytes: bytes.length, storedBytes, encodeMs, hashMs, saveMs, loadMs, decodeMs };
}

export async function measureAllStores(engine: Engine, pgUrl: string | null): Promise<SnapshotCost[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mbx-bench-snap-'));
  const out: SnapshotCost[] = [];
  try {
    out.push(await measureSnapshotStore('files, deflate', await FileSnapshotStore.open({ dir: path.join(dir, 'z'), compress: true }), engine, true));
    out.push(await measureSnapshotStore('files, raw', await FileSnapshotStore.open({ dir: path.join(dir, 'raw'), compress: false }), engine, false));
    if (pgUrl) {
      const pg = await PgSnapshotStore.open({ connection: pgUrl, table: `mbx_bench_snap_${process.pid}` });
      try {
        out.push(await measureSnapshotStore('postgres bytea, deflate', pg, engine, true));
      } finally {
        await pg.drop();
        await pg.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

export interface PauseResult {
  readonly mode: string;
  readonly snapshots: number;
  /** The sequencer's own measure: how long a capture held up the loop. */
  readonly maxCapturePauseMs: number;
  /** Longest event-loop stall seen during the run (anything that stops intake counts). */
  readonly maxEventLoopStallMs: number;
  readonly commandsPerSec: number;
}

/**
 * Intake pause while snapshotting a big state: the sequencer runs a steady load over the
 * 1M-order engine and snapshots every `every` commands into a file store (deflate), inline or on
 * the replica thread; 'none' is the baseline — the same run with no snapshot, so that stalls the
 * big heap causes anyway (V8's major GC, a busy machine) are not blamed on snapshots.
 */
export async function measurePause(mode: 'none' | 'inline' | 'replica', engine: Engine, commands: number, every: number): Promise<PauseResult> {
  let snapshotter: Snapshotter;
  if (mode === 'replica') {
    const r = new ReplicaSnapshotter();
    await r.init(codec.encode(engine));
    snapshotter = r;
  } else snapshotter = new InlineSnapshotter(() => engine, codec);
  const dir = await mkdtemp(path.join(tmpdir(), 'mbx-bench-pause-'));
  const seq = new Sequencer<Engine>({
    engine, commandLog: new MemoryLog(), snapshots: await FileSnapshotStore.open({ dir }), snapshotter,
    snapshotEveryCommands: mode === 'none' ? Number.MAX_SAFE_INTEGER : every, snapshotEveryMs: Number.MAX_SAFE_INTEGER,
    intakeCapacity: 20_000, maxBatch: 1024, keepSnapshots: 1,
  });
  // The resting book's own users trade around its spread.
  const stream = new Workload({ seed: 777, users: Math.ceil(engine.openOrderCount() / PER_USER), midTicks: 3_000_000 }).take(commands);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  seq.start();
  const t0 = performance.now();
  let next = 0;
  let acked = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (next < stream.length && next - acked < 4096) {
        void seq.submit(stream[next++]!).then(() => { if (++acked === stream.length) resolve(); });
      }
      if (next < stream.length) setImmediate(pump);
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  await seq.close({ snapshot: false });
  delay.disable();
  await rm(dir, { recursive: true, force: true });
  const stats = seq.stats();
  return { mode, snapshots: stats.snapshots, maxCapturePauseMs: stats.maxSnapshotPauseMs, maxEventLoopStallMs: delay.max / 1e6, commandsPerSec: commands / seconds };
}
