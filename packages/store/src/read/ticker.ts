import type { SqlExecutor } from '../driver/sql-driver.ts';
import { openTimeOf } from '../projector/intervals.ts';
import { formatBigUnits, type MarketFormat, type MarketFormats } from './market-format.ts';

/**
 * The trade-derived part of Binance's 24hr ticker. Book fields (bidPrice, bidQty, askPrice,
 * askQty) come from the engine's live book in the gateway. No `time` field (ccxt would take the
 * ticker for a futures one).
 */
export interface TradeTicker {
  symbol: string;
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  prevClosePrice: string;
  lastPrice: string;
  lastQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

const DAY_MS = 86_400_000;

interface WindowRow {
  n: number; open_ticks: number | null; high_ticks: number | null; low_ticks: number | null;
  vol: string | null; qv: string | null; cnt: number | null; first_id: number | null; last_id: number | null;
}

/**
 * The rolling 24-hour ticker at `nowMs`, from 1-minute candles: the window starts at the minute
 * holding now − 24 h, like Binance's rolling windows (precise to a minute).
 */
export async function ticker24h(db: SqlExecutor, formats: MarketFormats, symbol: string, nowMs: number): Promise<TradeTicker> {
  const f = formats.get(symbol);
  const start = openTimeOf('1m', nowMs - DAY_MS);
  const [w] = await db.query<WindowRow>(`SELECT count(*)::bigint AS n,
      (array_agg(open_ticks ORDER BY open_time))[1] AS open_ticks, max(high_ticks) AS high_ticks, min(low_ticks) AS low_ticks,
      sum(volume_lots) AS vol, sum(quote_units) AS qv, sum(trades)::bigint AS cnt,
      min(first_trade_id) AS first_id, max(last_trade_id) AS last_id
    FROM candles WHERE symbol = $1 AND interval = '1m' AND open_time >= $2 AND open_time <= $3`, [symbol, start, nowMs]);
  const [last] = await db.query<{ price_ticks: number; qty_lots: number }>(
    'SELECT price_ticks, qty_lots FROM trades WHERE symbol = $1 AND ts <= $2 ORDER BY trade_id DESC LIMIT 1', [symbol, nowMs]);
  const [prev] = await db.query<{ close_ticks: number }>(`SELECT close_ticks FROM candles
    WHERE symbol = $1 AND interval = '1m' AND open_time < $2 ORDER BY open_time DESC LIMIT 1`, [symbol, start]);
  const lastTicks = last?.price_ticks ?? 0;
  const base = { symbol, lastPrice: f.price(lastTicks), lastQty: f.qty(last?.qty_lots ?? 0), prevClosePrice: f.price(prev?.close_ticks ?? 0), openTime: nowMs - DAY_MS, closeTime: nowMs };
  if (w === undefined || w.n === 0) {
    const zero = f.price(0);
    return { ...base, priceChange: zero, priceChangePercent: '0.000', weightedAvgPrice: zero, openPrice: zero, highPrice: zero,
      lowPrice: zero, volume: f.qty(0), quoteVolume: f.amount(0), firstId: -1, lastId: -1, count: 0 };
  }
  const openTicks = w.open_ticks!;
  return {
    ...base,
    priceChange: f.price(lastTicks - openTicks),
    priceChangePercent: formatBigUnits((BigInt(lastTicks - openTicks) * 100_000n) / BigInt(openTicks), 3),
    weightedAvgPrice: weightedAverage(f, w.qv!, w.vol!),
    openPrice: f.price(openTicks), highPrice: f.price(w.high_ticks!), lowPrice: f.price(w.low_ticks!),
    volume: f.qtySum(w.vol!), quoteVolume: f.amountSum(w.qv!),
    firstId: w.first_id!, lastId: w.last_id!, count: w.cnt!,
  };
}

/** quoteVolume / volume at 8 decimals, rounded down, in exact integer arithmetic. */
function weightedAverage(f: MarketFormat, quoteUnits: string, volumeLots: string): string {
  const baseUnits = BigInt(volumeLots) * BigInt(f.market.lotUnits);
  if (baseUnits === 0n) return formatBigUnits(0n, 8);
  return formatBigUnits((BigInt(quoteUnits) * 100_000_000n) / baseUnits, 8);
}
