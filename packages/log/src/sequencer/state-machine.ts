import type { Command, EngineEvent } from '@matchbox/domain';

/**
 * What the sequencer needs from the engine. `@matchbox/engine`'s `Engine` fits it; the log
 * package names only this shape so that it stays testable and the engine stays a pure library
 * that knows nothing about logs.
 */
export interface SequencedEngine {
  /** Seq of the last applied command, 0 for a fresh engine. */
  readonly lastSeq: number;
  /** Pure and deterministic; `seq` must be `lastSeq + 1`. */
  apply(command: Command, seq: number, tsMs: number): EngineEvent[];
  stateHash(): string;
}

/** How to make, serialise and restore an engine: the snapshot codec plus a genesis state. */
export interface EngineCodec<E extends SequencedEngine = SequencedEngine> {
  create(): E;
  encode(engine: E): Uint8Array;
  /** Throws on corrupt input. */
  decode(bytes: Uint8Array): E;
  /**
   * The state hash of the state a snapshot holds, computed from its bytes; equal to
   * `decode(bytes).stateHash()`. Lets a capture encode once instead of twice.
   */
  hashSnapshot?(bytes: Uint8Array): string;
}
