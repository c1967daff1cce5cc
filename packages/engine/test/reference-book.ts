import type { Side, StpMode, TimeInForce } from '@matchbox/domain';

/*
 * A deliberately naive order book used as an oracle for the fast engine: each side is a plain
 * array re-sorted after every insert, matching walks from index 0, fill-or-kill is "try it as IOC
 * on a copy of the book and throw the copy away if it did not fill completely". No accounts, no
 * fees, no stops: only the matching rules.
 *
 * Rules it encodes (the engine contract):
 *  - price-time priority: best price first, then earliest order id (ids grow with time);
 *  - LIMIT GTC rests its remainder; IOC and MARKET expire it (EXPIRED); FOK fills completely or
 *    does nothing at all (EXPIRED, no trades);
 *  - LIMIT_MAKER is rejected (WOULD_TAKE) when it would cross the opposite best;
 *  - self-trade prevention is governed by the taker's mode when it meets an order of its own user:
 *    EXPIRE_MAKER removes that maker (EXPIRED_IN_MATCH) and continues, EXPIRE_TAKER ends the taker
 *    (EXPIRED_IN_MATCH, maker untouched), EXPIRE_BOTH does both, NONE trades with itself;
 *  - an order that could rest (LIMIT GTC, LIMIT_MAKER) is rejected (FILTER_MAX_NUM_ORDERS) when
 *    its user already has maxNumOrders open orders;
 *  - only accepted orders take an id, 1, 2, 3, …
 */

export type RefOrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type RefStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

export interface RefPlace {
  readonly userId: number;
  readonly side: Side;
  readonly type: RefOrderType;
  /** LIMIT only. */
  readonly tif?: TimeInForce;
  /** 0 for MARKET. */
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly stpMode: StpMode;
}

export interface RefTrade {
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly makerOrderId: number;
  readonly takerOrderId: number;
  readonly buyerIsMaker: boolean;
}

export interface RefOrder {
  readonly id: number;
  readonly userId: number;
  readonly side: Side;
  readonly priceTicks: number;
  readonly qtyLots: number;
  remaining: number;
  executed: number;
  status: RefStatus;
}

export interface RefPlaceResult {
  readonly orderId: number | null;
  readonly error: 'WOULD_TAKE' | 'FILTER_MAX_NUM_ORDERS' | null;
  readonly trades: RefTrade[];
}

export class ReferenceBook {
  /** Best first: highest price, then lowest id. */
  bids: RefOrder[] = [];
  /** Best first: lowest price, then lowest id. */
  asks: RefOrder[] = [];
  /** Every accepted order, open or finished, by id. */
  orders = new Map<number, RefOrder>();
  nextId = 1;

  constructor(readonly maxNumOrders = 200) {}

  openOrders(userId: number): RefOrder[] {
    return [...this.bids, ...this.asks].filter((o) => o.userId === userId).sort((a, b) => a.id - b.id);
  }

  place(p: RefPlace): RefPlaceResult {
    const opposite = p.side === 'BUY' ? this.asks : this.bids;
    const canRest = p.type === 'LIMIT_MAKER' || (p.type === 'LIMIT' && p.tif === 'GTC');
    if (canRest && this.openOrders(p.userId).length >= this.maxNumOrders) return { orderId: null, error: 'FILTER_MAX_NUM_ORDERS', trades: [] };
    if (p.type === 'LIMIT_MAKER' && opposite.length > 0 && crosses(p, opposite[0]!.priceTicks)) return { orderId: null, error: 'WOULD_TAKE', trades: [] };

    const t: RefOrder = {
      id: this.nextId++, userId: p.userId, side: p.side, priceTicks: p.type === 'MARKET' ? 0 : p.priceTicks,
      qtyLots: p.qtyLots, remaining: p.qtyLots, executed: 0, status: 'NEW',
    };
    this.orders.set(t.id, t);

    if (p.type === 'LIMIT' && p.tif === 'FOK') {
      const saved = structuredClone({ bids: this.bids, asks: this.asks, orders: this.orders });
      const trades = this.match(t, p);
      if (t.remaining === 0 && t.status !== 'EXPIRED_IN_MATCH') {
        t.status = 'FILLED';
        return { orderId: t.id, error: null, trades };
      }
      this.bids = saved.bids;
      this.asks = saved.asks;
      this.orders = saved.orders;
      this.orders.get(t.id)!.status = 'EXPIRED';
      return { orderId: t.id, error: null, trades: [] };
    }

    const trades = this.match(t, p);
    if (t.status === 'EXPIRED_IN_MATCH') {
      // ended by self-trade prevention
    } else if (t.remaining === 0) {
      t.status = 'FILLED';
    } else if (canRest) {
      t.status = t.executed > 0 ? 'PARTIALLY_FILLED' : 'NEW';
      const own = p.side === 'BUY' ? this.bids : this.asks;
      own.push(t);
      own.sort(p.side === 'BUY' ? (a, b) => b.priceTicks - a.priceTicks || a.id - b.id : (a, b) => a.priceTicks - b.priceTicks || a.id - b.id);
    } else {
      t.status = 'EXPIRED';
    }
    return { orderId: t.id, error: null, trades };
  }

  /** Runs the taker against the opposite side until it is filled, out of price, or stopped by STP. */
  private match(t: RefOrder, p: RefPlace): RefTrade[] {
    const book = t.side === 'BUY' ? this.asks : this.bids;
    const trades: RefTrade[] = [];
    while (t.remaining > 0 && book.length > 0 && crosses(p, book[0]!.priceTicks)) {
      const m = book[0]!;
      if (m.userId === t.userId && p.stpMode !== 'NONE') {
        if (p.stpMode === 'EXPIRE_MAKER' || p.stpMode === 'EXPIRE_BOTH') {
          book.shift();
          m.status = 'EXPIRED_IN_MATCH';
        }
        if (p.stpMode === 'EXPIRE_TAKER' || p.stpMode === 'EXPIRE_BOTH') {
          t.status = 'EXPIRED_IN_MATCH';
          return trades;
        }
        continue;
      }
      const q = Math.min(t.remaining, m.remaining);
      t.remaining -= q;
      t.executed += q;
      m.remaining -= q;
      m.executed += q;
      trades.push({ priceTicks: m.priceTicks, qtyLots: q, makerOrderId: m.id, takerOrderId: t.id, buyerIsMaker: m.side === 'BUY' });
      if (m.remaining === 0) {
        m.status = 'FILLED';
        book.shift();
      } else {
        m.status = 'PARTIALLY_FILLED';
      }
    }
    return trades;
  }

  /** Cancels an open order of this user; false when there is none with that id. */
  cancel(userId: number, orderId: number): boolean {
    for (const side of [this.bids, this.asks]) {
      const i = side.findIndex((o) => o.id === orderId && o.userId === userId);
      if (i >= 0) {
        side[i]!.status = 'CANCELED';
        side.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** [priceTicks, total lots] per level, best first. */
  depth(): { bids: [number, number][]; asks: [number, number][] } {
    const levels = (side: RefOrder[]): [number, number][] => {
      const out: [number, number][] = [];
      for (const o of side) {
        const last = out[out.length - 1];
        if (last !== undefined && last[0] === o.priceTicks) last[1] += o.remaining;
        else out.push([o.priceTicks, o.remaining]);
      }
      return out;
    };
    return { bids: levels(this.bids), asks: levels(this.asks) };
  }
}

function crosses(p: RefPlace, makerPrice: number): boolean {
  if (p.type === 'MARKET') return true;
  return p.side === 'BUY' ? makerPrice <= p.priceTicks : makerPrice >= p.priceTicks;
}
