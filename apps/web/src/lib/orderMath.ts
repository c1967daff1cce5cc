/** Order-entry arithmetic: amounts for 25/50/75/100 %, order type choice, estimated total and fee. */
import type { MarketMeta, NewOrder, OrderType, Side, TimeInForce } from '../api/types.ts';
import { decimalsOf, divUnits, floorToStep, fromUnits, isDecimal, mulUnits, pctUnits, toUnits } from './decimal.ts';

export type Kind = 'limit' | 'market' | 'stop';
export type MarketBy = 'amount' | 'total';

export interface FormValues {
  side: Side;
  kind: Kind;
  marketBy: MarketBy;
  price: string;
  stopPrice: string;
  qty: string;
  total: string;
  tif: TimeInForce;
  postOnly: boolean;
}

/** Quantity (or quote total for market-by-total) that spends `pct` % of what is available. */
export function amountForPct(v: FormValues, meta: MarketMeta, free: { base: string; quote: string }, refPrice: string, pct: number): { qty?: string; total?: string } {
  const price = toUnits(v.kind === 'market' ? refPrice : v.price);
  const quoteDec = decimalsOf(meta.tickSize);
  if (v.side === 'BUY') {
    const spend = pctUnits(toUnits(free.quote), pct);
    if (v.kind === 'market' && v.marketBy === 'total') return { total: fromUnits(floorToStep(spend, meta.tickSize), quoteDec) };
    if (price === 0n) return {};
    return { qty: fromUnits(floorToStep(divUnits(spend, price), meta.stepSize), meta.qtyDecimals) };
  }
  const qty = floorToStep(pctUnits(toUnits(free.base), pct), meta.stepSize);
  if (v.kind === 'market' && v.marketBy === 'total') return { total: fromUnits(floorToStep(mulUnits(qty, price), meta.tickSize), quoteDec) };
  return { qty: fromUnits(qty, meta.qtyDecimals) };
}

/** Type for a stop-limit: a stop on the far side of the last price is a stop-loss, else a take-profit. */
export function stopType(side: Side, stop: string, last: string): OrderType {
  const above = Number(stop) > Number(last);
  return (side === 'BUY') === above ? 'STOP_LOSS_LIMIT' : 'TAKE_PROFIT_LIMIT';
}

export function buildOrder(v: FormValues, meta: MarketMeta, last: string): NewOrder {
  const base = { symbol: meta.symbol, side: v.side, newClientOrderId: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
  if (v.kind === 'market') {
    return v.marketBy === 'total' ? { ...base, type: 'MARKET', quoteOrderQty: v.total.trim() } : { ...base, type: 'MARKET', quantity: v.qty.trim() };
  }
  if (v.kind === 'stop') {
    return { ...base, type: stopType(v.side, v.stopPrice, last), timeInForce: 'GTC', quantity: v.qty.trim(), price: v.price.trim(), stopPrice: v.stopPrice.trim() };
  }
  if (v.postOnly) return { ...base, type: 'LIMIT_MAKER', quantity: v.qty.trim(), price: v.price.trim() };
  return { ...base, type: 'LIMIT', timeInForce: v.tif, quantity: v.qty.trim(), price: v.price.trim() };
}

/** What the form can say before sending: missing or non-numeric fields. The API judges the rest. */
export function localProblem(v: FormValues): string | undefined {
  const need = (label: string, s: string) => (s.trim() === '' ? `Enter ${label}.` : isDecimal(s) ? undefined : `${label[0]!.toUpperCase()}${label.slice(1)} must be a number.`);
  if (v.kind === 'market') return v.marketBy === 'total' ? need('a total', v.total) : need('an amount', v.qty);
  return (v.kind === 'stop' ? need('a stop price', v.stopPrice) : undefined) ?? need('a price', v.price) ?? need('an amount', v.qty);
}

export interface Estimate {
  total: number | undefined; // quote
  fee: number | undefined;
  feeAsset: string;
  approx: boolean;
}

export function estimate(v: FormValues, meta: MarketMeta, refPrice: string, fees: { maker: number; taker: number }): Estimate {
  const rate = v.kind === 'limit' && v.postOnly ? fees.maker : fees.taker;
  const price = Number(v.kind === 'market' ? refPrice : v.price);
  let qty = Number(v.qty);
  let total = price * qty;
  if (v.kind === 'market' && v.marketBy === 'total') {
    total = Number(v.total);
    qty = price > 0 ? total / price : NaN;
  }
  const ok = (n: number) => (Number.isFinite(n) && n > 0 ? n : undefined);
  // the fee is charged on what the order receives: base for a buy, quote for a sell
  return {
    total: ok(total),
    fee: v.side === 'BUY' ? ok(qty * rate) : ok(total * rate),
    feeAsset: v.side === 'BUY' ? meta.baseAsset : meta.quoteAsset,
    approx: v.kind === 'market',
  };
}
