import type { Command, EngineEvent, MarketConfig } from '@matchbox/domain';

/** What the harness needs from an engine: the shape of `@matchbox/engine`'s Engine. */
export interface BenchEngine {
  apply(command: Command, seq: number, tsMs: number): readonly EngineEvent[];
  openOrderCount(): number;
}

export type BenchEngineFactory = (markets: readonly MarketConfig[]) => BenchEngine;
