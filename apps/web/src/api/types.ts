/** Shapes of the Binance-compatible REST surface (see shared/BINANCE-API.md), as the UI reads them. */

export interface Filter {
  filterType: string;
  minPrice?: string;
  maxPrice?: string;
  tickSize?: string;
  minQty?: string;
  maxQty?: string;
  stepSize?: string;
  minNotional?: string;
  maxNotional?: string;
  maxNumOrders?: number;
}

export interface SymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  baseAssetPrecision: number;
  quotePrecision: number;
  orderTypes: string[];
  filters: Filter[];
}

export interface ExchangeInfo {
  serverTime: number;
  symbols: SymbolInfo[];
}

/** A market with the filters the UI needs pulled out. */
export interface MarketMeta {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
  priceDecimals: number;
  qtyDecimals: number;
  orderTypes: string[];
}

export type Level = [price: string, qty: string];

export interface Depth {
  lastUpdateId: number;
  bids: Level[];
  asks: Level[];
}

export interface Trade {
  id: number;
  price: string;
  qty: string;
  quoteQty: string;
  time: number;
  isBuyerMaker: boolean;
}

export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

export interface Candle {
  time: number; // open time, ms
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Ticker24h {
  symbol: string;
  priceChange: string;
  priceChangePercent: string;
  lastPrice: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  bidPrice?: string;
  askPrice?: string;
  count?: number;
}

export interface Balance {
  asset: string;
  free: string;
  locked: string;
}

export interface Account {
  makerCommission: number;
  takerCommission: number;
  canTrade: boolean;
  updateTime: number;
  balances: Balance[];
}

export type Side = 'BUY' | 'SELL';
export type OrderType =
  | 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus =
  | 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH' | 'PENDING_NEW';

export interface Order {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: Side;
  stopPrice?: string;
  time?: number;
  transactTime?: number;
  updateTime?: number;
  origQuoteOrderQty?: string;
}

export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderType;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  stopPrice?: string;
  timeInForce?: TimeInForce;
  newClientOrderId?: string;
}

export interface MyTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface Credentials {
  apiKey: string;
  secretKey: string;
}
