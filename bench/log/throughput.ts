import type { Command } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import { InlineSnapshotter, MemorySnapshotStore, Sequencer, matchboxEngineCodec, type CommandLog, type EventLog } from '../../packages/log/src/index.ts';

export interface ThroughputResult {
  readonly commands: number;
  readonly seconds: number;
  readonly commandsPerSec: number;
  readonly batches: number;
  readonly avgBatch: number;
  readonly busyRejections: number;
  readonly stateHash: string;
}

/**
 * Sustained commands/s through the sequencer into one log: a closed-loop producer keeps the
 * intake queue topped up (re-offering on "busy"), and the clock runs from the first submit to
 * the last durable acknowledgement.
 */
export interface ThroughputOptions {
  readonly maxBatch?: number;
  readonly maxInflightBatches?: number;
  /** Commands the producer keeps submitted but unacknowledged. */
  readonly window?: number;
  readonly eventLog?: EventLog;
}

export async function measureThroughput(commandLog: CommandLog, setup: readonly Command[], stream: readonly Command[], opts: ThroughputOptions = {}): Promise<ThroughputResult> {
  const codec = matchboxEngineCodec();
  const engine = codec.create();
  const window = opts.window ?? 16_384;
  const seq = new Sequencer<Engine>({
    engine, commandLog, eventLog: opts.eventLog, snapshots: new MemorySnapshotStore(), snapshotter: new InlineSnapshotter(() => engine, codec),
    intakeCapacity: window + 1024, maxBatch: opts.maxBatch ?? 2048, maxInflightBatches: opts.maxInflightBatches ?? 4,
    snapshotEveryCommands: Number.MAX_SAFE_INTEGER, snapshotEveryMs: Number.MAX_SAFE_INTEGER,
  });
  seq.start();
  for (let i = 0; i < setup.length; i += 1000) await Promise.all(setup.slice(i, i + 1000).map((c) => seq.submit(c)));
  let next = 0;
  let acked = 0;
  let busy = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const onAck = (): void => {
      if (++acked === stream.length) resolve();
    };
    const pump = (): void => {
      while (next < stream.length && next - acked < window) {
        seq.submit(stream[next++]!).then(onAck, (err: unknown) => {
          if ((err as { code?: string }).code === 'BUSY') busy++;
          reject(err as Error);
        });
      }
      // Re-offer once acknowledgements have made room: a closed loop, never an unbounded queue.
      if (next < stream.length) setImmediate(pump);
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  const stats = seq.stats();
  await seq.close({ snapshot: false });
  return {
    commands: stream.length, seconds, commandsPerSec: stream.length / seconds, batches: stats.batches,
    avgBatch: (setup.length + stream.length) / stats.batches, busyRejections: busy, stateHash: seq.engine.stateHash(),
  };
}
