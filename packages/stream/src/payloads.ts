import type { TradeEvent } from '@matchbox/domain';
import type { Candle } from './candles.ts';
import type { MarketFormat } from './market-format.ts';
import { units } from './market-format.ts';
import type { WindowStats } from './rolling-stats.ts';

/**
 * Engine facts → Binance market-stream payloads (field names as in BINANCE-API.md). Pure: the
 * caller passes the event time `E` and whatever state (book, candle, window) the payload shows.
 */

export interface DepthUpdatePayload {
  readonly e: 'depthUpdate'; readonly E: number; readonly s: string; readonly U: number; readonly u: number;
  readonly b: [string, string][]; readonly a: [string, string][];
}

/** A diff covering book update ids U..u; levels are absolute, "0" removes. */
export function depthUpdate(
  f: MarketFormat, eventMs: number, firstUpdateId: number, lastUpdateId: number,
  bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[],
): DepthUpdatePayload {
  return { e: 'depthUpdate', E: eventMs, s: f.symbol, U: firstUpdateId, u: lastUpdateId, b: f.levels(bids), a: f.levels(asks) };
}

export function partialDepth(
  f: MarketFormat, lastUpdateId: number, bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[],
): { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] } {
  return { lastUpdateId, bids: f.levels(bids), asks: f.levels(asks) };
}

export function trade(f: MarketFormat, eventMs: number, t: TradeEvent): Record<string, unknown> {
  return { e: 'trade', E: eventMs, s: f.symbol, t: t.tradeId, p: f.price(t.priceTicks), q: f.qty(t.qtyLots), T: t.ts, m: t.buyerIsMaker, M: true };
}

/** One trade per aggregate, as the REST aggTrades answer does: a = f = l = trade id. */
export function aggTrade(f: MarketFormat, eventMs: number, t: TradeEvent): Record<string, unknown> {
  return {
    e: 'aggTrade', E: eventMs, s: f.symbol, a: t.tradeId, p: f.price(t.priceTicks), q: f.qty(t.qtyLots),
    f: t.tradeId, l: t.tradeId, T: t.ts, m: t.buyerIsMaker, M: true,
  };
}

export function kline(f: MarketFormat, eventMs: number, c: Candle, closed: boolean): Record<string, unknown> {
  return {
    e: 'kline', E: eventMs, s: f.symbol,
    k: {
      t: c.openMs, T: c.closeMs, s: f.symbol, i: c.interval, f: c.firstTradeId, L: c.lastTradeId,
      o: f.price(c.openTicks), c: f.price(c.closeTicks), h: f.price(c.highTicks), l: f.price(c.lowTicks),
      v: f.qty(c.volumeLots), n: c.trades, x: closed, q: units(c.quoteUnits),
      V: f.qty(c.takerBuyLots), Q: units(c.takerBuyQuoteUnits), B: '0',
    },
  };
}

export function miniTicker(f: MarketFormat, eventMs: number, w: WindowStats): Record<string, unknown> {
  return {
    e: '24hrMiniTicker', E: eventMs, s: f.symbol, c: f.price(w.closeTicks), o: f.price(w.openTicks),
    h: f.price(w.highTicks), l: f.price(w.lowTicks), v: f.qty(w.volumeLots), q: units(w.quoteUnits),
  };
}

/** Percentage with 3 decimals, rounded half away from zero, from integers (no float on money). */
export function percentChange(fromTicks: number, toTicks: number): string {
  if (fromTicks === 0) return '0.000';
  const num = BigInt(toTicks - fromTicks) * 100_000n;
  const den = BigInt(fromTicks);
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (abs * 2n + den) / (2n * den);
  const s = q.toString().padStart(4, '0');
  return `${neg && q !== 0n ? '-' : ''}${s.slice(0, -3)}.${s.slice(-3)}`;
}

/** Volume-weighted average price in quote units per whole base unit, as a price string. */
export function weightedAverage(quoteUnits: number, baseUnits: number): string {
  if (baseUnits === 0) return units(0);
  const avg = (BigInt(quoteUnits) * 100_000_000n) / BigInt(baseUnits);
  return units(Number(avg));
}

export interface BestLevels {
  readonly bid: readonly [number, number];
  readonly ask: readonly [number, number];
}

export function ticker(f: MarketFormat, eventMs: number, w: WindowStats, best: BestLevels): Record<string, unknown> {
  return {
    e: '24hrTicker', E: eventMs, s: f.symbol,
    p: f.price(w.closeTicks - w.openTicks), P: percentChange(w.openTicks, w.closeTicks),
    w: weightedAverage(w.quoteUnits, f.baseUnits(w.volumeLots)), x: f.price(w.prevCloseTicks),
    c: f.price(w.closeTicks), Q: f.qty(w.lastQtyLots),
    b: f.price(best.bid[0]), B: f.qty(best.bid[1]), a: f.price(best.ask[0]), A: f.qty(best.ask[1]),
    o: f.price(w.openTicks), h: f.price(w.highTicks), l: f.price(w.lowTicks), v: f.qty(w.volumeLots), q: units(w.quoteUnits),
    O: w.openTimeMs, C: w.closeTimeMs, F: w.firstTradeId, L: w.lastTradeId, n: w.trades,
  };
}

export function bookTicker(f: MarketFormat, updateId: number, best: BestLevels): Record<string, unknown> {
  return { u: updateId, s: f.symbol, b: f.price(best.bid[0]), B: f.qty(best.bid[1]), a: f.price(best.ask[0]), A: f.qty(best.ask[1]) };
}
