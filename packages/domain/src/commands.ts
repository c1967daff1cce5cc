import type { StpMode } from './market.ts';

/**
 * Commands: what the gateway appends to the command log and the sequencer feeds to the engine.
 * Everything inside is already an integer (ticks, lots, units): decimal strings were parsed and
 * checked at the edge. Ids and time that the engine needs arrive inside (seq and ts are stamped
 * by the sequencer), so replaying a log gives the same result.
 *
 * Users and API keys are commands too: the log is the only source of truth, the history store is
 * a projection that can be dropped and rebuilt from it, so anything that must survive — accounts,
 * keys, funds — has to be in the log and the engine state (and therefore in snapshots).
 */

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type Permission = 'READ' | 'TRADE';

export const ORDER_TYPES: readonly OrderType[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];
export const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];

export interface PlaceOrderFields {
  readonly userId: number;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Required for LIMIT and *_LIMIT types; ignored otherwise. */
  readonly timeInForce?: TimeInForce;
  /** Limit price in ticks; 0 when the type has none. */
  readonly priceTicks?: number;
  /** Quantity in lots; 0 when a market order is given by quoteOrderQty. */
  readonly qtyLots?: number;
  /** Market orders by quote amount (quoteOrderQty) in quote-asset units. */
  readonly quoteQtyUnits?: number;
  /** Trigger price in ticks for STOP_LOSS* and TAKE_PROFIT*. */
  readonly stopPriceTicks?: number;
  /** Unique among the user's open orders; '' lets the API derive one from the order id. */
  readonly clientOrderId?: string;
  readonly stpMode?: StpMode;
}

export interface PlaceOrder extends PlaceOrderFields { readonly t: 'place' }

export interface CancelOrder {
  readonly t: 'cancel';
  readonly userId: number;
  readonly symbol: string;
  readonly orderId?: number;
  readonly clientOrderId?: string;
}

export interface CancelAll {
  readonly t: 'cancelAll';
  readonly userId: number;
  readonly symbol: string;
}

export interface CancelReplace {
  readonly t: 'cancelReplace';
  readonly userId: number;
  readonly symbol: string;
  readonly cancelOrderId?: number;
  readonly cancelClientOrderId?: string;
  /** STOP_ON_FAILURE: place nothing if the cancel fails. ALLOW_FAILURE: place anyway. */
  readonly mode: 'STOP_ON_FAILURE' | 'ALLOW_FAILURE';
  readonly order: PlaceOrderFields;
}

export interface Deposit { readonly t: 'deposit'; readonly userId: number; readonly asset: string; readonly amountUnits: number }
export interface Withdraw { readonly t: 'withdraw'; readonly userId: number; readonly asset: string; readonly amountUnits: number }

export interface CreateUser {
  readonly t: 'createUser';
  readonly username: string;
  /** A slow salted hash computed by the gateway (the engine never sees passwords). */
  readonly passwordHash: string;
}

export interface CreateApiKey {
  readonly t: 'createApiKey';
  readonly userId: number;
  readonly apiKey: string;
  /** The HMAC secret, encrypted at rest by the gateway; opaque to the engine. */
  readonly secretEnc: string;
  readonly permissions: readonly Permission[];
  readonly label: string;
}

export interface RevokeApiKey { readonly t: 'revokeApiKey'; readonly userId: number; readonly apiKey: string }

export type Command = PlaceOrder | CancelOrder | CancelAll | CancelReplace | Deposit | Withdraw | CreateUser | CreateApiKey | RevokeApiKey;
export type CommandType = Command['t'];

/** Bounds that keep every command small (STYLE: put a limit on everything). */
export const LIMITS = {
  clientOrderIdMaxLength: 36,
  usernameMaxLength: 64,
  apiKeyMaxLength: 128,
  secretEncMaxLength: 512,
  passwordHashMaxLength: 256,
  labelMaxLength: 64,
  apiKeysPerUser: 20,
} as const;

export const CLIENT_ORDER_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;
