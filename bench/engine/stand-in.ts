import type { Command, EngineEvent, MarketConfig, RejectedEvent } from '@matchbox/domain';
import type { BenchEngine } from './bench-engine.ts';

/**
 * A matching-only stand-in with the engine's interface: price-time priority, levels in a Map by
 * tick, O(1) cancel through an id index. No accounts, fees or real events: it exists to test the
 * harness and the generator before the engine lands (its cancel misses must equal the peer's),
 * and as a floor for what matching alone costs in plain JS.
 */
interface RestingOrder { id: number; lots: number; prev: RestingOrder | null; next: RestingOrder | null; level: Level }
interface Level { priceTicks: number; head: RestingOrder | null; tail: RestingOrder | null; side: SideBook }

class SideBook {
  readonly levels = new Map<number, Level>();
  constructor(readonly buy: boolean) {}

  /** Best level, or undefined; scans at most the spread between the extremes present. */
  best(): Level | undefined {
    let best: Level | undefined;
    for (const level of this.levels.values()) {
      if (best === undefined || (this.buy ? level.priceTicks > best.priceTicks : level.priceTicks < best.priceTicks)) best = level;
    }
    return best;
  }
}

const NO_EVENTS: readonly EngineEvent[] = [];

export class StandInEngine implements BenchEngine {
  private readonly books = new Map<string, { bids: SideBook; asks: SideBook }>();
  private readonly orders = new Map<number, RestingOrder>();
  private nextOrderId = 1;
  private lastSeq = 0;

  constructor(markets: readonly MarketConfig[]) {
    for (const m of markets) this.books.set(m.symbol, { bids: new SideBook(true), asks: new SideBook(false) });
  }

  openOrderCount(): number {
    return this.orders.size;
  }

  apply(cmd: Command, seq: number, _tsMs: number): readonly EngineEvent[] {
    if (seq !== this.lastSeq + 1) throw new Error(`seq ${seq} after ${this.lastSeq}`);
    this.lastSeq = seq;
    if (cmd.t === 'cancel') {
      const order = cmd.orderId === undefined ? undefined : this.orders.get(cmd.orderId);
      if (order === undefined) return [reject(cmd.userId, cmd.symbol)];
      this.remove(order);
      return NO_EVENTS;
    }
    if (cmd.t !== 'place') return NO_EVENTS;
    const book = this.books.get(cmd.symbol)!;
    const id = this.nextOrderId++;
    const buy = cmd.side === 'BUY';
    const limit = cmd.type === 'LIMIT' ? cmd.priceTicks! : buy ? Infinity : -Infinity;
    const left = this.take(buy ? book.asks : book.bids, buy, limit, cmd.qtyLots!);
    if (left > 0 && cmd.type === 'LIMIT') this.rest(buy ? book.bids : book.asks, id, limit, left);
    return NO_EVENTS;
  }

  private take(opposite: SideBook, buy: boolean, limit: number, lots: number): number {
    while (lots > 0) {
      const level = opposite.best();
      if (level === undefined || (buy ? level.priceTicks > limit : level.priceTicks < limit)) break;
      while (lots > 0 && level.head !== null) {
        const maker = level.head;
        const fill = Math.min(lots, maker.lots);
        lots -= fill;
        maker.lots -= fill;
        if (maker.lots === 0) this.remove(maker);
      }
    }
    return lots;
  }

  private rest(side: SideBook, id: number, priceTicks: number, lots: number): void {
    let level = side.levels.get(priceTicks);
    if (level === undefined) {
      level = { priceTicks, head: null, tail: null, side };
      side.levels.set(priceTicks, level);
    }
    const order: RestingOrder = { id, lots, prev: level.tail, next: null, level };
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    this.orders.set(id, order);
  }

  private remove(order: RestingOrder): void {
    const level = order.level;
    if (order.prev === null) level.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) level.tail = order.prev;
    else order.next.prev = order.prev;
    this.orders.delete(order.id);
    if (level.head === null) level.side.levels.delete(level.priceTicks);
  }
}

function reject(userId: number, symbol: string): RejectedEvent {
  return { type: 'rejected', command: 'cancel', userId, error: 'UNKNOWN_ORDER', symbol, clientOrderId: '' };
}
