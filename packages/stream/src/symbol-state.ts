import type { DepthEvent } from '@matchbox/domain';
import { CandleSet } from './candles.ts';
import { LevelBook } from './level-book.ts';
import type { MarketFormat } from './market-format.ts';
import { RollingStats } from './rolling-stats.ts';

/**
 * Book changes gathered over one update period (100 ms or 1000 ms): the latest absolute quantity
 * per level and the range of update ids covered. Consecutive windows are contiguous: the next
 * window's first id is this one's last + 1, so conflation never makes a gap.
 */
export class DepthWindow {
  firstUpdateId = 0;
  lastUpdateId = 0;
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();

  add(e: DepthEvent): void {
    if (this.firstUpdateId === 0) this.firstUpdateId = e.updateId;
    this.lastUpdateId = e.updateId;
    for (let i = 0; i + 1 < e.bids.length; i += 2) this.bids.set(e.bids[i]!, e.bids[i + 1]!);
    for (let i = 0; i + 1 < e.asks.length; i += 2) this.asks.set(e.asks[i]!, e.asks[i + 1]!);
  }

  isEmpty(): boolean {
    return this.firstUpdateId === 0;
  }

  /** Levels best first (bids high→low, asks low→high), then clears the window. */
  take(): { first: number; last: number; bids: [number, number][]; asks: [number, number][] } {
    const out = {
      first: this.firstUpdateId, last: this.lastUpdateId,
      bids: [...this.bids].sort((x, y) => y[0] - x[0]), asks: [...this.asks].sort((x, y) => x[0] - y[0]),
    };
    this.firstUpdateId = 0;
    this.lastUpdateId = 0;
    this.bids.clear();
    this.asks.clear();
    return out;
  }
}

/** Everything the hub keeps for one symbol; all of it is derived from events. */
export class SymbolState {
  readonly book = new LevelBook();
  readonly windows = { 100: new DepthWindow(), 1000: new DepthWindow() } as const;
  readonly candles = new CandleSet();
  readonly stats = new RollingStats();
  /** Last update id of the diff stream, to notice a gap in what the hub is fed. */
  lastDiffUpdateId = 0;
  lastBestBid: readonly [number, number] = [0, 0];
  lastBestAsk: readonly [number, number] = [0, 0];
  /** Partial-depth stream name → book update id last sent on it. */
  readonly partialSent = new Map<string, number>();

  constructor(readonly format: MarketFormat) {}
}
