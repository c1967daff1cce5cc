import type { TradeEvent } from '@matchbox/domain';

const MINUTE_MS = 60_000;
const WINDOW_MS = 24 * 60 * MINUTE_MS;
/** Buckets of one minute over 24 h, plus the one being filled: memory is bounded per symbol. */
const MAX_BUCKETS = 24 * 60 + 1;

interface MinuteBucket {
  readonly minute: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  volumeLots: number;
  quoteUnits: number;
  trades: number;
  firstTradeId: number;
  lastTradeId: number;
}

/** The 24 h rolling window of one symbol, at one-minute granularity. */
export interface WindowStats {
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  readonly openTicks: number;
  readonly highTicks: number;
  readonly lowTicks: number;
  readonly closeTicks: number;
  /** Last price before the window (0 when unknown). */
  readonly prevCloseTicks: number;
  readonly lastQtyLots: number;
  readonly volumeLots: number;
  readonly quoteUnits: number;
  readonly trades: number;
  readonly firstTradeId: number;
  readonly lastTradeId: number;
}

/**
 * 24 h rolling statistics for the ticker streams, from trade events only. A trade falls out of the
 * window at the minute it is older than 24 h (Binance is exact to the millisecond; one minute of
 * granularity keeps memory at ~1441 buckets per symbol).
 */
export class RollingStats {
  private readonly buckets: MinuteBucket[] = [];
  private lastPriceTicks = 0;
  private lastQtyLots = 0;
  private prevCloseTicks = 0;
  /** Set on every trade and whenever a bucket leaves the window; the hub clears it when it sends. */
  dirty = false;

  addTrade(t: TradeEvent): void {
    const minute = Math.floor(t.ts / MINUTE_MS);
    let b = this.buckets[this.buckets.length - 1];
    if (b === undefined || b.minute < minute) {
      b = {
        minute, openTicks: t.priceTicks, highTicks: t.priceTicks, lowTicks: t.priceTicks, closeTicks: t.priceTicks,
        volumeLots: 0, quoteUnits: 0, trades: 0, firstTradeId: t.tradeId, lastTradeId: t.tradeId,
      };
      this.buckets.push(b);
      if (this.buckets.length > MAX_BUCKETS) this.dropOldest();
    }
    if (t.priceTicks > b.highTicks) b.highTicks = t.priceTicks;
    if (t.priceTicks < b.lowTicks) b.lowTicks = t.priceTicks;
    b.closeTicks = t.priceTicks;
    b.lastTradeId = t.tradeId;
    b.volumeLots += t.qtyLots;
    b.quoteUnits += t.quoteUnits;
    b.trades += 1;
    this.lastPriceTicks = t.priceTicks;
    this.lastQtyLots = t.qtyLots;
    this.dirty = true;
  }

  private dropOldest(): void {
    const old = this.buckets.shift();
    if (old !== undefined) this.prevCloseTicks = old.closeTicks;
    this.dirty = true;
  }

  /** Drops buckets older than 24 h before `nowMs`. */
  expire(nowMs: number): void {
    const firstMinute = Math.floor((nowMs - WINDOW_MS) / MINUTE_MS) + 1;
    while (this.buckets.length > 0 && this.buckets[0]!.minute < firstMinute) this.dropOldest();
  }

  hasTraded(): boolean {
    return this.lastPriceTicks !== 0;
  }

  window(nowMs: number): WindowStats {
    this.expire(nowMs);
    const last = this.lastPriceTicks;
    let open = 0;
    let high = 0;
    let low = 0;
    let volumeLots = 0;
    let quoteUnits = 0;
    let trades = 0;
    for (const b of this.buckets) {
      if (open === 0) { open = b.openTicks; high = b.highTicks; low = b.lowTicks; }
      if (b.highTicks > high) high = b.highTicks;
      if (b.lowTicks < low) low = b.lowTicks;
      volumeLots += b.volumeLots;
      quoteUnits += b.quoteUnits;
      trades += b.trades;
    }
    const first = this.buckets[0];
    const lastB = this.buckets[this.buckets.length - 1];
    return {
      openTimeMs: nowMs - WINDOW_MS, closeTimeMs: nowMs,
      openTicks: open || last, highTicks: high || last, lowTicks: low || last, closeTicks: last,
      prevCloseTicks: this.prevCloseTicks, lastQtyLots: this.lastQtyLots, volumeLots, quoteUnits, trades,
      firstTradeId: first ? first.firstTradeId : -1, lastTradeId: lastB ? lastB.lastTradeId : -1,
    };
  }
}
