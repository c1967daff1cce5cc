import type { EngineEvent, MarketConfig, TradeEvent } from '@matchbox/domain';
import { addTrade, newCandle, type Candle } from '../projector/candle-accumulator.ts';
import { INTERVALS, openTimeOf, type Interval } from '../projector/intervals.ts';
import type { KlineRow } from '../read/klines.ts';
import { formatBigUnits, MarketFormats, type MarketFormat } from '../read/market-format.ts';
import type { TradeTicker } from '../read/ticker.ts';

const DAY_MS = 86_400_000;
/** 1-minute buckets kept for the rolling window: a day and the minute before it. */
const MINUTES_KEPT = 1442;

interface SymbolState {
  readonly current: Map<Interval, Candle>;
  /** 1-minute candles by open time, oldest first (insertion order), pruned past a day. */
  readonly minutes: Map<number, Candle>;
  lastTrade: TradeEvent | null;
}

/**
 * The live parts of market data, fed by the same events as the projector, in log order: the
 * still-open candle of every interval and the rolling 24h ticker. It agrees with the store's read
 * models for the same events (a test checks it) and is ahead of them by the projection lag.
 * Memory is bounded: 16 candles and ≤ 1442 minute buckets per symbol.
 */
export class LiveMarketData {
  private readonly formats: MarketFormats;
  private readonly symbols = new Map<string, SymbolState>();

  constructor(markets: readonly MarketConfig[]) {
    this.formats = new MarketFormats(markets);
    for (const m of markets) this.symbols.set(m.symbol, { current: new Map(), minutes: new Map(), lastTrade: null });
  }

  /** Feeds the events of one command (or of many, in order). */
  apply(events: readonly EngineEvent[]): void {
    for (const e of events) if (e.type === 'trade') this.addTrade(e);
  }

  private addTrade(t: TradeEvent): void {
    const s = this.symbols.get(t.symbol);
    if (s === undefined) return;
    for (const interval of INTERVALS) {
      const openTime = openTimeOf(interval, t.ts);
      let c = s.current.get(interval);
      if (c === undefined || c.openTime !== openTime) {
        c = newCandle(t.symbol, interval, openTime, t);
        s.current.set(interval, c);
        if (interval === '1m') this.keepMinute(s, c);
      }
      addTrade(c, t);
    }
    s.lastTrade = t;
  }

  private keepMinute(s: SymbolState, c: Candle): void {
    s.minutes.set(c.openTime, c);
    while (s.minutes.size > MINUTES_KEPT) s.minutes.delete(s.minutes.keys().next().value!);
  }

  /** The newest candle of `interval` as a Binance kline row, or null before the first trade. */
  kline(symbol: string, interval: Interval): KlineRow | null {
    const f = this.formats.get(symbol);
    const c = this.symbols.get(symbol)?.current.get(interval);
    if (c === undefined) return null;
    return [c.openTime, f.price(c.openTicks), f.price(c.highTicks), f.price(c.lowTicks), f.price(c.closeTicks),
      f.qtySum(c.volumeLots.toString()), c.closeTime, f.amountSum(c.quoteUnits.toString()), c.trades,
      f.qtySum(c.takerBuyLots.toString()), f.amountSum(c.takerBuyQuoteUnits.toString()), '0'];
  }

  /** The rolling 24h ticker at `nowMs`, computed exactly like the store's (window of 1-minute candles). */
  ticker24h(symbol: string, nowMs: number): TradeTicker {
    const f = this.formats.get(symbol);
    const s = this.symbols.get(symbol)!;
    const start = openTimeOf('1m', nowMs - DAY_MS);
    const inWindow: Candle[] = [];
    let prev: Candle | undefined;
    for (const c of s.minutes.values()) {
      if (c.openTime < start) prev = c;
      else if (c.openTime <= nowMs) inWindow.push(c);
    }
    const last = s.lastTrade !== null && s.lastTrade.ts <= nowMs ? s.lastTrade : null;
    const lastTicks = last?.priceTicks ?? 0;
    const base = { symbol, lastPrice: f.price(lastTicks), lastQty: f.qty(last?.qtyLots ?? 0), prevClosePrice: f.price(prev?.closeTicks ?? 0), openTime: nowMs - DAY_MS, closeTime: nowMs };
    if (inWindow.length === 0) {
      const zero = f.price(0);
      return { ...base, priceChange: zero, priceChangePercent: '0.000', weightedAvgPrice: zero, openPrice: zero, highPrice: zero,
        lowPrice: zero, volume: f.qty(0), quoteVolume: f.amount(0), firstId: -1, lastId: -1, count: 0 };
    }
    const open = inWindow[0]!.openTicks;
    let high = -Infinity;
    let low = Infinity;
    let vol = 0n;
    let quote = 0n;
    let count = 0;
    for (const c of inWindow) {
      high = Math.max(high, c.highTicks);
      low = Math.min(low, c.lowTicks);
      vol += c.volumeLots;
      quote += c.quoteUnits;
      count += c.trades;
    }
    return {
      ...base,
      priceChange: f.price(lastTicks - open),
      priceChangePercent: formatBigUnits((BigInt(lastTicks - open) * 100_000n) / BigInt(open), 3),
      weightedAvgPrice: weightedAverage(f, quote, vol),
      openPrice: f.price(open), highPrice: f.price(high), lowPrice: f.price(low),
      volume: f.qtySum(vol.toString()), quoteVolume: f.amountSum(quote.toString()),
      firstId: inWindow[0]!.firstTradeId, lastId: inWindow[inWindow.length - 1]!.lastTradeId, count,
    };
  }
}

function weightedAverage(f: MarketFormat, quoteUnits: bigint, volumeLots: bigint): string {
  const baseUnits = volumeLots * BigInt(f.market.lotUnits);
  return formatBigUnits(baseUnits === 0n ? 0n : (quoteUnits * 100_000_000n) / baseUnits, 8);
}
