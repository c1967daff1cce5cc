import type { SqlExecutor } from '../driver/sql-driver.ts';
import { clampLimit, type MarketFormats } from './market-format.ts';

/** An order as Binance's GET order / allOrders / openOrders show it. */
export interface OrderView {
  symbol: string; orderId: number; orderListId: -1; clientOrderId: string; price: string; origQty: string; executedQty: string;
  cummulativeQuoteQty: string; status: string; timeInForce: string; type: string; side: string; stopPrice: string;
  icebergQty: string; time: number; updateTime: number; isWorking: boolean; workingTime: number; origQuoteOrderQty: string;
  selfTradePreventionMode: string;
}

interface OrderRow {
  order_id: number; symbol: string; client_order_id: string; side: string; order_type: string; time_in_force: string;
  stp_mode: string; price_ticks: number; stop_price_ticks: number; orig_qty_lots: number; orig_quote_units: number;
  status: string; is_working: boolean; executed_lots: number; cum_quote_units: number; created_ts: number; working_ts: number;
  update_ts: number;
}

const COLS = `order_id, symbol, client_order_id, side, order_type, time_in_force, stp_mode, price_ticks, stop_price_ticks,
  orig_qty_lots, orig_quote_units, status, is_working, executed_lots, cum_quote_units, created_ts, working_ts, update_ts`;

function view(formats: MarketFormats, r: OrderRow): OrderView {
  const f = formats.get(r.symbol);
  return {
    symbol: r.symbol, orderId: r.order_id, orderListId: -1, clientOrderId: r.client_order_id, price: f.price(r.price_ticks),
    origQty: f.qty(r.orig_qty_lots), executedQty: f.qty(r.executed_lots), cummulativeQuoteQty: f.amount(r.cum_quote_units),
    status: r.status, timeInForce: r.time_in_force, type: r.order_type, side: r.side, stopPrice: f.price(r.stop_price_ticks),
    icebergQty: f.qty(0), time: r.created_ts, updateTime: r.update_ts, isWorking: r.is_working, workingTime: r.working_ts,
    origQuoteOrderQty: f.amount(r.orig_quote_units), selfTradePreventionMode: r.stp_mode,
  };
}

export interface OrderLookup {
  readonly userId: number;
  readonly symbol: string;
  readonly orderId?: number;
  readonly clientOrderId?: string;
}

/**
 * GET order: by orderId, or by clientOrderId (the newest order of this user and symbol with it),
 * open or closed — so a retried newClientOrderId finds the order it already placed. Null when
 * there is none (or it belongs to another user or symbol).
 */
export async function findOrder(db: SqlExecutor, formats: MarketFormats, q: OrderLookup): Promise<OrderView | null> {
  formats.get(q.symbol);
  let rows: OrderRow[];
  if (q.orderId !== undefined) {
    rows = await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE order_id = $1 AND user_id = $2 AND symbol = $3`, [q.orderId, q.userId, q.symbol]);
  } else if (q.clientOrderId !== undefined) {
    rows = await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE user_id = $1 AND symbol = $2 AND client_order_id = $3
      ORDER BY order_id DESC LIMIT 1`, [q.userId, q.symbol, q.clientOrderId]);
  } else {
    throw new RangeError('findOrder needs orderId or clientOrderId');
  }
  return rows[0] === undefined ? null : view(formats, rows[0]);
}

export interface AllOrdersQuery {
  readonly userId: number;
  readonly symbol: string;
  readonly orderId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

/** GET allOrders, oldest first: from orderId up, else the newest `limit` (≤ 1000, default 500) in the time range. */
export async function allOrders(db: SqlExecutor, formats: MarketFormats, q: AllOrdersQuery): Promise<OrderView[]> {
  formats.get(q.symbol);
  const limit = clampLimit(q.limit, 500, 1000);
  const range = [q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER];
  const rows = q.orderId !== undefined
    ? await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE user_id = $1 AND symbol = $2 AND order_id >= $3
        AND created_ts >= $4 AND created_ts <= $5 ORDER BY order_id LIMIT $6`, [q.userId, q.symbol, q.orderId, range[0]!, range[1]!, limit])
    : (await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE user_id = $1 AND symbol = $2
        AND created_ts >= $3 AND created_ts <= $4 ORDER BY order_id DESC LIMIT $5`, [q.userId, q.symbol, range[0]!, range[1]!, limit])).reverse();
  return rows.map((r) => view(formats, r));
}

/** GET openOrders as of the projection (the gateway's engine view is fresher), oldest first. */
export async function openOrders(db: SqlExecutor, formats: MarketFormats, q: { userId: number; symbol?: string }): Promise<OrderView[]> {
  const rows = q.symbol !== undefined
    ? await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE user_id = $1 AND symbol = $2 AND is_open ORDER BY order_id`, [q.userId, q.symbol])
    : await db.query<OrderRow>(`SELECT ${COLS} FROM orders WHERE user_id = $1 AND is_open ORDER BY order_id`, [q.userId]);
  return rows.map((r) => view(formats, r));
}
