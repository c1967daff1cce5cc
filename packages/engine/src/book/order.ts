import type { OrderType, Side, StpMode, TimeInForce } from '@matchbox/domain';

/*
 * Order flags pack the small enumerations into one integer so a resting order stays small
 * (memory per resting order is a benchmark target). Layout:
 *   bit 0      side (0 BUY, 1 SELL)
 *   bits 1..3  type index in ORDER_TYPE_CODES
 *   bits 4..5  time in force
 *   bits 6..7  self-trade-prevention mode
 *   bit 8      BY_QUOTE: origLots holds quoteOrderQty units, not lots
 *   bit 9      TRIGGERED: a stop order that has started working
 *   bit 10     OPEN: in the order index and the owner's open list
 *   bit 11     LOCKED: funded from a lock (else from free balance, checked at each fill)
 *   bits 12..  market index
 */
export const SELL = 1;
export const F_BY_QUOTE = 1 << 8;
export const F_TRIGGERED = 1 << 9;
export const F_OPEN = 1 << 10;
export const F_LOCKED = 1 << 11;
const MARKET_SHIFT = 12;

export const ORDER_TYPE_CODES: readonly OrderType[] = ['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];
export const TIF_CODES: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
export const STP_CODES: readonly StpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
export const STP_NONE = 0;
export const STP_EXPIRE_TAKER = 1;
export const STP_EXPIRE_MAKER = 2;
export const STP_EXPIRE_BOTH = 3;

export const T_LIMIT = 0;
export const T_MARKET = 1;
export const T_LIMIT_MAKER = 2;
export const T_STOP_LOSS = 3;
export const T_STOP_LOSS_LIMIT = 4;
export const T_TAKE_PROFIT = 5;
export const T_TAKE_PROFIT_LIMIT = 6;
export const TIF_GTC = 0;
export const TIF_IOC = 1;
export const TIF_FOK = 2;

export function packFlags(marketIndex: number, side: number, type: number, tif: number, stp: number): number {
  return side | (type << 1) | (tif << 4) | (stp << 6) | (marketIndex << MARKET_SHIFT);
}

/** Types that carry a limit price (and so rest on the book, lock at that price). */
export function hasLimitPrice(type: number): boolean {
  return type === T_LIMIT || type === T_LIMIT_MAKER || type === T_STOP_LOSS_LIMIT || type === T_TAKE_PROFIT_LIMIT;
}

export function isStopType(type: number): boolean {
  return type >= T_STOP_LOSS;
}

/**
 * One order. Resting orders sit in two intrusive doubly linked lists: their price level's queue
 * (prev/next, for O(1) cancel and FIFO matching) and their owner's open orders on this market
 * (uPrev/uNext, for cancel-all and MAX_NUM_ORDERS without a per-user Set).
 */
export class Order {
  /** Lots still to fill (for BY_QUOTE orders: an upper bound, the market's maxQtyLots). */
  remainingLots: number;
  executedLots = 0;
  cumQuoteUnits = 0;
  /** Units of the spend asset this order holds locked (quote for buys, base for sells). */
  lockedUnits = 0;
  prev: Order | null = null;
  next: Order | null = null;
  uPrev: Order | null = null;
  uNext: Order | null = null;

  constructor(
    readonly orderId: number,
    readonly userId: number,
    public flags: number,
    readonly priceTicks: number,
    readonly stopPriceTicks: number,
    /** Quantity in lots, or quoteOrderQty in quote units when BY_QUOTE. */
    readonly origLots: number,
    readonly clientOrderId: string,
    readonly createdTs: number,
  ) {
    this.remainingLots = origLots;
  }

  get side(): number { return this.flags & 1; }
  get isBuy(): boolean { return (this.flags & 1) === 0; }
  get typeCode(): number { return (this.flags >> 1) & 7; }
  get tifCode(): number { return (this.flags >> 4) & 3; }
  get stpCode(): number { return (this.flags >> 6) & 3; }
  get marketIndex(): number { return this.flags >>> MARKET_SHIFT; }
  get byQuote(): boolean { return (this.flags & F_BY_QUOTE) !== 0; }

  get sideName(): Side { return (this.flags & 1) === 0 ? 'BUY' : 'SELL'; }
  get typeName(): OrderType { return ORDER_TYPE_CODES[(this.flags >> 1) & 7]!; }
  get tifName(): TimeInForce { return TIF_CODES[(this.flags >> 4) & 3]!; }
  get stpName(): StpMode { return STP_CODES[(this.flags >> 6) & 3]!; }
}
