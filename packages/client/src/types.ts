/** Answers of the Binance-compatible REST API (BINANCE-API.md). Every price/quantity is a decimal string. */

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
export type StpMode = 'NONE' | 'EXPIRE_TAKER' | 'EXPIRE_MAKER' | 'EXPIRE_BOTH';
export type NewOrderRespType = 'ACK' | 'RESULT' | 'FULL';

export interface SymbolFilter {
  readonly filterType: string;
  readonly [field: string]: unknown;
}

export interface SymbolInfo {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly baseAssetPrecision: number;
  readonly quoteAssetPrecision: number;
  readonly orderTypes: readonly OrderType[];
  readonly filters: readonly SymbolFilter[];
}

export interface ExchangeInfo {
  readonly timezone: string;
  readonly serverTime: number;
  readonly symbols: readonly SymbolInfo[];
}

/** `[price, quantity]` */
export type Level = readonly [string, string];

export interface Depth {
  readonly lastUpdateId: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

export interface Ticker24h {
  readonly symbol: string;
  readonly lastPrice: string;
  readonly bidPrice: string;
  readonly askPrice: string;
  readonly openPrice: string;
  readonly highPrice: string;
  readonly lowPrice: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly priceChangePercent: string;
  readonly count: number;
}

export interface Balance {
  readonly asset: string;
  readonly free: string;
  readonly locked: string;
}

export interface Account {
  readonly makerCommission: number;
  readonly takerCommission: number;
  readonly canTrade: boolean;
  readonly updateTime: number;
  readonly accountType: string;
  readonly balances: readonly Balance[];
}

export interface Fill {
  readonly price: string;
  readonly qty: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly tradeId: number;
}

export interface Order {
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly price: string;
  readonly origQty: string;
  readonly executedQty: string;
  readonly cummulativeQuoteQty: string;
  readonly status: OrderStatus;
  readonly timeInForce: TimeInForce;
  readonly type: OrderType;
  readonly side: OrderSide;
  readonly transactTime?: number;
  readonly time?: number;
  readonly updateTime?: number;
  readonly fills?: readonly Fill[];
}

export interface CanceledOrder extends Order {
  readonly origClientOrderId: string;
}

/** A new order. Prices and quantities are decimal strings exactly as the symbol's filters allow. */
export interface NewOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity?: string;
  readonly quoteOrderQty?: string;
  readonly price?: string;
  readonly timeInForce?: TimeInForce;
  readonly newClientOrderId?: string;
  readonly stopPrice?: string;
  readonly selfTradePreventionMode?: StpMode;
  readonly newOrderRespType?: NewOrderRespType;
}

/** Identifies one order: by exchange id or by the client's id. */
export type OrderRef = { readonly symbol: string; readonly orderId: number } | { readonly symbol: string; readonly origClientOrderId: string };

export interface DevAccount {
  readonly userId: number;
  readonly username: string;
  readonly apiKey: string;
  readonly secretKey: string;
}
