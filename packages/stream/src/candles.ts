import type { TradeEvent } from '@matchbox/domain';
import { KLINE_INTERVALS, candleCloseMs, candleOpenMs, type KlineInterval } from './intervals.ts';

/** One candle in integers (ticks, lots, quote units), built only from trade events. */
export interface Candle {
  readonly interval: KlineInterval;
  readonly openMs: number;
  readonly closeMs: number;
  firstTradeId: number;
  lastTradeId: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  volumeLots: number;
  quoteUnits: number;
  trades: number;
  takerBuyLots: number;
  takerBuyQuoteUnits: number;
  /** Whether the candle changed since it was last sent. */
  dirty: boolean;
  /** Whether its final (x: true) version was sent. */
  closedSent: boolean;
}

function newCandle(interval: KlineInterval, t: TradeEvent): Candle {
  const openMs = candleOpenMs(interval, t.ts);
  return {
    interval, openMs, closeMs: candleCloseMs(interval, openMs), firstTradeId: t.tradeId, lastTradeId: t.tradeId,
    openTicks: t.priceTicks, highTicks: t.priceTicks, lowTicks: t.priceTicks, closeTicks: t.priceTicks,
    volumeLots: 0, quoteUnits: 0, trades: 0, takerBuyLots: 0, takerBuyQuoteUnits: 0, dirty: true, closedSent: false,
  };
}

/**
 * The current candle of every Binance interval for one symbol. Memory is constant: one candle per
 * interval; history lives in the store, not here.
 */
export class CandleSet {
  private readonly current = new Map<KlineInterval, Candle>();

  /**
   * Adds a trade; returns the candles it closed (a trade in a later bucket closes the previous
   * one), so the caller can send their final version before the new one.
   */
  addTrade(t: TradeEvent): Candle[] {
    const closed: Candle[] = [];
    for (const interval of KLINE_INTERVALS) {
      let c = this.current.get(interval);
      if (c !== undefined && t.ts > c.closeMs) {
        if (!c.closedSent) closed.push(c);
        c = undefined;
      }
      if (c === undefined) {
        c = newCandle(interval, t);
        this.current.set(interval, c);
      }
      if (t.priceTicks > c.highTicks) c.highTicks = t.priceTicks;
      if (t.priceTicks < c.lowTicks) c.lowTicks = t.priceTicks;
      c.closeTicks = t.priceTicks;
      c.lastTradeId = t.tradeId;
      c.volumeLots += t.qtyLots;
      c.quoteUnits += t.quoteUnits;
      c.trades += 1;
      if (!t.buyerIsMaker) {
        c.takerBuyLots += t.qtyLots;
        c.takerBuyQuoteUnits += t.quoteUnits;
      }
      c.dirty = true;
    }
    return closed;
  }

  get(interval: KlineInterval): Candle | undefined {
    return this.current.get(interval);
  }
}
