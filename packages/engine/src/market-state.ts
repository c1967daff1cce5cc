import type { Market } from '@matchbox/domain';
import { BookSide } from './book/book-side.ts';
import type { Level } from './book/level.ts';
import { StopBook } from './book/stop-book.ts';

/** The live state of one market: both book sides, stops, and its counters. */
export class MarketState {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  readonly stops = new StopBook();
  nextTradeId = 1;
  /** The book update id: REST depth lastUpdateId and WebSocket U/u. */
  updateId = 0;
  /** Last trade price in ticks (0 before the first trade); stop orders trigger on it. */
  lastPriceTicks = 0;
  /** Levels changed by the current command, per side, for the depth event (slots reused). */
  readonly dirtyBids: Level[] = [];
  readonly dirtyAsks: Level[] = [];
  dirtyBidCount = 0;
  dirtyAskCount = 0;
  dirtyStamp = -1;

  constructor(
    readonly market: Market,
    readonly baseIndex: number,
    readonly quoteIndex: number,
  ) {}

  side(isBid: boolean): BookSide {
    return isBid ? this.bids : this.asks;
  }
}
