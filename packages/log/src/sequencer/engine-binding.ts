import { Engine, decodeSnapshot, encodeSnapshot, snapshotStateHash } from '@matchbox/engine';
import { DEFAULT_MARKETS, type MarketConfig } from '@matchbox/domain';
import type { EngineCodec } from './state-machine.ts';

/** The real engine as the sequencer, recovery and the snapshot replica use it. */
export function matchboxEngineCodec(markets: readonly MarketConfig[] = DEFAULT_MARKETS): EngineCodec<Engine> {
  return {
    create: () => new Engine(markets),
    encode: (e) => encodeSnapshot(e),
    decode: (bytes) => decodeSnapshot(bytes),
    // The engine hashes the snapshot's own bytes: no second encode to learn the state hash.
    hashSnapshot: (bytes) => snapshotStateHash(bytes),
  };
}
