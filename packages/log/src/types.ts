/**
 * The durable log and snapshot contracts. Every adapter (memory, file journal, Redis Streams;
 * files, PostgreSQL) passes the same conformance suite (`testing/log-conformance.ts`).
 *
 * A log is a sequence of ENTRIES. An entry is the group-commit unit: the sequencer packs one
 * batch of commands (or of the events they produced) into one entry, so the cost of one fsync
 * or one Redis round trip is shared by the whole batch. Each entry carries the sequence number
 * of the LAST command in its batch (`seq`); batches are contiguous, so the previous entry's `seq`
 * + 1 is this entry's first command. Payloads are opaque bytes (see `codec/`).
 */

export interface LogEntry {
  /** Sequence number of the last command in this entry's batch. Strictly increasing in a log. */
  readonly seq: number;
  readonly payload: Uint8Array;
}

/** A position consumers remember: "everything with seq ≤ this is processed". 0 = nothing yet. */
export interface CursorStore {
  /**
   * Durably records that consumer `name` has processed every entry with seq ≤ `seq`.
   * Resolves once durable. Cursors only move forward: a smaller value is ignored, so a replayed
   * commit after a crash cannot move a projection backwards.
   */
  commitCursor(name: string, seq: number): Promise<void>;
  /** All committed cursors (name → seq). Trimming stays below the smallest of them. */
  cursors(): Promise<ReadonlyMap<string, number>>;
}

/**
 * An append-only, sequence-numbered, durable log of entries.
 *
 * - `append(entries)` resolves only when every entry is DURABLE: after a crash of this process
 *   (and, for the file journal, of the machine; for Redis, with `appendfsync always`, of Redis)
 *   the entries are read back byte for byte. Entries passed in one call are written with one
 *   durable write (group commit: one fdatasync, one Redis pipeline).
 * - Sequence numbers are strictly increasing. `append` is idempotent by sequence number: an entry
 *   whose `seq` ≤ `lastSeq()` is a retry of something already stored and is skipped (the stored
 *   entry wins); this makes "retry after an unknown outcome" safe.
 * - Calls to `append` may overlap; they become durable, and resolve, in call order. If one
 *   fails, every later one in flight fails too and the log must be reopened: the writer cannot
 *   know which of them reached the disk.
 * - `read(afterSeq, maxEntries)` returns, in order, up to `maxEntries` entries with seq > afterSeq
 *   that are durable. An empty array means "nothing more yet".
 * - `trimBelow(seq)` lets the log drop entries whose seq < `seq` (it may keep some: trimming is a
 *   space hint, never a correctness tool). `firstSeq()` tells what is still readable.
 */
export interface EntryLog extends CursorStore {
  append(entries: readonly LogEntry[]): Promise<void>;
  read(afterSeq: number, maxEntries: number): Promise<LogEntry[]>;
  /** Seq of the newest durable entry, 0 when empty. */
  lastSeq(): Promise<number>;
  /** Seq of the oldest readable entry, 0 when empty. */
  firstSeq(): Promise<number>;
  trimBelow(seq: number): Promise<void>;
  /**
   * Makes every appended entry durable. Only logs whose appends are not durable by themselves
   * have it (a FileJournal opened with `durable: false`); for the others `append` already is.
   */
  sync?(): Promise<void>;
  close(): Promise<void>;
}

/** Commands stamped by the sequencer: the source of truth that recovery replays. */
export type CommandLog = EntryLog;
/** Events derived from the commands; regenerated from the command log if it falls behind. */
export type EventLog = EntryLog;

export interface SnapshotMeta {
  /** The engine state reflects every command with seq ≤ this. */
  readonly seq: number;
  /** `engine.stateHash()` at `seq`; recovery and `verify` compare against it. */
  readonly stateHash: string;
  /** Uncompressed size. */
  readonly sizeBytes: number;
}

/**
 * Snapshots of the engine state. `save` resolves when the snapshot is durable and complete: a
 * crash during `save` leaves either the whole snapshot or none of it (never a torn one in the
 * listing). `load` verifies the stored checksum and throws `CorruptSnapshotError` when it does
 * not match, so recovery can fall back to an older snapshot. Saving an existing seq again is a
 * no-op.
 */
export interface SnapshotStore {
  save(meta: SnapshotMeta, bytes: Uint8Array): Promise<void>;
  /** Newest first. */
  list(): Promise<SnapshotMeta[]>;
  load(seq: number): Promise<Uint8Array>;
  /** Keeps the `keep` newest snapshots and deletes the rest. */
  prune(keep: number): Promise<void>;
  /**
   * Takes a snapshot that failed to load out of the listing, so it no longer counts among the
   * kept ones (trimming relies on the oldest kept snapshot being usable). Stores that can keep
   * the bytes aside for inspection do so.
   */
  discard(seq: number): Promise<void>;
  close(): Promise<void>;
}

export class CorruptSnapshotError extends Error {
  constructor(readonly seq: number, reason: string) {
    super(`snapshot at seq ${seq} is corrupt: ${reason}`);
    this.name = 'CorruptSnapshotError';
  }
}

export class CorruptLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptLogError';
  }
}

/** Asserts the append contract's precondition on a batch of entries (TigerBeetle-style). */
export function assertIncreasing(entries: readonly LogEntry[], after: number): void {
  let prev = after;
  for (const e of entries) {
    if (!Number.isSafeInteger(e.seq) || e.seq <= prev) {
      throw new RangeError(`log entries must have strictly increasing seq: ${e.seq} after ${prev}`);
    }
    prev = e.seq;
  }
}

/**
 * Validates a batch (integer seqs ≥ 1, strictly increasing) and drops the entries a retried
 * append already stored (idempotency by seq). Throws RangeError on a bad batch.
 */
export function unstored(entries: readonly LogEntry[], lastSeq: number): readonly LogEntry[] {
  assertIncreasing(entries, 0);
  let i = 0;
  while (i < entries.length && entries[i]!.seq <= lastSeq) i++;
  return i === 0 ? entries : entries.slice(i);
}
