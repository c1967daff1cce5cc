import { checkInvariants, type Engine } from '@matchbox/engine';
import { decodeCommandBatch } from '../codec/command-batch.ts';
import type { EngineCodec } from '../sequencer/state-machine.ts';
import type { CommandLog, SnapshotMeta, SnapshotStore } from '../types.ts';

export interface VerifyOptions {
  readonly commandLog: CommandLog;
  readonly snapshots: SnapshotStore;
  readonly codec: EngineCodec<Engine>;
  /** Check the engine invariants every this many commands (1 = after every command). */
  readonly invariantsEvery?: number;
  readonly onStart?: (fromSeq: number, toSeq: number) => void;
  readonly onProgress?: (seq: number) => void;
}

export interface VerifyReport {
  readonly fromSeq: number;
  readonly lastSeq: number;
  readonly commands: number;
  readonly stateHash: string;
  readonly snapshotsChecked: number;
  readonly invariantChecks: number;
  readonly problems: string[];
}

/** The first seq the log still holds (entries are batches: the first entry may start below its seq). */
async function logStart(log: CommandLog): Promise<number> {
  const first = (await log.read(0, 1))[0];
  if (!first) return 1;
  return first.seq - decodeCommandBatch(first.payload).commands.length + 1;
}

/** Where to start: genesis if the log reaches back to seq 1, else the oldest snapshot that loads. */
async function startingPoint(o: VerifyOptions, metas: SnapshotMeta[], problems: string[]): Promise<Engine> {
  const start = await logStart(o.commandLog);
  if (start <= 1) return o.codec.create();
  for (const meta of [...metas].reverse()) {
    if (meta.seq + 1 < start) continue;
    try {
      return o.codec.decode(await o.snapshots.load(meta.seq));
    } catch (err) {
      problems.push(`snapshot ${meta.seq}: ${(err as Error).message}`);
    }
  }
  throw new Error(`the log starts at seq ${start} and no snapshot covers it`);
}

/**
 * The audit: replays the whole log (from genesis, or from the oldest usable snapshot when the log
 * is trimmed), checks the invariants as it goes, and compares every snapshot with the replayed
 * state at its seq — recorded hash, decoded bytes and replay must all agree.
 */
export async function verifyLog(o: VerifyOptions): Promise<VerifyReport> {
  const problems: string[] = [];
  const metas = await o.snapshots.list();
  const bySeq = new Map(metas.map((m) => [m.seq, m]));
  const engine = await startingPoint(o, metas, problems);
  const fromSeq = engine.lastSeq;
  const lastSeq = await o.commandLog.lastSeq();
  o.onStart?.(fromSeq, lastSeq);
  const every = o.invariantsEvery ?? 10_000;
  let commands = 0;
  let checks = 0;
  let snapshotsChecked = 0;
  const check = (): void => {
    checks++;
    for (const p of checkInvariants(engine)) problems.push(`seq ${engine.lastSeq}: ${p}`);
  };
  const checkSnapshot = async (meta: SnapshotMeta): Promise<void> => {
    snapshotsChecked++;
    const replayed = engine.stateHash();
    if (meta.stateHash !== replayed) problems.push(`snapshot ${meta.seq}: recorded hash ${meta.stateHash} ≠ replay ${replayed}`);
    try {
      const decoded = o.codec.decode(await o.snapshots.load(meta.seq));
      if (decoded.stateHash() !== replayed) problems.push(`snapshot ${meta.seq}: its state hashes to ${decoded.stateHash()}, replay to ${replayed}`);
    } catch (err) {
      problems.push(`snapshot ${meta.seq}: ${(err as Error).message}`);
    }
  };
  if (bySeq.has(engine.lastSeq)) await checkSnapshot(bySeq.get(engine.lastSeq)!);
  for (let entries = await o.commandLog.read(engine.lastSeq, 256); entries.length > 0; entries = await o.commandLog.read(engine.lastSeq, 256)) {
    for (const entry of entries) {
      const batch = decodeCommandBatch(entry.payload);
      let seq = entry.seq - batch.commands.length + 1;
      if (seq > engine.lastSeq + 1) {
        problems.push(`gap: entry ${entry.seq} starts at ${seq}, state is at ${engine.lastSeq}`);
        return { fromSeq, lastSeq, commands, stateHash: engine.stateHash(), snapshotsChecked, invariantChecks: checks, problems };
      }
      for (const c of batch.commands) {
        if (seq > engine.lastSeq) {
          engine.apply(c, seq, batch.tsMs);
          commands++;
          if (commands % every === 0) check();
        }
        seq++;
      }
      const meta = bySeq.get(entry.seq);
      if (meta) await checkSnapshot(meta);
      o.onProgress?.(entry.seq);
    }
  }
  check();
  for (const m of metas) if (m.seq > engine.lastSeq) problems.push(`snapshot ${m.seq} is beyond the end of the log (${engine.lastSeq})`);
  return { fromSeq, lastSeq: engine.lastSeq, commands, stateHash: engine.stateHash(), snapshotsChecked, invariantChecks: checks, problems };
}
