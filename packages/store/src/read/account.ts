import { ASSET_SCALE, formatUnits } from '@matchbox/domain';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { clampLimit, type MarketFormats } from './market-format.ts';

export interface MyTrade {
  symbol: string; id: number; orderId: number; orderListId: -1; price: string; qty: string; quoteQty: string; commission: string;
  commissionAsset: string; time: number; isBuyer: boolean; isMaker: boolean; isBestMatch: true;
}

export interface MyTradesQuery {
  readonly userId: number;
  readonly symbol: string;
  readonly orderId?: number;
  readonly fromId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

interface UserTradeRow {
  trade_id: number; order_id: number; price_ticks: number; qty_lots: number; quote_units: number; commission_units: number;
  commission_asset: string; ts: number; is_buyer: boolean; is_maker: boolean;
}

/**
 * GET myTrades, oldest first (limit ≤ 1000, default 500): from `fromId` up, else the newest in
 * [startTime, endTime]; `orderId` narrows to one order's fills. Both sides of a self-trade appear.
 */
export async function myTrades(db: SqlExecutor, formats: MarketFormats, q: MyTradesQuery): Promise<MyTrade[]> {
  const f = formats.get(q.symbol);
  const limit = clampLimit(q.limit, 500, 1000);
  const params: (number | string)[] = [q.userId, q.symbol, q.startTime ?? 0, q.endTime ?? Number.MAX_SAFE_INTEGER];
  let where = 'user_id = $1 AND symbol = $2 AND ts >= $3 AND ts <= $4';
  if (q.orderId !== undefined) { params.push(q.orderId); where += ` AND order_id = $${params.length}`; }
  const ascending = q.fromId !== undefined;
  if (ascending) { params.push(q.fromId!); where += ` AND trade_id >= $${params.length}`; }
  params.push(limit);
  const sql = `SELECT trade_id, order_id, price_ticks, qty_lots, quote_units, commission_units, commission_asset, ts, is_buyer, is_maker
    FROM user_trades WHERE ${where} ORDER BY trade_id ${ascending ? 'ASC' : 'DESC'}, is_buyer DESC LIMIT $${params.length}`;
  const rows = await db.query<UserTradeRow>(sql, params);
  if (!ascending) rows.reverse();
  return rows.map((r) => ({
    symbol: q.symbol, id: r.trade_id, orderId: r.order_id, orderListId: -1, price: f.price(r.price_ticks), qty: f.qty(r.qty_lots),
    quoteQty: f.amount(r.quote_units), commission: f.amount(r.commission_units), commissionAsset: r.commission_asset, time: r.ts,
    isBuyer: r.is_buyer, isMaker: r.is_maker, isBestMatch: true,
  }));
}

export interface BalanceView { asset: string; free: string; locked: string }

/** Balances as of the projection, by asset name (the gateway's engine view is fresher). */
export async function balances(db: SqlExecutor, userId: number): Promise<BalanceView[]> {
  const rows = await db.query<{ asset: string; free_units: number; locked_units: number }>(
    'SELECT asset, free_units, locked_units FROM balances WHERE user_id = $1 ORDER BY asset', [userId]);
  return rows.map((r) => ({ asset: r.asset, free: formatUnits(r.free_units, ASSET_SCALE), locked: formatUnits(r.locked_units, ASSET_SCALE) }));
}

export interface LedgerEntry { seq: number; time: number; asset: string; free: string; locked: string; deltaFree: string; deltaLocked: string; cause: string }

/** A user's balance changes, newest first, with the command that caused each. */
export async function ledger(db: SqlExecutor, q: { userId: number; asset?: string; beforeSeq?: number; limit?: number }): Promise<LedgerEntry[]> {
  const limit = clampLimit(q.limit, 100, 1000);
  const rows = await db.query<{ seq: number; ts: number; asset: string; free_units: number; locked_units: number; delta_free_units: number; delta_locked_units: number; cause: string }>(
    `SELECT seq, ts, asset, free_units, locked_units, delta_free_units, delta_locked_units, cause FROM balance_ledger
      WHERE user_id = $1 AND ($2::text IS NULL OR asset = $2) AND seq < $3 ORDER BY seq DESC, idx DESC LIMIT $4`,
    [q.userId, q.asset ?? null, q.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit]);
  const fmt = (u: number) => formatUnits(u, ASSET_SCALE);
  return rows.map((r) => ({
    seq: r.seq, time: r.ts, asset: r.asset, free: fmt(r.free_units), locked: fmt(r.locked_units),
    deltaFree: fmt(r.delta_free_units), deltaLocked: fmt(r.delta_locked_units), cause: r.cause,
  }));
}
