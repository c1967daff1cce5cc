import type { EngineCodec, SequencedEngine } from './state-machine.ts';

/** A batch's event-log payload, encoded by a mirror, and the number of events in it. */
export interface EncodedEvents {
  readonly payload: Uint8Array;
  readonly events: number;
}

export interface TakenSnapshot {
  readonly seq: number;
  readonly stateHash: string;
  readonly bytes: Uint8Array;
}

/**
 * Produces snapshot bytes of the engine state at a batch boundary. `capture()` is called by the
 * sequencer right after a batch is applied, before the next one: whatever it must do
 * synchronously is the intake pause; the returned promise may finish later.
 */
export interface Snapshotter {
  /** Starting state: the snapshot recovery loaded (null: genesis). */
  init(snapshot: Uint8Array | null): Promise<void>;
  /** Every batch the engine applies, as logged, in order (recovery replay included). */
  onBatch(lastSeq: number, payload: Uint8Array): void;
  /**
   * Optional: `onBatch`, and also encodes the batch's events as the event log stores them
   * (`encodeEventBatch`) off the sequencer's thread; resolves with the payload and how many events
   * the batch made (the sequencer checks it against its own). Rejects when the mirror is broken
   * (the sequencer then encodes them itself).
   */
  onBatchWithEvents?(lastSeq: number, payload: Uint8Array): Promise<EncodedEvents>;
  capture(): Promise<TakenSnapshot>;
  /** Commands received but not yet mirrored; the sequencer holds intake while this is too high. */
  lag?(): number;
  readonly maxLagCommands?: number;
  close(): Promise<void>;
}

/**
 * Encodes on the sequencer's own thread: simplest, and the pause grows with the state size
 * (measured by the benchmark). Use `ReplicaSnapshotter` to take it off the hot path.
 */
export class InlineSnapshotter<E extends SequencedEngine> implements Snapshotter {
  constructor(private readonly engine: () => E, private readonly codec: EngineCodec<E>) {}
  async init(): Promise<void> { /* the live engine is the source */ }
  onBatch(): void { /* nothing to mirror */ }

  capture(): Promise<TakenSnapshot> {
    const e = this.engine();
    const bytes = this.codec.encode(e);
    return Promise.resolve({ seq: e.lastSeq, stateHash: this.codec.hashSnapshot?.(bytes) ?? e.stateHash(), bytes });
  }

  async close(): Promise<void> { /* nothing held */ }
}
