import { Engine, decodeSnapshot, encodeSnapshot } from '@matchbox/engine';
import { DEFAULT_MARKETS, type MarketConfig } from '@matchbox/domain';
import type { EngineCodec } from './state-machine.ts';

/** The real engine as the sequencer, recovery and the snapshot replica use it. */
export function matchboxEngineCodec(markets: readonly MarketConfig[] = DEFAULT_MARKETS): EngineCodec<Engine> {
  return {
    create: () => new Engine(markets),
    encode: (e) => encodeSnapshot(e),
    decode: (bytes) => decodeSnapshot(bytes),
  };
}
