import type { SqlExecutor } from '../driver/sql-driver.ts';
import { isInterval } from '../projector/intervals.ts';
import { clampLimit, type MarketFormats } from './market-format.ts';

/** Binance kline row: [openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, "0"]. */
export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, '0'];

export interface KlinesQuery {
  readonly symbol: string;
  readonly interval: string;
  readonly limit?: number;
  readonly startTime?: number;
  readonly endTime?: number;
}

interface CandleRow {
  open_time: number; close_time: number; open_ticks: number; high_ticks: number; low_ticks: number; close_ticks: number;
  volume_lots: string; quote_units: string; trades: number; taker_buy_lots: string; taker_buy_quote_units: string;
}

const COLS = `open_time, close_time, open_ticks, high_ticks, low_ticks, close_ticks, volume_lots, quote_units, trades,
  taker_buy_lots, taker_buy_quote_units`;

/**
 * Stored klines, oldest first (limit ≤ 1000, default 500). With startTime: the first `limit`
 * candles opening at or after it (and at or before endTime); otherwise the newest `limit` up to
 * endTime. Intervals without trades have no candle. The still-open candle may lag the engine by
 * the projection delay; the gateway overlays the live one from memory.
 */
export async function klines(db: SqlExecutor, formats: MarketFormats, q: KlinesQuery): Promise<KlineRow[]> {
  if (!isInterval(q.interval)) throw new RangeError(`invalid interval ${q.interval}`);
  const f = formats.get(q.symbol);
  const limit = clampLimit(q.limit, 500, 1000);
  const end = q.endTime ?? Number.MAX_SAFE_INTEGER;
  const rows = q.startTime !== undefined
    ? await db.query<CandleRow>(`SELECT ${COLS} FROM candles WHERE symbol = $1 AND interval = $2 AND open_time >= $3 AND open_time <= $4
        ORDER BY open_time LIMIT $5`, [q.symbol, q.interval, q.startTime, end, limit])
    : (await db.query<CandleRow>(`SELECT ${COLS} FROM candles WHERE symbol = $1 AND interval = $2 AND open_time <= $3
        ORDER BY open_time DESC LIMIT $4`, [q.symbol, q.interval, end, limit])).reverse();
  return rows.map((r) => [
    r.open_time, f.price(r.open_ticks), f.price(r.high_ticks), f.price(r.low_ticks), f.price(r.close_ticks),
    f.qtySum(r.volume_lots), r.close_time, f.amountSum(r.quote_units), r.trades, f.qtySum(r.taker_buy_lots),
    f.amountSum(r.taker_buy_quote_units), '0',
  ]);
}
