import {
  CLIENT_ORDER_ID_RE, ORDER_TYPES, STP_MODES, TIME_IN_FORCE, productIsSafe,
  type ErrorName, type Market, type OrderType, type PlaceOrderFields, type Side, type StpMode, type TimeInForce,
} from '@matchbox/domain';
import { randomFillSync } from 'node:crypto';
import { ApiError, illegal, notRequired } from './api-error.ts';
import { decimalUnits, type Params } from './params.ts';

export type RespType = 'ACK' | 'RESULT' | 'FULL';
export const RESP_TYPES: readonly RespType[] = ['ACK', 'RESULT', 'FULL'];
const CLIENT_ID_LEGAL = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';

export interface NewOrder {
  readonly fields: PlaceOrderFields;
  readonly respType: RespType;
}

const WITH_PRICE: readonly OrderType[] = ['LIMIT', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'];
const WITH_STOP: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];

const ID_BYTES = 16;
/** Random bytes for 256 ids, drawn at once: one call into the CSPRNG per 256 orders, not per order. */
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolAt = idPool.length;

/** Binance-style random client order id (22 chars: 16 random bytes, base64url), so every logged order has one. */
export function newClientOrderId(): string {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const id = idPool.toString('base64url', idPoolAt, idPoolAt + ID_BYTES);
  idPoolAt += ID_BYTES;
  return id;
}

export function clientOrderIdParam(p: Params, name: string): string | undefined {
  const v = p.optional(name);
  if (v !== undefined && !CLIENT_ORDER_ID_RE.test(v)) throw illegal(name, CLIENT_ID_LEGAL);
  return v;
}

/**
 * Reads and checks a new order's parameters: types, decimals (through the domain codec) and
 * every stateless filter (PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL, stop price range),
 * so that input the engine would reject for its shape never reaches the command log. The
 * account-dependent checks (funds, MAX_NUM_ORDERS, would-take, would-trigger) are the engine's.
 */
export function parseNewOrder(p: Params, m: Market, userId: number): NewOrder {
  const side = p.oneOf<Side>('side', ['BUY', 'SELL'], () => new ApiError('INVALID_SIDE'));
  if (side === undefined) p.required('side');
  const type = p.oneOf<OrderType>('type', ORDER_TYPES, () => new ApiError('INVALID_ORDER_TYPE'));
  if (type === undefined) p.required('type');
  const tif = p.oneOf<TimeInForce>('timeInForce', TIME_IN_FORCE, () => new ApiError('INVALID_TIF'));
  const stp = p.oneOf<StpMode>('selfTradePreventionMode', STP_MODES, () => new ApiError('INVALID_STP_MODE'));
  if (stp !== undefined && !m.allowedStpModes.includes(stp)) throw new ApiError('INVALID_STP_MODE');
  const respType = p.oneOf<RespType>('newOrderRespType', RESP_TYPES, () => new ApiError('INVALID_PARAMETER', 'Invalid newOrderRespType.'));
  const clientOrderId = clientOrderIdParam(p, 'newClientOrderId') ?? newClientOrderId();
  const priceText = p.optional('price');
  const qtyText = p.optional('quantity');
  const quoteText = p.optional('quoteOrderQty');
  const stopText = p.optional('stopPrice');
  const t = type!;

  // Errors by name, built only when thrown (the valid case builds none).
  const ticks = (name: string, text: string, err: ErrorName): number => {
    const u = decimalUnits(name, text, () => new ApiError(err));
    if (u % m.tickUnits !== 0) throw new ApiError(err);
    const n = u / m.tickUnits;
    if (n < m.minPriceTicks || n > m.maxPriceTicks) throw new ApiError(err);
    return n;
  };
  const lots = (err: ErrorName): number => {
    const u = decimalUnits('quantity', qtyText!, () => new ApiError(err));
    if (u % m.lotUnits !== 0) throw new ApiError(err);
    const n = u / m.lotUnits;
    if (n < m.minQtyLots || n > m.maxQtyLots) throw new ApiError(err);
    return n;
  };

  let priceTicks = 0;
  let qtyLots = 0;
  let quoteQtyUnits = 0;
  let stopPriceTicks = 0;
  if (WITH_PRICE.includes(t)) {
    if (t === 'LIMIT_MAKER') {
      if (tif !== undefined && tif !== 'GTC') throw new ApiError('TIF_NOT_REQUIRED');
    } else if (tif === undefined) {
      p.required('timeInForce');
    }
    if (quoteText !== undefined) throw notRequired('quoteOrderQty');
    if (priceText === undefined) p.required('price');
    if (qtyText === undefined) p.required('quantity');
    priceTicks = ticks('price', priceText!, 'FILTER_PRICE');
    qtyLots = lots('FILTER_LOT_SIZE');
    if (!productIsSafe(priceTicks, qtyLots) || !productIsSafe(priceTicks * qtyLots, m.quotePerTickLot)) throw new ApiError('FILTER_NOTIONAL');
    const notional = priceTicks * qtyLots * m.quotePerTickLot;
    if (notional < m.minNotionalUnits || notional > m.maxNotionalUnits) throw new ApiError('FILTER_NOTIONAL');
  } else {
    if (tif !== undefined) throw new ApiError('TIF_NOT_REQUIRED');
    if (priceText !== undefined) throw notRequired('price');
    if (qtyText !== undefined && quoteText !== undefined) throw notRequired('quoteOrderQty');
    if (qtyText === undefined && quoteText === undefined) {
      throw new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    }
    if (qtyText !== undefined) {
      qtyLots = lots('FILTER_MARKET_LOT_SIZE');
    } else {
      quoteQtyUnits = decimalUnits('quoteOrderQty', quoteText!, () => new ApiError('FILTER_NOTIONAL'));
      if (quoteQtyUnits < m.minNotionalUnits || quoteQtyUnits > m.maxNotionalUnits) throw new ApiError('FILTER_NOTIONAL');
    }
  }
  if (WITH_STOP.includes(t)) {
    if (stopText === undefined) p.required('stopPrice');
    stopPriceTicks = ticks('stopPrice', stopText!, 'INVALID_STOP_PRICE');
  } else if (stopText !== undefined) {
    throw notRequired('stopPrice');
  }
  const fields: PlaceOrderFields = {
    userId, symbol: m.symbol, side: side!, type: t, clientOrderId,
    ...(tif !== undefined && t !== 'LIMIT_MAKER' ? { timeInForce: tif } : {}),
    ...(priceTicks ? { priceTicks } : {}), ...(qtyLots ? { qtyLots } : {}),
    ...(quoteQtyUnits ? { quoteQtyUnits } : {}), ...(stopPriceTicks ? { stopPriceTicks } : {}),
    ...(stp !== undefined ? { stpMode: stp } : {}),
  };
  // Binance: MARKET and LIMIT answer FULL by default, every other type ACK.
  return { fields, respType: respType ?? (t === 'MARKET' || t === 'LIMIT' ? 'FULL' : 'ACK') };
}
