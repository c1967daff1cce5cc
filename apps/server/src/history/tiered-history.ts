import type { EngineEvent, TradeEvent } from '@matchbox/domain';
import type { Awaitable, Candle, History, OrderView, TimeRange, UserTrade } from './history.ts';
import { DEFAULT_MEMORY_LIMITS, MemoryHistory, type MemoryHistoryLimits } from './memory-history.ts';
import type { StoreHistoryReader } from './store-history.ts';

const MINUTE_MS = 60_000;

/**
 * History with the store (packages/store, PostgreSQL or PGlite, written asynchronously by the
 * Projector) as the record and a bounded `MemoryHistory` in front of it as the recent cache:
 *
 *   apply(seq, events) ──► MemoryHistory (synchronous: a client reads its own writes at once)
 *   event log ──► Projector ──► store (durable, complete; behind by the projection lag)
 *
 * A query is answered from memory alone when memory provably holds everything it could match:
 * it has seen the log from seq 1 (nothing trimmed before this process started) and nothing of this
 * user / symbol has been evicted yet (`MemoryHistory` knows whose orders and trades it dropped, by
 * a user's cap or the caps across all users; symbols are counted here). Otherwise it reads
 * the store too and merges: the union of both answers, memory's version of a row winning (it is
 * never older), sliced again exactly like `MemoryHistory` slices. The union of the two top-`limit`
 * sets contains the top-`limit` of the union, so the merge is exact.
 *
 * A single lookup (order by id / client order id) tries memory first and the store on a miss, when
 * a miss is not already conclusive. Tickers (`window`, `lastTrade`, `closeBefore`) and open orders
 * stay in memory (open orders are never evicted).
 *
 * Limitation: a row evicted from memory before the projector wrote it (a projector more than a
 * memory window behind) is in neither until the projector catches up.
 */
export class TieredHistory implements History {
  readonly memory: MemoryHistory;
  private readonly limits: MemoryHistoryLimits;
  /** First seq applied; memory is complete only if it is 1. */
  private firstSeq = 0;
  private readonly tradesBySymbol = new Map<string, { count: number; firstTs: number; lastTs: number }>();
  /** Store reads made (tests and metrics). */
  storeReads = 0;

  constructor(readonly store: StoreHistoryReader, limits: Partial<MemoryHistoryLimits> = {}) {
    this.limits = { ...DEFAULT_MEMORY_LIMITS, ...limits };
    this.memory = new MemoryHistory(this.limits);
  }

  get lastSeq(): number { return this.memory.lastSeq; }

  apply(seq: number, tsMs: number, events: readonly EngineEvent[]): void {
    if (seq <= this.memory.lastSeq) return;
    if (this.firstSeq === 0) this.firstSeq = seq;
    this.memory.apply(seq, tsMs, events);
    for (const e of events) {
      if (e.type === 'trade') {
        const s = this.tradesBySymbol.get(e.symbol);
        if (s === undefined) this.tradesBySymbol.set(e.symbol, { count: 1, firstTs: e.ts, lastTs: e.ts });
        else { s.count++; s.lastTs = e.ts; }
      }
    }
  }

  private get complete(): boolean { return this.firstSeq === 1; }

  /** Memory has every order of this user: none was dropped, by the user's cap or the global one. */
  private ordersInMemory(userId: number): boolean {
    return this.complete && !this.memory.droppedOrders(userId);
  }

  private userTradesInMemory(userId: number): boolean {
    return this.complete && !this.memory.droppedTrades(userId);
  }

  private tradesInMemory(symbol: string): boolean {
    return this.complete && (this.tradesBySymbol.get(symbol)?.count ?? 0) <= this.limits.tradesPerSymbol;
  }

  private candlesInMemory(symbol: string, interval: string): boolean {
    if (interval === '1s') return this.tradesInMemory(symbol);
    const s = this.tradesBySymbol.get(symbol);
    // One minute of margin: the ring counts minutes with trades, this counts the span.
    return this.complete && (s === undefined || s.lastTs - s.firstTs < (this.limits.minuteCandles - 1) * MINUTE_MS);
  }

  order(userId: number, symbol: string, orderId: number): Awaitable<OrderView | undefined> {
    const v = this.memory.order(userId, symbol, orderId);
    if (v !== undefined || this.ordersInMemory(userId)) return v;
    this.storeReads++;
    return this.store.order(userId, symbol, orderId);
  }

  orderByClientId(userId: number, clientOrderId: string, symbol?: string): Awaitable<OrderView | undefined> {
    const v = this.memory.orderByClientId(userId, clientOrderId);
    if ((v !== undefined && (symbol === undefined || v.last.symbol === symbol)) || this.ordersInMemory(userId)) return v;
    this.storeReads++;
    return this.store.orderByClientId(userId, clientOrderId, symbol).then((s) => s ?? v);
  }

  openOrders(userId: number, symbol?: string): OrderView[] {
    return this.memory.openOrders(userId, symbol);
  }

  orders(userId: number, symbol: string, q: TimeRange & { fromOrderId?: number }): Awaitable<OrderView[]> {
    const mem = this.memory.orders(userId, symbol, q);
    if (this.ordersInMemory(userId)) return mem;
    this.storeReads++;
    const ascending = q.fromOrderId !== undefined || q.startTime !== undefined;
    return this.store.orders(userId, symbol, q).then((old) => merge(old, mem, (v) => v.last.orderId, (a, b) => a.last.orderId - b.last.orderId, ascending, q.limit));
  }

  userTrades(userId: number, symbol: string, q: TimeRange & { orderId?: number; fromId?: number }): Awaitable<UserTrade[]> {
    const mem = this.memory.userTrades(userId, symbol, q);
    if (this.userTradesInMemory(userId)) return mem;
    this.storeReads++;
    const ascending = q.fromId !== undefined || q.startTime !== undefined;
    return this.store.userTrades(userId, symbol, q).then((old) => merge(old, mem, (t) => `${t.id}:${t.isBuyer ? 1 : 0}`,
      (a, b) => a.id - b.id || Number(b.isBuyer) - Number(a.isBuyer), ascending, q.limit));
  }

  trades(symbol: string, q: TimeRange & { fromId?: number }): Awaitable<TradeEvent[]> {
    const mem = this.memory.trades(symbol, q);
    const ascending = q.fromId !== undefined || q.startTime !== undefined;
    // The newest `limit` with no range: a full answer from memory is the answer.
    if (this.tradesInMemory(symbol) || (!ascending && q.endTime === undefined && mem.length >= q.limit)) return mem;
    this.storeReads++;
    return this.store.trades(symbol, q).then((old) => merge(old, mem, (t) => t.tradeId, (a, b) => a.tradeId - b.tradeId, ascending, q.limit));
  }

  klines(symbol: string, interval: string, q: TimeRange): Awaitable<Candle[]> {
    const mem = this.memory.klines(symbol, interval, q);
    if (this.candlesInMemory(symbol, interval)) return mem;
    this.storeReads++;
    return this.store.klines(symbol, interval, q).then((old) => {
      // Memory's candle is whole when it starts at or before the store's first trade in it
      // (otherwise memory began mid-candle, after a restart on a trimmed log): then it wins.
      const byOpen = new Map<number, Candle>();
      for (const c of old) byOpen.set(c.openTime, c);
      for (const c of mem) {
        const s = byOpen.get(c.openTime);
        if (s === undefined || c.firstId <= s.firstId) byOpen.set(c.openTime, c);
      }
      const all = [...byOpen.values()].sort((a, b) => a.openTime - b.openTime);
      return q.startTime !== undefined ? all.slice(0, q.limit) : all.slice(-q.limit);
    });
  }

  window(symbol: string, fromTime: number): Candle | null { return this.memory.window(symbol, fromTime); }
  lastTrade(symbol: string): TradeEvent | undefined { return this.memory.lastTrade(symbol); }
  closeBefore(symbol: string, fromTime: number): number | undefined { return this.memory.closeBefore(symbol, fromTime); }
  accountUpdateTime(userId: number): number { return this.memory.accountUpdateTime(userId); }
}

/** Union by key (memory's row wins), sorted, sliced like MemoryHistory: first `limit` when ascending, else last. */
function merge<T, K>(store: readonly T[], memory: readonly T[], key: (x: T) => K, cmp: (a: T, b: T) => number, ascending: boolean, limit: number): T[] {
  const byKey = new Map<K, T>();
  for (const x of store) byKey.set(key(x), x);
  for (const x of memory) byKey.set(key(x), x);
  const all = [...byKey.values()].sort(cmp);
  return ascending ? all.slice(0, limit) : all.slice(-limit);
}
