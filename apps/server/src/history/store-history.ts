import type { ExecType, OrderEvent, OrderStatus, OrderType, Side, StpMode, TimeInForce, TradeEvent } from '@matchbox/domain';
import type { SqlExecutor } from '@matchbox/store';
import type { Candle, OrderView, TimeRange, UserTrade } from './history.ts';
import { bucketStart } from './intervals.ts';

/**
 * The store's tables (packages/store, written by its Projector) read back in the gateway's own
 * integer-unit types, so that answers from the store and from `MemoryHistory` go through the same
 * formatting code. Slicing follows `MemoryHistory`: with a start (fromId / fromOrderId / startTime)
 * the first `limit` rows from there, otherwise the newest `limit`; always oldest first.
 */
export class StoreHistoryReader {
  constructor(private readonly db: SqlExecutor) {}

  /** The store's projector cursor: every command with seq ≤ this is in the tables. */
  async cursor(name = 'store'): Promise<number> {
    const rows = await this.db.query<{ seq: number }>('SELECT seq FROM projector_cursor WHERE name = $1', [name]);
    return rows[0]?.seq ?? 0;
  }

  async order(userId: number, symbol: string, orderId: number): Promise<OrderView | undefined> {
    const rows = await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.order_id = $1 AND o.user_id = $2 AND o.symbol = $3`, [orderId, userId, symbol]);
    return rows[0] === undefined ? undefined : orderView(rows[0]);
  }

  /** The newest order of this user (on `symbol` when given) with this client order id, open or closed. */
  async orderByClientId(userId: number, clientOrderId: string, symbol?: string): Promise<OrderView | undefined> {
    const rows = symbol === undefined
      ? await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.client_order_id = $2 ORDER BY o.order_id DESC LIMIT 1`, [userId, clientOrderId])
      : await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.symbol = $2 AND o.client_order_id = $3 ORDER BY o.order_id DESC LIMIT 1`,
        [userId, symbol, clientOrderId]);
    return rows[0] === undefined ? undefined : orderView(rows[0]);
  }

  async orders(userId: number, symbol: string, q: TimeRange & { fromOrderId?: number }): Promise<OrderView[]> {
    const asc = q.fromOrderId !== undefined || q.startTime !== undefined;
    const rows = await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.symbol = $2 AND o.order_id >= $3
      AND o.created_ts >= $4 AND o.created_ts <= $5 ORDER BY o.order_id ${asc ? 'ASC' : 'DESC'} LIMIT $6`,
    [userId, symbol, q.fromOrderId ?? 0, q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER, q.limit]);
    if (!asc) rows.reverse();
    return rows.map(orderView);
  }

  async userTrades(userId: number, symbol: string, q: TimeRange & { orderId?: number; fromId?: number }): Promise<UserTrade[]> {
    const asc = q.fromId !== undefined || q.startTime !== undefined;
    const params: (number | string)[] = [userId, symbol, q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER, q.fromId ?? 0];
    let where = 'user_id = $1 AND symbol = $2 AND ts >= $3 AND ts <= $4 AND trade_id >= $5';
    if (q.orderId !== undefined) { params.push(q.orderId); where += ` AND order_id = $${params.length}`; }
    params.push(q.limit);
    const rows = await this.db.query<UserTradeRow>(`SELECT trade_id, order_id, price_ticks, qty_lots, quote_units, commission_units,
      commission_asset, ts, is_buyer, is_maker FROM user_trades WHERE ${where}
      ORDER BY trade_id ${asc ? 'ASC' : 'DESC'}, is_buyer ${asc ? 'DESC' : 'ASC'} LIMIT $${params.length}`, params);
    if (!asc) rows.reverse();
    return rows.map((r) => ({
      symbol, id: r.trade_id, orderId: r.order_id, priceTicks: r.price_ticks, qtyLots: r.qty_lots, quoteUnits: r.quote_units,
      commissionUnits: r.commission_units, commissionAsset: r.commission_asset, time: r.ts, isBuyer: r.is_buyer, isMaker: r.is_maker,
    }));
  }

  async trades(symbol: string, q: TimeRange & { fromId?: number }): Promise<TradeEvent[]> {
    const asc = q.fromId !== undefined || q.startTime !== undefined;
    const rows = await this.db.query<TradeRow>(`SELECT trade_id, ts, price_ticks, qty_lots, quote_units, buyer_user_id, seller_user_id,
      buyer_order_id, seller_order_id, buyer_is_maker, buyer_fee_units, seller_fee_units FROM trades
      WHERE symbol = $1 AND trade_id >= $2 AND ts >= $3 AND ts <= $4 ORDER BY trade_id ${asc ? 'ASC' : 'DESC'} LIMIT $5`,
    [symbol, q.fromId ?? 0, q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER, q.limit]);
    if (!asc) rows.reverse();
    return rows.map((r) => ({
      type: 'trade', symbol, tradeId: r.trade_id, priceTicks: r.price_ticks, qtyLots: r.qty_lots, quoteUnits: r.quote_units,
      buyerUserId: r.buyer_user_id, sellerUserId: r.seller_user_id, buyerOrderId: r.buyer_order_id, sellerOrderId: r.seller_order_id,
      buyerIsMaker: r.buyer_is_maker, buyerFeeUnits: r.buyer_fee_units, sellerFeeUnits: r.seller_fee_units, ts: r.ts,
    }));
  }

  async klines(symbol: string, interval: string, q: TimeRange): Promise<Candle[]> {
    const asc = q.startTime !== undefined;
    const from = q.startTime === undefined ? 0 : bucketStart(interval, q.startTime);
    const rows = await this.db.query<CandleRow>(`SELECT open_time, open_ticks, high_ticks, low_ticks, close_ticks, volume_lots, quote_units,
      trades, taker_buy_lots, taker_buy_quote_units, first_trade_id, last_trade_id FROM candles
      WHERE symbol = $1 AND interval = $2 AND open_time >= $3 AND open_time <= $4 ORDER BY open_time ${asc ? 'ASC' : 'DESC'} LIMIT $5`,
    [symbol, interval, from, q.endTime ?? Number.MAX_SAFE_INTEGER, q.limit]);
    if (!asc) rows.reverse();
    return rows.map((r) => ({
      openTime: r.open_time, open: r.open_ticks, high: r.high_ticks, low: r.low_ticks, close: r.close_ticks,
      volumeLots: Number(r.volume_lots), quoteUnits: Number(r.quote_units), count: r.trades, takerBuyLots: Number(r.taker_buy_lots),
      takerBuyQuoteUnits: Number(r.taker_buy_quote_units), firstId: r.first_trade_id, lastId: r.last_trade_id,
    }));
  }
}

/** The order row joined with its last order event (the full `OrderEvent`, as MemoryHistory keeps it). */
const ORDER_SELECT = `SELECT e.user_id, e.symbol, e.order_id, e.client_order_id, e.side, e.order_type, e.time_in_force, e.stp_mode,
  e.price_ticks, e.stop_price_ticks, e.orig_qty_lots, e.orig_quote_units, e.exec_type, e.status, e.executed_lots, e.cum_quote_units,
  e.last_lots, e.last_price_ticks, e.last_quote_units, e.trade_id, e.is_maker, e.commission_units, e.commission_asset, e.is_working,
  e.created_ts, e.working_ts, e.prevented_match_id, e.prevented_lots, e.counter_order_id, o.update_ts
  FROM orders o JOIN order_events e ON e.seq = o.update_seq AND e.idx = o.update_idx`;

interface OrderRow {
  user_id: number; symbol: string; order_id: number; client_order_id: string; side: string; order_type: string; time_in_force: string;
  stp_mode: string; price_ticks: number; stop_price_ticks: number; orig_qty_lots: number; orig_quote_units: number; exec_type: string;
  status: string; executed_lots: number; cum_quote_units: number; last_lots: number; last_price_ticks: number; last_quote_units: number;
  trade_id: number; is_maker: boolean; commission_units: number; commission_asset: string; is_working: boolean; created_ts: number;
  working_ts: number; prevented_match_id: number; prevented_lots: number; counter_order_id: number; update_ts: number;
}

interface UserTradeRow {
  trade_id: number; order_id: number; price_ticks: number; qty_lots: number; quote_units: number; commission_units: number;
  commission_asset: string; ts: number; is_buyer: boolean; is_maker: boolean;
}

interface TradeRow {
  trade_id: number; ts: number; price_ticks: number; qty_lots: number; quote_units: number; buyer_user_id: number; seller_user_id: number;
  buyer_order_id: number; seller_order_id: number; buyer_is_maker: boolean; buyer_fee_units: number; seller_fee_units: number;
}

interface CandleRow {
  open_time: number; open_ticks: number; high_ticks: number; low_ticks: number; close_ticks: number; volume_lots: string;
  quote_units: string; trades: number; taker_buy_lots: string; taker_buy_quote_units: string; first_trade_id: number; last_trade_id: number;
}

function orderView(r: OrderRow): OrderView {
  const last: OrderEvent = {
    type: 'order', userId: r.user_id, symbol: r.symbol, orderId: r.order_id, clientOrderId: r.client_order_id, side: r.side as Side,
    orderType: r.order_type as OrderType, timeInForce: r.time_in_force as TimeInForce, stpMode: r.stp_mode as StpMode,
    priceTicks: r.price_ticks, stopPriceTicks: r.stop_price_ticks, origQtyLots: r.orig_qty_lots, origQuoteUnits: r.orig_quote_units,
    execType: r.exec_type as ExecType, status: r.status as OrderStatus, executedLots: r.executed_lots, cumQuoteUnits: r.cum_quote_units,
    lastLots: r.last_lots, lastPriceTicks: r.last_price_ticks, lastQuoteUnits: r.last_quote_units, tradeId: r.trade_id,
    isMaker: r.is_maker, commissionUnits: r.commission_units, commissionAsset: r.commission_asset, isWorking: r.is_working,
    createdTs: r.created_ts, workingTs: r.working_ts, preventedMatchId: r.prevented_match_id, preventedLots: r.prevented_lots,
    counterOrderId: r.counter_order_id,
  };
  return { last, updateTime: r.update_ts, workingTime: r.working_ts };
}
