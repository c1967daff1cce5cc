/// <reference lib="dom" />
/**
 * Typed client for the Binance-compatible /api/v3 surface. Public calls need nothing; private
 * calls are signed with HMAC-SHA256 over the exact query string and body (WebCrypto).
 */
import { request } from './http.ts';
import { hmacHex, toQuery } from './sign.ts';
import type {
  Account, Credentials, Depth, ExchangeInfo, KlineRow, MarketMeta, MyTrade, NewOrder, Order, SymbolInfo, Ticker24h, Trade,
} from './types.ts';
import { decimalsOf } from '../lib/decimal.ts';

interface AggTrade {
  a: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

type Params = Record<string, string | number | boolean | undefined>;

let clockOffset = 0;

/** Aligns signed timestamps with the server clock (GET /api/v3/time). */
export async function syncClock(): Promise<void> {
  const t0 = Date.now();
  const { serverTime } = await request<{ serverTime: number }>('GET', '/api/v3/time');
  const t1 = Date.now();
  clockOffset = serverTime - Math.round((t0 + t1) / 2);
}

/** Now on the server's clock (for signed timestamps). */
export function serverNow(): number {
  return Date.now() + clockOffset;
}

function pub<T>(path: string, params: Params = {}): Promise<T> {
  const q = toQuery(params);
  return request<T>('GET', `/api/v3/${path}${q ? `?${q}` : ''}`);
}

async function signed<T>(creds: Credentials, method: 'GET' | 'POST' | 'DELETE', path: string, params: Params = {}): Promise<T> {
  const all: Params = { ...params, recvWindow: 10_000, timestamp: serverNow() };
  const headers: Record<string, string> = { 'X-MBX-APIKEY': creds.apiKey };
  if (method === 'POST') {
    const body = toQuery(all);
    const signature = await hmacHex(creds.secretKey, body);
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return request<T>(method, `/api/v3/${path}`, { body: `${body}&signature=${signature}`, headers });
  }
  const q = toQuery(all);
  const signature = await hmacHex(creds.secretKey, q);
  return request<T>(method, `/api/v3/${path}?${q}&signature=${signature}`, { headers });
}

export function toMeta(s: SymbolInfo): MarketMeta {
  const f = (type: string) => s.filters.find((x) => x.filterType === type);
  const tickSize = f('PRICE_FILTER')?.tickSize ?? '0.01';
  const stepSize = f('LOT_SIZE')?.stepSize ?? '0.00001';
  return {
    symbol: s.symbol, baseAsset: s.baseAsset, quoteAsset: s.quoteAsset, tickSize, stepSize,
    minQty: f('LOT_SIZE')?.minQty ?? stepSize,
    minNotional: f('NOTIONAL')?.minNotional ?? f('MIN_NOTIONAL')?.minNotional ?? '0',
    priceDecimals: decimalsOf(tickSize), qtyDecimals: decimalsOf(stepSize), orderTypes: s.orderTypes,
  };
}

export const market = {
  exchangeInfo: () => pub<ExchangeInfo>('exchangeInfo'),
  depth: (symbol: string, limit = 1000) => pub<Depth>('depth', { symbol, limit }),
  trades: (symbol: string, limit = 60) => pub<Trade[]>('trades', { symbol, limit }),
  /** Same trades, cheaper (weight 2 vs 25): what polling uses. */
  aggTrades: async (symbol: string, limit = 60): Promise<Trade[]> =>
    (await pub<AggTrade[]>('aggTrades', { symbol, limit })).map((a) => ({ id: a.a, price: a.p, qty: a.q, quoteQty: '', time: a.T, isBuyerMaker: a.m })),
  klines: (symbol: string, interval: string, limit = 500) => pub<KlineRow[]>('klines', { symbol, interval, limit }),
  tickers: () => pub<Ticker24h[]>('ticker/24hr'),
};

export const trading = {
  account: (c: Credentials) => signed<Account>(c, 'GET', 'account'),
  placeOrder: (c: Credentials, o: NewOrder) => signed<Order>(c, 'POST', 'order', { ...o, newOrderRespType: 'FULL' }),
  cancelOrder: (c: Credentials, symbol: string, orderId: number) => signed<Order>(c, 'DELETE', 'order', { symbol, orderId }),
  cancelAll: (c: Credentials, symbol: string) => signed<Order[]>(c, 'DELETE', 'openOrders', { symbol }),
  openOrders: (c: Credentials, symbol?: string) => signed<Order[]>(c, 'GET', 'openOrders', { symbol }),
  allOrders: (c: Credentials, symbol: string, limit = 50) => signed<Order[]>(c, 'GET', 'allOrders', { symbol, limit }),
  myTrades: (c: Credentials, symbol: string, limit = 50) => signed<MyTrade[]>(c, 'GET', 'myTrades', { symbol, limit }),
};
