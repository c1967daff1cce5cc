import type { EngineEvent, OrderEvent, TradeEvent } from '@matchbox/domain';

/**
 * The read models behind the history-type endpoints (orders including closed ones, trades,
 * klines, tickers). `MemoryHistory` is a small bounded projection of the event log;
 * `TieredHistory` puts it in front of the PostgreSQL/PGlite store (packages/store) as a recent
 * cache. Lookups that may reach the store are `Awaitable` (MemoryHistory answers synchronously).
 *
 * Contract: `apply` is called with every command's events in seq order; a seq at or below
 * `lastSeq` is ignored (idempotent on the event sequence number, like every projection).
 */
export interface OrderView {
  /** The order after its latest change. */
  readonly last: OrderEvent;
  readonly updateTime: number;
  /** When it started working; -1 while an untriggered stop. */
  readonly workingTime: number;
}

export interface UserTrade {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly quoteUnits: number;
  readonly commissionUnits: number;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
}

/** One candle in integer units: prices in ticks, volumes in lots and quote units. */
export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volumeLots: number;
  quoteUnits: number;
  count: number;
  takerBuyLots: number;
  takerBuyQuoteUnits: number;
  firstId: number;
  lastId: number;
}

export interface TimeRange {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

/** A value, or a promise of it when the answer may come from the store. */
export type Awaitable<T> = T | Promise<T>;

export interface HistoryReader {
  readonly lastSeq: number;
  order(userId: number, symbol: string, orderId: number): Awaitable<OrderView | undefined>;
  /** The user's newest order with this client order id; `symbol` narrows the store's lookup (callers check the symbol anyway). */
  orderByClientId(userId: number, clientOrderId: string, symbol?: string): Awaitable<OrderView | undefined>;
  openOrders(userId: number, symbol?: string): OrderView[];
  /** The user's orders on a symbol, oldest first, orderId ≥ fromOrderId when given. */
  orders(userId: number, symbol: string, q: TimeRange & { fromOrderId?: number }): Awaitable<OrderView[]>;
  userTrades(userId: number, symbol: string, q: TimeRange & { orderId?: number; fromId?: number }): Awaitable<UserTrade[]>;
  /** Public trades, oldest first; the newest `limit` unless fromId/startTime select a range. */
  trades(symbol: string, q: TimeRange & { fromId?: number }): Awaitable<TradeEvent[]>;
  /** Candles of an interval, oldest first. */
  klines(symbol: string, interval: string, q: TimeRange): Awaitable<Candle[]>;
  /** Aggregate over trades in [fromTime, now]. */
  window(symbol: string, fromTime: number): Candle | null;
  lastTrade(symbol: string): TradeEvent | undefined;
  /** Close before fromTime, when known. */
  closeBefore(symbol: string, fromTime: number): number | undefined;
  accountUpdateTime(userId: number): number;
}

export interface History extends HistoryReader {
  apply(seq: number, tsMs: number, events: readonly EngineEvent[]): void;
}
