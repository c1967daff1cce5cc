import type { TradeEvent } from '@matchbox/domain';
import { closeTimeOf, INTERVALS, openTimeOf, type Interval } from './intervals.ts';

/**
 * A candle built from trades. Volumes are BigInt: a month of quote volume can pass 2^53 units.
 * Taker-buy volume is the part where the buyer was the taker (Binance's "taker buy base volume").
 */
export interface Candle {
  readonly symbol: string;
  readonly interval: Interval;
  readonly openTime: number;
  readonly closeTime: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  volumeLots: bigint;
  quoteUnits: bigint;
  trades: number;
  takerBuyLots: bigint;
  takerBuyQuoteUnits: bigint;
  firstTradeId: number;
  lastTradeId: number;
}

export function newCandle(symbol: string, interval: Interval, openTime: number, t: TradeEvent): Candle {
  return {
    symbol, interval, openTime, closeTime: closeTimeOf(interval, openTime),
    openTicks: t.priceTicks, highTicks: t.priceTicks, lowTicks: t.priceTicks, closeTicks: t.priceTicks,
    volumeLots: 0n, quoteUnits: 0n, trades: 0, takerBuyLots: 0n, takerBuyQuoteUnits: 0n,
    firstTradeId: t.tradeId, lastTradeId: t.tradeId,
  };
}

/** Adds one trade (with a trade id above every trade already in `c`). */
export function addTrade(c: Candle, t: TradeEvent): void {
  if (t.priceTicks > c.highTicks) c.highTicks = t.priceTicks;
  if (t.priceTicks < c.lowTicks) c.lowTicks = t.priceTicks;
  c.closeTicks = t.priceTicks;
  const lots = BigInt(t.qtyLots);
  const quote = BigInt(t.quoteUnits);
  c.volumeLots += lots;
  c.quoteUnits += quote;
  c.trades++;
  if (!t.buyerIsMaker) {
    c.takerBuyLots += lots;
    c.takerBuyQuoteUnits += quote;
  }
  c.lastTradeId = t.tradeId;
}

/**
 * Partial candles of one projection batch, per (symbol, interval, open time), merged into the
 * stored candles afterwards. Trades must be added in trade-id order per symbol.
 */
export class CandleAccumulator {
  private readonly byKey = new Map<string, Candle>();

  add(t: TradeEvent): void {
    for (const interval of INTERVALS) {
      const openTime = openTimeOf(interval, t.ts);
      const key = `${t.symbol}|${interval}|${openTime}`;
      let c = this.byKey.get(key);
      if (c === undefined) {
        c = newCandle(t.symbol, interval, openTime, t);
        this.byKey.set(key, c);
      }
      addTrade(c, t);
    }
  }

  candles(): Candle[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
