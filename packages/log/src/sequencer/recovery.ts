import type { Logger } from 'pino';
import type { EngineEvent } from '@matchbox/domain';
import { decodeCommandBatch } from '../codec/command-batch.ts';
import { encodeEventBatch } from '../codec/event-batch.ts';
import type { CommandLog, EventLog, LogEntry, SnapshotMeta, SnapshotStore } from '../types.ts';
import type { EngineCodec, SequencedEngine } from './state-machine.ts';

export interface RecoveryOptions<E extends SequencedEngine> {
  readonly commandLog: CommandLog;
  readonly snapshots: SnapshotStore;
  readonly codec: EngineCodec<E>;
  /** When given, batches missing from it (command durable, events not yet) are re-appended. */
  readonly eventLog?: EventLog;
  /** Sees the starting snapshot and every replayed batch (the snapshot replica mirrors them). */
  readonly onSnapshotLoaded?: (bytes: Uint8Array | null) => Promise<void>;
  readonly onBatch?: (lastSeq: number, payload: Uint8Array) => void;
  /** Stop replaying after this seq (time travel); default: the end of the log. */
  readonly toSeq?: number;
  /** Take snapshots that failed to verify out of the store's listing (default true; tools that
   *  only look, like `replay`, pass false). */
  readonly discardCorrupt?: boolean;
  readonly readBatchEntries?: number;
  readonly logger?: Logger;
  /**
   * The event log and the snapshots were written only once their commands were durable (the
   * embedded mode: Sequencer `eventsAfterCommands`). Then an event log or a snapshot reaching past
   * the end of the command log proves that acknowledged commands are missing from it (the disk
   * lost or damaged them): recovery throws `AcknowledgedLossError` instead of starting without them.
   */
  readonly commandsDurableFirst?: boolean;
  /**
   * A snapshot reaching past the end of the command log: snapshots are saved only once their
   * commands are durable, so the log lost acknowledged commands. 'refuse' (the writer, unless told
   * otherwise) throws `AcknowledgedLossError`; 'accept' (an operator who accepts the loss) skips
   * that snapshot and starts from the log, logging an error. Unset (readers, tools): refused only
   * with `commandsDurableFirst`, otherwise such a snapshot is skipped as before.
   */
  readonly snapshotAhead?: 'refuse' | 'accept';
}

/** The command log lacks commands that were acknowledged: starting would silently drop them. */
export class AcknowledgedLossError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcknowledgedLossError';
  }
}

export interface Recovered<E> {
  readonly engine: E;
  /** The snapshot recovery started from, null when it replayed from genesis. */
  readonly snapshot: SnapshotMeta | null;
  /** Snapshots skipped because they failed to load or verify, newest first. */
  readonly rejectedSnapshots: readonly { seq: number; reason: string }[];
  readonly replayedCommands: number;
  readonly republishedEventEntries: number;
}

/** Loads the newest snapshot that verifies, falling back to older ones. */
async function loadSnapshot<E extends SequencedEngine>(opts: RecoveryOptions<E>, logLastSeq: number, rejected: { seq: number; reason: string }[]) {
  for (const meta of await opts.snapshots.list()) {
    if (opts.toSeq !== undefined && meta.seq > opts.toSeq) continue;
    if (meta.seq > logLastSeq) {
      // Snapshots are saved only after the log holds their seq, so this log lost entries; the
      // snapshot would contain commands the log cannot show. Prefer the auditable log.
      rejected.push({ seq: meta.seq, reason: `ahead of the log (last ${logLastSeq})` });
      continue;
    }
    try {
      const bytes = await opts.snapshots.load(meta.seq);
      const engine = opts.codec.decode(bytes);
      if (engine.lastSeq !== meta.seq) throw new Error(`engine says seq ${engine.lastSeq}`);
      // Hashing the bytes avoids re-encoding a big state; decode's fidelity is pinned by tests
      // (and `mbx verify` compares the decoded state with a replay).
      const hash = opts.codec.hashSnapshot ? opts.codec.hashSnapshot(bytes) : engine.stateHash();
      if (hash !== meta.stateHash) throw new Error('state hash differs from the one recorded');
      return { engine, meta, bytes };
    } catch (err) {
      rejected.push({ seq: meta.seq, reason: (err as Error).message });
      opts.logger?.error({ seq: meta.seq, err: (err as Error).message }, 'recovery: snapshot unusable, falling back to an older one');
    }
  }
  return null;
}

async function assertNothingAhead<E extends SequencedEngine>(opts: RecoveryOptions<E>, logLast: number): Promise<void> {
  const missing = (ahead: string): string => `the command log ends at seq ${logLast}, but ${ahead}, and those are written only after their commands are durable: `
    + 'acknowledged commands are missing from the command log (lost or damaged). Refusing to start without them. ';
  const eventLast = opts.commandsDurableFirst && opts.eventLog ? await opts.eventLog.lastSeq() : 0;
  if (eventLast > logLast) {
    // Never accepted: the event log would then hold other events under the same seqs.
    throw new AcknowledgedLossError(`${missing(`the event log reaches seq ${eventLast}`)}Restore the command journal (a tail the file journal cut off on opening is kept beside its segments as dropped-*.bin).`);
  }
  const snapshotLast = opts.commandsDurableFirst || opts.snapshotAhead === 'refuse' ? Math.max(0, ...(await opts.snapshots.list()).map((m) => m.seq)) : 0;
  if (snapshotLast <= logLast) return;
  if (opts.snapshotAhead === 'accept') {
    opts.logger?.error({ logLast, snapshotLast }, 'recovery: acknowledged commands are missing from the command log; starting without them, as told (ACCEPT_LOG_LOSS)');
    return;
  }
  throw new AcknowledgedLossError(`${missing(`a snapshot is at seq ${snapshotLast}`)}Restore the command log; or, to start without those commands, `
    + 'set ACCEPT_LOG_LOSS=1 once and rebuild the history store afterwards (node --import tsx packages/store/src/cli.ts rebuild).');
}

/**
 * Rebuilds the engine: the newest snapshot that loads and verifies, then every logged command
 * after it, applied with the seq and time they were stamped with. Deterministic, so the result
 * has the state hash the sequencer had when it stopped.
 */
export async function recover<E extends SequencedEngine>(opts: RecoveryOptions<E>): Promise<Recovered<E>> {
  const rejected: { seq: number; reason: string }[] = [];
  const logLast = await opts.commandLog.lastSeq();
  await assertNothingAhead(opts, logLast);
  const loaded = await loadSnapshot(opts, logLast, rejected);
  if (opts.discardCorrupt ?? true) {
    // A corrupt snapshot left listed would count as "kept", and trimming stays only above the
    // oldest kept one: it could let the log be trimmed past the last usable snapshot.
    for (const r of rejected) if (!r.reason.startsWith('ahead of the log')) await opts.snapshots.discard(r.seq);
  }
  const engine = loaded?.engine ?? opts.codec.create();
  await opts.onSnapshotLoaded?.(loaded?.bytes ?? null);
  const first = await opts.commandLog.firstSeq();
  const eventLast = opts.eventLog ? await opts.eventLog.lastSeq() : Number.POSITIVE_INFINITY;
  const limit = opts.toSeq ?? Number.POSITIVE_INFINITY;
  let replayed = 0;
  let republished = 0;
  // Entries are whole batches: find the one holding engine.lastSeq + 1 by reading from its start.
  let checkedStart = false;
  const readMax = opts.readBatchEntries ?? 256;
  // Read-ahead: the next read (a Redis round trip, a pread) runs while this one is applied.
  const readAfter = (seq: number): Promise<LogEntry[]> => {
    const p = opts.commandLog.read(seq, readMax);
    p.catch(() => {}); // surfaced by the await below; never an unhandled rejection if we stop early
    return p;
  };
  let next: Promise<LogEntry[]> | null = readAfter(engine.lastSeq);
  while (engine.lastSeq < limit && next) {
    const entries: LogEntry[] = await next;
    if (entries.length === 0) break;
    const lastInRead: number = entries[entries.length - 1]!.seq;
    next = lastInRead < limit ? readAfter(lastInRead) : null;
    for (const entry of entries) {
      const batch = decodeCommandBatch(entry.payload);
      const firstSeq = entry.seq - batch.commands.length + 1;
      if (!checkedStart && firstSeq > engine.lastSeq + 1) {
        throw new Error(`log starts at seq ${first} (entry ${entry.seq} begins at ${firstSeq}) but the state is at ${engine.lastSeq}: the log was trimmed past every usable snapshot`);
      }
      checkedStart = true;
      // Events are kept only to republish them; otherwise they die at once (recovery speed is GC-bound).
      const events: EngineEvent[][] | null = opts.eventLog && entry.seq > eventLast ? [] : null;
      for (let i = 0; i < batch.commands.length; i++) {
        const seq = firstSeq + i;
        if (seq <= engine.lastSeq) continue;
        if (seq > limit) break;
        const out = engine.apply(batch.commands[i]!, seq, batch.tsMs);
        events?.push(out);
        replayed++;
      }
      if (engine.lastSeq !== Math.min(entry.seq, limit)) throw new Error(`replay stopped at ${engine.lastSeq} inside entry ${entry.seq}`);
      if (engine.lastSeq === entry.seq) opts.onBatch?.(entry.seq, entry.payload);
      if (opts.eventLog && events && engine.lastSeq === entry.seq && events.length === batch.commands.length) {
        await opts.eventLog.append([{ seq: entry.seq, payload: encodeEventBatch({ tsMs: batch.tsMs, events }) }]);
        republished++;
      }
      if (engine.lastSeq >= limit) break;
    }
  }
  opts.logger?.info({ snapshotSeq: loaded?.meta.seq ?? 0, replayed, lastSeq: engine.lastSeq, republished, rejected: rejected.length }, 'recovery: done');
  return { engine, snapshot: loaded?.meta ?? null, rejectedSnapshots: rejected, replayedCommands: replayed, republishedEventEntries: republished };
}
