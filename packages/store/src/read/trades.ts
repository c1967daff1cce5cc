import type { SqlExecutor } from '../driver/sql-driver.ts';
import { clampLimit, type MarketFormats } from './market-format.ts';

export interface PublicTrade {
  id: number; price: string; qty: string; quoteQty: string; time: number; isBuyerMaker: boolean; isBestMatch: true;
}

export interface AggTrade { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: true }

interface TradeRow { trade_id: number; price_ticks: number; qty_lots: number; quote_units: number; ts: number; buyer_is_maker: boolean }

/** GET trades (newest `limit`, ≤ 1000, default 500) or historicalTrades (from `fromId` up), oldest first. */
export async function recentTrades(db: SqlExecutor, formats: MarketFormats, q: { symbol: string; limit?: number; fromId?: number }): Promise<PublicTrade[]> {
  const f = formats.get(q.symbol);
  const limit = clampLimit(q.limit, 500, 1000);
  const cols = 'trade_id, price_ticks, qty_lots, quote_units, ts, buyer_is_maker';
  const rows = q.fromId !== undefined
    ? await db.query<TradeRow>(`SELECT ${cols} FROM trades WHERE symbol = $1 AND trade_id >= $2 ORDER BY trade_id LIMIT $3`, [q.symbol, q.fromId, limit])
    : (await db.query<TradeRow>(`SELECT ${cols} FROM trades WHERE symbol = $1 ORDER BY trade_id DESC LIMIT $2`, [q.symbol, limit])).reverse();
  return rows.map((r) => ({
    id: r.trade_id, price: f.price(r.price_ticks), qty: f.qty(r.qty_lots), quoteQty: f.amount(r.quote_units), time: r.ts,
    isBuyerMaker: r.buyer_is_maker, isBestMatch: true,
  }));
}

export interface AggTradesQuery { symbol: string; limit?: number; fromId?: number; startTime?: number; endTime?: number }

interface AggRow { agg_id: number; last_trade_id: number; ts: number; price_ticks: number; qty_lots: number; buyer_is_maker: boolean }

/**
 * GET aggTrades, oldest first: from `fromId`, or within [startTime, endTime], or the newest
 * `limit` (≤ 1000, default 500). The aggregate id `a` is the id of its first trade.
 */
export async function aggTrades(db: SqlExecutor, formats: MarketFormats, q: AggTradesQuery): Promise<AggTrade[]> {
  const f = formats.get(q.symbol);
  const limit = clampLimit(q.limit, 500, 1000);
  const cols = 'agg_id, last_trade_id, ts, price_ticks, qty_lots, buyer_is_maker';
  let rows: AggRow[];
  if (q.fromId !== undefined) {
    rows = await db.query<AggRow>(`SELECT ${cols} FROM agg_trades WHERE symbol = $1 AND agg_id >= $2 ORDER BY agg_id LIMIT $3`, [q.symbol, q.fromId, limit]);
  } else if (q.startTime !== undefined || q.endTime !== undefined) {
    rows = await db.query<AggRow>(`SELECT ${cols} FROM agg_trades WHERE symbol = $1 AND ts >= $2 AND ts <= $3 ORDER BY agg_id LIMIT $4`,
      [q.symbol, q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER, limit]);
  } else {
    rows = (await db.query<AggRow>(`SELECT ${cols} FROM agg_trades WHERE symbol = $1 ORDER BY agg_id DESC LIMIT $2`, [q.symbol, limit])).reverse();
  }
  return rows.map((r) => ({
    a: r.agg_id, p: f.price(r.price_ticks), q: f.qty(r.qty_lots), f: r.agg_id, l: r.last_trade_id, T: r.ts, m: r.buyer_is_maker, M: true,
  }));
}
