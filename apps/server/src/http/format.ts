import { ASSET_SCALE, formatUnits, type Market, type OrderEvent, type TradeEvent } from '@matchbox/domain';
import type { OrderView, UserTrade } from '../history/history.ts';

/**
 * Integer units → Binance JSON. Every price and quantity is a decimal string with the asset
 * scale's 8 decimals ("0.01000000"), like Binance's own answers.
 */
export const units = (u: number): string => formatUnits(u, ASSET_SCALE);
export const price = (m: Market, ticks: number): string => units(ticks * m.tickUnits);
export const qty = (m: Market, lots: number): string => units(lots * m.lotUnits);

/** The fields every order answer shares (RESULT). */
export function orderResult(m: Market, o: OrderEvent, transactTime: number, workingTime: number): Record<string, unknown> {
  return {
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime,
    price: price(m, o.priceTicks), origQty: qty(m, o.origQtyLots), executedQty: qty(m, o.executedLots),
    origQuoteOrderQty: units(o.origQuoteUnits), cummulativeQuoteQty: units(o.cumQuoteUnits),
    status: o.status, timeInForce: o.timeInForce, type: o.orderType, side: o.side,
    ...(o.stopPriceTicks !== 0 ? { stopPrice: price(m, o.stopPriceTicks) } : {}),
    workingTime, selfTradePreventionMode: o.stpMode,
    ...prevented(m, o),
  };
}

function prevented(m: Market, o: OrderEvent): Record<string, unknown> {
  return o.status === 'EXPIRED_IN_MATCH' && o.preventedMatchId !== 0
    ? { preventedMatchId: o.preventedMatchId, preventedQuantity: qty(m, o.preventedLots) } : {};
}

export function fill(m: Market, e: OrderEvent): Record<string, unknown> {
  return {
    price: price(m, e.lastPriceTicks), qty: qty(m, e.lastLots), commission: units(e.commissionUnits),
    commissionAsset: e.commissionAsset, tradeId: e.tradeId,
  };
}

/** GET order / openOrders / allOrders. */
export function orderInfo(m: Market, v: OrderView): Record<string, unknown> {
  const o = v.last;
  return {
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId,
    price: price(m, o.priceTicks), origQty: qty(m, o.origQtyLots), executedQty: qty(m, o.executedLots),
    cummulativeQuoteQty: units(o.cumQuoteUnits), status: o.status, timeInForce: o.timeInForce, type: o.orderType, side: o.side,
    stopPrice: price(m, o.stopPriceTicks), icebergQty: units(0), time: o.createdTs, updateTime: v.updateTime,
    isWorking: o.isWorking, workingTime: v.workingTime, origQuoteOrderQty: units(o.origQuoteUnits),
    selfTradePreventionMode: o.stpMode, ...prevented(m, o),
  };
}

/** DELETE order / openOrders entries. */
export function cancelResult(m: Market, o: OrderEvent, transactTime: number, cancelClientOrderId: string): Record<string, unknown> {
  return {
    symbol: o.symbol, origClientOrderId: o.clientOrderId, orderId: o.orderId, orderListId: -1, clientOrderId: cancelClientOrderId,
    transactTime, price: price(m, o.priceTicks), origQty: qty(m, o.origQtyLots), executedQty: qty(m, o.executedLots),
    origQuoteOrderQty: units(o.origQuoteUnits), cummulativeQuoteQty: units(o.cumQuoteUnits), status: o.status,
    timeInForce: o.timeInForce, type: o.orderType, side: o.side,
    ...(o.stopPriceTicks !== 0 ? { stopPrice: price(m, o.stopPriceTicks) } : {}),
    selfTradePreventionMode: o.stpMode,
  };
}

export function publicTrade(m: Market, t: TradeEvent): Record<string, unknown> {
  return {
    id: t.tradeId, price: price(m, t.priceTicks), qty: qty(m, t.qtyLots), quoteQty: units(t.quoteUnits), time: t.ts,
    isBuyerMaker: t.buyerIsMaker, isBestMatch: true,
  };
}

export function aggTrade(m: Market, t: TradeEvent): Record<string, unknown> {
  return { a: t.tradeId, p: price(m, t.priceTicks), q: qty(m, t.qtyLots), f: t.tradeId, l: t.tradeId, T: t.ts, m: t.buyerIsMaker, M: true };
}

export function myTrade(m: Market, t: UserTrade): Record<string, unknown> {
  return {
    symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: price(m, t.priceTicks), qty: qty(m, t.qtyLots),
    quoteQty: units(t.quoteUnits), commission: units(t.commissionUnits), commissionAsset: t.commissionAsset, time: t.time,
    isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true,
  };
}
