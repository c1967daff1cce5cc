import type { EngineEvent, OrderEvent, TradeEvent } from '@matchbox/domain';
import type { Candle, History, OrderView, TimeRange, UserTrade } from './history.ts';
import { bucketStart } from './intervals.ts';
import { NumberQueue, Ring } from './ring.ts';

export interface MemoryHistoryLimits {
  /** Orders kept per user (open ones are never dropped). */
  readonly ordersPerUser: number;
  readonly tradesPerUser: number;
  readonly tradesPerSymbol: number;
  /** One-minute candles per symbol (43,200 = 30 days). */
  readonly minuteCandles: number;
  /**
   * Closed orders kept across all users, the oldest closed dropped first. The per-user caps alone
   * bound nothing once users are many (about 750 B per order: 400 users at 10,000 orders each is
   * 3 GB for the orders alone; `npm run bench:history`). Open orders are never dropped; the engine bounds them.
   */
  readonly closedOrdersTotal: number;
  /** User trades (`myTrades`) kept across all users, the oldest dropped first. */
  readonly userTradesTotal: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryHistoryLimits = {
  ordersPerUser: 10_000, tradesPerUser: 10_000, tradesPerSymbol: 20_000, minuteCandles: 43_200,
  closedOrdersTotal: 500_000, userTradesTotal: 500_000,
};

const isOpen = (o: OrderEvent): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

interface MutableView { last: OrderEvent; updateTime: number; workingTime: number }

/**
 * A bounded in-memory projection of the event log: enough history for the REST endpoints of a
 * local exchange, rebuilt from the retained event log at start. Everything is capped; what falls
 * off the end is gone from these endpoints (the PostgreSQL store keeps it all).
 */
export class MemoryHistory implements History {
  lastSeq = 0;
  private readonly limits: MemoryHistoryLimits;
  private readonly ordersById = new Map<number, MutableView>();
  private readonly ordersByUser = new Map<number, number[]>();
  private readonly openByUser = new Map<number, Set<number>>();
  private readonly byClientId = new Map<string, number>();
  private readonly userTradeRings = new Map<number, Ring<UserTrade>>();
  /** Ids of closed orders, oldest closed first (some already dropped by their user's cap): the global order cap. */
  private readonly closedOrder = new NumberQueue();
  /** The user of every user trade pushed and not yet popped, oldest first (some already gone from their user's ring): the global trade cap. */
  private readonly tradeOwner = new NumberQueue();
  /** Per user: its entries in `tradeOwner`. */
  private readonly queuedTradesOf = new Map<number, number>();
  /** Users some of whose orders / user trades were dropped: memory alone no longer answers for them. */
  private readonly droppedOrdersOf = new Set<number>();
  private readonly droppedTradesOf = new Set<number>();
  private readonly tradeRings = new Map<string, Ring<TradeEvent>>();
  private readonly candleRings = new Map<string, Ring<Candle>>();
  private readonly accountUpdates = new Map<number, number>();

  constructor(limits: Partial<MemoryHistoryLimits> = {}) {
    this.limits = { ...DEFAULT_MEMORY_LIMITS, ...limits };
  }

  /** What it holds: orders, client order ids indexed (each names a held order), and user trades. */
  get size(): { readonly orders: number; readonly clientOrderIds: number; readonly userTrades: number } {
    let userTrades = 0;
    for (const r of this.userTradeRings.values()) userTrades += r.size;
    return { orders: this.ordersById.size, clientOrderIds: this.byClientId.size, userTrades };
  }

  /** Whether an order of this user was ever dropped (memory alone cannot list all of them). */
  droppedOrders(userId: number): boolean { return this.droppedOrdersOf.has(userId); }

  /** Whether a trade of this user was ever dropped. */
  droppedTrades(userId: number): boolean { return this.droppedTradesOf.has(userId); }

  apply(seq: number, tsMs: number, events: readonly EngineEvent[]): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    for (const e of events) {
      if (e.type === 'order') this.onOrder(e, tsMs);
      else if (e.type === 'trade') this.onTrade(e);
      else if (e.type === 'balance') this.accountUpdates.set(e.userId, tsMs);
    }
  }

  private onOrder(e: OrderEvent, tsMs: number): void {
    let view = this.ordersById.get(e.orderId);
    if (view === undefined) {
      view = { last: e, updateTime: tsMs, workingTime: -1 };
      this.ordersById.set(e.orderId, view);
      // An order's client id never changes: indexed once, when the order is first seen — before an
      // eviction that may drop this very order (one whose first event already closes it) and its key.
      if (e.clientOrderId !== '') this.byClientId.set(clientKey(e.userId, e.clientOrderId), e.orderId);
      const list = this.ordersByUser.get(e.userId) ?? [];
      list.push(e.orderId);
      this.ordersByUser.set(e.userId, list);
      if (list.length > this.limits.ordersPerUser) this.evictOrders(list);
    }
    const wasOpen = isOpen(view.last) || view.last === e;
    view.last = e;
    view.updateTime = tsMs;
    // The engine's: its creation, or for a stop its trigger (-1 until then) — as the store keeps it.
    view.workingTime = e.workingTs;
    let open = this.openByUser.get(e.userId);
    if (open === undefined) this.openByUser.set(e.userId, open = new Set<number>());
    if (isOpen(e)) open.add(e.orderId);
    else {
      open.delete(e.orderId);
      // Closed now (a closed order never reopens): it joins the global queue once.
      if (wasOpen && this.ordersById.has(e.orderId)) this.closedOrder.push(e.orderId);
      if (this.closedOrder.length > this.limits.closedOrdersTotal) this.evictClosedOrders();
    }
    if (e.execType === 'TRADE') {
      let ring = this.userTradeRings.get(e.userId);
      if (ring === undefined) this.userTradeRings.set(e.userId, ring = new Ring(this.limits.tradesPerUser));
      if (ring.size === ring.capacity) this.droppedTradesOf.add(e.userId);
      ring.push({
        symbol: e.symbol, id: e.tradeId, orderId: e.orderId, priceTicks: e.lastPriceTicks, qtyLots: e.lastLots,
        quoteUnits: e.lastQuoteUnits, commissionUnits: e.commissionUnits, commissionAsset: e.commissionAsset,
        time: tsMs, isBuyer: e.side === 'BUY', isMaker: e.isMaker,
      });
      this.tradeOwner.push(e.userId);
      this.queuedTradesOf.set(e.userId, (this.queuedTradesOf.get(e.userId) ?? 0) + 1);
      if (this.tradeOwner.length > this.limits.userTradesTotal) this.evictUserTrades();
    }
  }

  /** The global order cap: drops the oldest closed orders until the queue is 10% under it. */
  private evictClosedOrders(): void {
    const target = Math.floor(this.limits.closedOrdersTotal * 0.9);
    while (this.closedOrder.length > target) {
      const v = this.ordersById.get(this.closedOrder.shift());
      // Gone already: dropped by its user's cap. (Its id stays in its user's list until that list is next trimmed.)
      if (v !== undefined) this.dropOrder(v.last);
    }
  }

  /** The global trade cap: drops the oldest user trades until 10% under it. */
  private evictUserTrades(): void {
    const target = Math.floor(this.limits.userTradesTotal * 0.9);
    while (this.tradeOwner.length > target) {
      const userId = this.tradeOwner.shift();
      const queued = this.queuedTradesOf.get(userId)!;
      const ring = this.userTradeRings.get(userId)!;
      // The ring holds the user's newest `ring.size` trades and the queue its newest `queued`: the
      // trade this entry stands for is still in the ring (as its oldest) iff queued <= ring.size.
      if (queued <= ring.size) {
        ring.dropOldest();
        this.droppedTradesOf.add(userId);
      }
      if (queued === 1) this.queuedTradesOf.delete(userId);
      else this.queuedTradesOf.set(userId, queued - 1);
      if (ring.size === 0) this.userTradeRings.delete(userId);
    }
  }

  private dropOrder(o: OrderEvent): void {
    this.ordersById.delete(o.orderId);
    this.droppedOrdersOf.add(o.userId);
    const key = clientKey(o.userId, o.clientOrderId);
    if (this.byClientId.get(key) === o.orderId) this.byClientId.delete(key);
  }

  /** Drops the oldest closed orders until the list is 10% under its cap. */
  private evictOrders(list: number[]): void {
    const target = Math.floor(this.limits.ordersPerUser * 0.9);
    const keep: number[] = [];
    let excess = list.length - target;
    for (const id of list) {
      const v = this.ordersById.get(id);
      if (v === undefined) excess--; // dropped already by the global cap
      else if (excess > 0 && !isOpen(v.last)) {
        excess--;
        this.dropOrder(v.last);
      } else {
        keep.push(id);
      }
    }
    list.splice(0, list.length, ...keep);
  }

  private onTrade(t: TradeEvent): void {
    let ring = this.tradeRings.get(t.symbol);
    if (ring === undefined) this.tradeRings.set(t.symbol, ring = new Ring(this.limits.tradesPerSymbol));
    ring.push(t);
    let candles = this.candleRings.get(t.symbol);
    if (candles === undefined) this.candleRings.set(t.symbol, candles = new Ring(this.limits.minuteCandles));
    const openTime = bucketStart('1m', t.ts);
    const last = candles.last();
    if (last !== undefined && last.openTime === openTime) addTrade(last, t);
    else candles.push(candleOf(openTime, t));
  }

  order(userId: number, symbol: string, orderId: number): OrderView | undefined {
    const v = this.ordersById.get(orderId);
    return v !== undefined && v.last.userId === userId && v.last.symbol === symbol ? v : undefined;
  }

  orderByClientId(userId: number, clientOrderId: string): OrderView | undefined {
    const id = this.byClientId.get(clientKey(userId, clientOrderId));
    return id === undefined ? undefined : this.ordersById.get(id);
  }

  openOrders(userId: number, symbol?: string): OrderView[] {
    const ids = [...(this.openByUser.get(userId) ?? [])].sort((a, b) => a - b);
    return ids.map((id) => this.ordersById.get(id)!).filter((v) => symbol === undefined || v.last.symbol === symbol);
  }

  orders(userId: number, symbol: string, q: TimeRange & { fromOrderId?: number }): OrderView[] {
    const all = (this.ordersByUser.get(userId) ?? []).map((id) => this.ordersById.get(id))
      .filter((v): v is MutableView => v !== undefined && v.last.symbol === symbol && (q.fromOrderId === undefined || v.last.orderId >= q.fromOrderId)
        && inRange(v.last.createdTs, q));
    return q.fromOrderId !== undefined || q.startTime !== undefined ? all.slice(0, q.limit) : all.slice(-q.limit);
  }

  userTrades(userId: number, symbol: string, q: TimeRange & { orderId?: number; fromId?: number }): UserTrade[] {
    const ring = this.userTradeRings.get(userId);
    if (ring === undefined) return [];
    const all = ring.slice(0, ring.size).filter((t) => t.symbol === symbol && (q.orderId === undefined || t.orderId === q.orderId)
      && (q.fromId === undefined || t.id >= q.fromId) && inRange(t.time, q));
    return q.fromId !== undefined || q.startTime !== undefined ? all.slice(0, q.limit) : all.slice(-q.limit);
  }

  trades(symbol: string, q: TimeRange & { fromId?: number }): TradeEvent[] {
    const ring = this.tradeRings.get(symbol);
    if (ring === undefined) return [];
    if (q.fromId !== undefined) {
      const from = ring.lowerBound(q.fromId, (t) => t.tradeId);
      return ring.slice(from, from + q.limit).filter((t) => inRange(t.ts, q));
    }
    const from = q.startTime === undefined ? 0 : ring.lowerBound(q.startTime, (t) => t.ts);
    const to = q.endTime === undefined ? ring.size : ring.lowerBound(q.endTime + 1, (t) => t.ts);
    return q.startTime !== undefined ? ring.slice(from, Math.min(to, from + q.limit)) : ring.slice(Math.max(from, to - q.limit), to);
  }

  klines(symbol: string, interval: string, q: TimeRange): Candle[] {
    const from = q.startTime === undefined ? 0 : bucketStart(interval, q.startTime);
    const to = q.endTime ?? Number.MAX_SAFE_INTEGER;
    const out: Candle[] = [];
    const add = (c: Candle): void => {
      const open = bucketStart(interval, c.openTime);
      if (open < from || open > to) return;
      const last = out[out.length - 1];
      if (last !== undefined && last.openTime === open) merge(last, c);
      else out.push({ ...c, openTime: open });
    };
    if (interval === '1s') {
      const ring = this.tradeRings.get(symbol);
      if (ring !== undefined) for (const t of ring.slice(ring.lowerBound(from, (x) => x.ts), ring.size)) add(candleOf(bucketStart('1s', t.ts), t));
    } else {
      const ring = this.candleRings.get(symbol);
      if (ring !== undefined) for (const c of ring.slice(ring.lowerBound(bucketStart('1m', from), (x) => x.openTime), ring.size)) add(c);
    }
    return q.startTime !== undefined ? out.slice(0, q.limit) : out.slice(-q.limit);
  }

  window(symbol: string, fromTime: number): Candle | null {
    const ring = this.candleRings.get(symbol);
    if (ring === undefined) return null;
    let acc: Candle | null = null;
    for (const c of ring.slice(ring.lowerBound(bucketStart('1m', fromTime), (x) => x.openTime), ring.size)) {
      if (acc === null) acc = { ...c };
      else merge(acc, c);
    }
    return acc;
  }

  lastTrade(symbol: string): TradeEvent | undefined {
    return this.tradeRings.get(symbol)?.last();
  }

  closeBefore(symbol: string, fromTime: number): number | undefined {
    const ring = this.candleRings.get(symbol);
    if (ring === undefined) return undefined;
    const i = ring.lowerBound(bucketStart('1m', fromTime), (x) => x.openTime);
    return ring.at(i - 1)?.close;
  }

  accountUpdateTime(userId: number): number {
    return this.accountUpdates.get(userId) ?? 0;
  }
}

function clientKey(userId: number, clientOrderId: string): string {
  return `${userId}\u0000${clientOrderId}`;
}

function inRange(t: number, q: TimeRange): boolean {
  return (q.startTime === undefined || t >= q.startTime) && (q.endTime === undefined || t <= q.endTime);
}

function candleOf(openTime: number, t: TradeEvent): Candle {
  const takerBuys = !t.buyerIsMaker;
  return {
    openTime, open: t.priceTicks, high: t.priceTicks, low: t.priceTicks, close: t.priceTicks,
    volumeLots: t.qtyLots, quoteUnits: t.quoteUnits, count: 1,
    takerBuyLots: takerBuys ? t.qtyLots : 0, takerBuyQuoteUnits: takerBuys ? t.quoteUnits : 0,
    firstId: t.tradeId, lastId: t.tradeId,
  };
}

function addTrade(c: Candle, t: TradeEvent): void {
  merge(c, candleOf(c.openTime, t));
}

/** Folds a later candle `b` into `a`. */
function merge(a: Candle, b: Candle): void {
  a.high = Math.max(a.high, b.high);
  a.low = Math.min(a.low, b.low);
  a.close = b.close;
  a.volumeLots += b.volumeLots;
  a.quoteUnits += b.quoteUnits;
  a.count += b.count;
  a.takerBuyLots += b.takerBuyLots;
  a.takerBuyQuoteUnits += b.takerBuyQuoteUnits;
  a.lastId = b.lastId;
}
