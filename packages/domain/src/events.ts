import type { ErrorName } from './errors.ts';
import type { StpMode } from './market.ts';
import type { OrderType, Permission, Side, TimeInForce } from './commands.ts';

/**
 * Events: what `engine.apply(command)` returns. They carry everything the API answer, the history
 * store and the market-data streams need, so no consumer ever reads engine state to render one.
 * All amounts are integers (ticks, lots, units of 10^-8 of an asset).
 */

export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
/** Binance execution types (executionReport `x`), plus TRIGGERED when a stop order starts working. */
export type ExecType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'TRADE_PREVENTION' | 'REPLACED' | 'TRIGGERED';

/** A full picture of one order after one change, the row an executionReport is made of. */
export interface OrderEvent {
  readonly type: 'order';
  readonly userId: number;
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly stpMode: StpMode;
  readonly priceTicks: number;
  readonly stopPriceTicks: number;
  readonly origQtyLots: number;
  readonly origQuoteUnits: number;
  readonly execType: ExecType;
  readonly status: OrderStatus;
  readonly executedLots: number;
  readonly cumQuoteUnits: number;
  /** For TRADE: this fill. Zero otherwise. */
  readonly lastLots: number;
  readonly lastPriceTicks: number;
  readonly lastQuoteUnits: number;
  readonly tradeId: number;
  readonly isMaker: boolean;
  readonly commissionUnits: number;
  readonly commissionAsset: string;
  /** Whether the order is on the book (false for untriggered stops and finished orders). */
  readonly isWorking: boolean;
  readonly createdTs: number;
  /** When the order started working (placement, or its trigger); -1 for an untriggered stop. */
  readonly workingTs: number;
  /** For TRADE_PREVENTION: the other order and the quantity that did not trade. */
  readonly preventedMatchId: number;
  readonly preventedLots: number;
  readonly counterOrderId: number;
}

export interface TradeEvent {
  readonly type: 'trade';
  readonly symbol: string;
  readonly tradeId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly quoteUnits: number;
  readonly buyerUserId: number;
  readonly sellerUserId: number;
  readonly buyerOrderId: number;
  readonly sellerOrderId: number;
  readonly buyerIsMaker: boolean;
  /** Buyer pays its fee in the base asset it receives, the seller in quote. */
  readonly buyerFeeUnits: number;
  readonly sellerFeeUnits: number;
  readonly ts: number;
}

/** Net change of one (account, asset) within one command; absolute values after it. */
export interface BalanceEvent {
  readonly type: 'balance';
  readonly userId: number;
  readonly asset: string;
  readonly freeUnits: number;
  readonly lockedUnits: number;
  readonly deltaFreeUnits: number;
  readonly deltaLockedUnits: number;
  /** What caused it: the command type (place, cancel, deposit, …); stop fills carry the command that triggered them. */
  readonly cause: string;
}

/**
 * Book levels changed by one command, absolute lots ("0" removes a level), with the symbol's
 * book update id after the change. One id per command that changes the book, so REST
 * `lastUpdateId` and WebSocket `U`/`u` are one contiguous sequence.
 */
export interface DepthEvent {
  readonly type: 'depth';
  readonly symbol: string;
  readonly updateId: number;
  /** Flat pairs: [priceTicks, qtyLots, priceTicks, qtyLots, …]. */
  readonly bids: number[];
  readonly asks: number[];
}

export interface RejectedEvent {
  readonly type: 'rejected';
  readonly command: string;
  readonly userId: number;
  readonly error: ErrorName;
  readonly symbol: string;
  readonly clientOrderId: string;
}

export interface UserCreatedEvent { readonly type: 'userCreated'; readonly userId: number; readonly username: string; readonly passwordHash: string }
export interface ApiKeyCreatedEvent {
  readonly type: 'apiKeyCreated'; readonly userId: number; readonly apiKey: string;
  readonly permissions: readonly Permission[]; readonly label: string;
}
export interface ApiKeyRevokedEvent { readonly type: 'apiKeyRevoked'; readonly userId: number; readonly apiKey: string }

export type EngineEvent = OrderEvent | TradeEvent | BalanceEvent | DepthEvent | RejectedEvent | UserCreatedEvent | ApiKeyCreatedEvent | ApiKeyRevokedEvent;

/** The fee account: fees are credited here (user id 0 is never a real user). */
export const FEE_ACCOUNT_ID = 0;
