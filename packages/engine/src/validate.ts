import { productIsSafe, type ErrorName, type PlaceOrderFields } from '@matchbox/domain';
import {
  F_BY_QUOTE, ORDER_TYPE_CODES, SELL, STP_CODES, TIF_CODES, T_LIMIT_MAKER, T_STOP_LOSS, T_STOP_LOSS_LIMIT,
  hasLimitPrice, isStopType, packFlags,
} from './book/order.ts';
import type { MarketState } from './market-state.ts';

/** A place-order command checked against the market's filters, with its flags packed. */
export interface CheckedOrder {
  readonly flags: number;
  readonly type: number;
  readonly priceTicks: number;
  readonly stopPriceTicks: number;
  /** Lots, or quote units when BY_QUOTE. */
  readonly origLots: number;
  readonly clientOrderId: string;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Stop orders that trigger when the price rises to the stop (else when it falls). */
export function triggersOnRise(type: number, side: number): boolean {
  const stopLoss = type === T_STOP_LOSS || type === T_STOP_LOSS_LIMIT;
  return stopLoss ? side !== SELL : side === SELL;
}

/**
 * Checks the filters of Binance (PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL) and the shape
 * of the order. Account-dependent checks (funds, MAX_NUM_ORDERS, duplicates) are the caller's.
 */
export function checkOrder(ms: MarketState, f: PlaceOrderFields): CheckedOrder | ErrorName {
  const m = ms.market;
  const side = f.side === 'BUY' ? 0 : f.side === 'SELL' ? SELL : -1;
  if (side < 0) return 'INVALID_SIDE';
  const type = ORDER_TYPE_CODES.indexOf(f.type);
  if (type < 0) return 'INVALID_ORDER_TYPE';
  const stpName = f.stpMode ?? m.defaultStpMode;
  const stp = STP_CODES.indexOf(stpName);
  if (stp < 0 || !m.allowedStpModes.includes(stpName)) return 'INVALID_STP_MODE';
  const clientOrderId = f.clientOrderId ?? '';
  if (typeof clientOrderId !== 'string' || clientOrderId.length > 36) return 'INVALID_PARAMETER';
  const priceTicks = f.priceTicks ?? 0;
  const qtyLots = f.qtyLots ?? 0;
  const quoteUnits = f.quoteQtyUnits ?? 0;
  const stopPriceTicks = f.stopPriceTicks ?? 0;
  if (!isCount(priceTicks) || !isCount(qtyLots) || !isCount(quoteUnits) || !isCount(stopPriceTicks)) return 'INVALID_PARAMETER';

  let tif = 0;
  let flags: number;
  let origLots = qtyLots;
  if (hasLimitPrice(type)) {
    if (type === T_LIMIT_MAKER) {
      if (f.timeInForce !== undefined && f.timeInForce !== 'GTC') return 'TIF_NOT_REQUIRED';
    } else {
      if (f.timeInForce === undefined) return 'MANDATORY_PARAM_EMPTY_OR_MALFORMED';
      tif = TIF_CODES.indexOf(f.timeInForce);
      if (tif < 0) return 'INVALID_TIF';
    }
    if (quoteUnits !== 0) return 'PARAM_NOT_REQUIRED';
    if (priceTicks < m.minPriceTicks || priceTicks > m.maxPriceTicks) return 'FILTER_PRICE';
    if (qtyLots < m.minQtyLots || qtyLots > m.maxQtyLots) return 'FILTER_LOT_SIZE';
    if (!productIsSafe(priceTicks, qtyLots) || !productIsSafe(priceTicks * qtyLots, m.quotePerTickLot)) return 'FILTER_NOTIONAL';
    const notional = priceTicks * qtyLots * m.quotePerTickLot;
    if (notional < m.minNotionalUnits || notional > m.maxNotionalUnits) return 'FILTER_NOTIONAL';
    flags = packFlags(m.index, side, type, tif, stp);
  } else {
    if (f.timeInForce !== undefined) return 'TIF_NOT_REQUIRED';
    if (priceTicks !== 0) return 'PARAM_NOT_REQUIRED';
    if ((qtyLots === 0) === (quoteUnits === 0)) return 'MANDATORY_PARAM_EMPTY_OR_MALFORMED';
    flags = packFlags(m.index, side, type, 0, stp);
    if (qtyLots !== 0) {
      if (qtyLots < m.minQtyLots || qtyLots > m.maxQtyLots) return 'FILTER_MARKET_LOT_SIZE';
    } else {
      if (quoteUnits < m.minNotionalUnits || quoteUnits > m.maxNotionalUnits) return 'FILTER_NOTIONAL';
      origLots = quoteUnits;
      flags |= F_BY_QUOTE;
    }
  }
  if (isStopType(type)) {
    if (stopPriceTicks < m.minPriceTicks || stopPriceTicks > m.maxPriceTicks) return 'INVALID_STOP_PRICE';
    const last = ms.lastPriceTicks;
    if (last !== 0 && (triggersOnRise(type, side) ? last >= stopPriceTicks : last <= stopPriceTicks)) return 'WOULD_TRIGGER';
  } else if (stopPriceTicks !== 0) {
    return 'PARAM_NOT_REQUIRED';
  }
  return { flags, type, priceTicks, stopPriceTicks, origLots, clientOrderId };
}
