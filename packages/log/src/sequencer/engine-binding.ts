import { Engine, decodeSnapshot, encodeSnapshot, hash64 } from '@matchbox/engine';
import { DEFAULT_MARKETS, type MarketConfig } from '@matchbox/domain';
import type { EngineCodec } from './state-machine.ts';

/**
 * The engine's snapshot is magic(4) version(1) bodyLength(4) crc32(4) body, and its state hash
 * is hash64(body) (packages/engine/src/snapshot-encode.ts). engine-binding.test.ts pins this, so
 * a format change fails loudly instead of producing wrong hashes.
 */
const SNAPSHOT_HEADER_BYTES = 13;

/** The real engine as the sequencer, recovery and the snapshot replica use it. */
export function matchboxEngineCodec(markets: readonly MarketConfig[] = DEFAULT_MARKETS): EngineCodec<Engine> {
  return {
    create: () => new Engine(markets),
    encode: (e) => encodeSnapshot(e),
    decode: (bytes) => decodeSnapshot(bytes),
    hashSnapshot: (bytes) => hash64(bytes.subarray(SNAPSHOT_HEADER_BYTES)),
  };
}
