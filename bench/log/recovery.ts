import type { Command } from '@matchbox/domain';
import { MemorySnapshotStore, encodeCommandBatch, matchboxEngineCodec, recover, type CommandLog } from '../../packages/log/src/index.ts';

/** Writes `commands` to a log as the sequencer would (batches of 2,048, stamped seq and time). */
export async function fillLog(log: CommandLog, commands: readonly Command[]): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let i = 0; i < commands.length; i += 2048) {
    const batch = commands.slice(i, i + 2048);
    writes.push(log.append([{ seq: i + batch.length, payload: encodeCommandBatch({ tsMs: 1_700_000_000_000 + i, commands: batch }) }]));
    if (writes.length >= 8) await writes.shift();
  }
  await Promise.all(writes);
}

export interface RecoveryResult {
  readonly commands: number;
  readonly seconds: number;
  readonly commandsPerSec: number;
  readonly stateHash: string;
}

/** Recovery from the log alone (no snapshot): read, decode and apply every command. */
export async function measureRecovery(log: CommandLog): Promise<RecoveryResult> {
  const t0 = performance.now();
  const r = await recover({ commandLog: log, snapshots: new MemorySnapshotStore(), codec: matchboxEngineCodec(), readBatchEntries: 64 });
  const seconds = (performance.now() - t0) / 1000;
  return { commands: r.replayedCommands, seconds, commandsPerSec: r.replayedCommands / seconds, stateHash: r.engine.stateHash() };
}
