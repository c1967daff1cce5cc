import type { Permission } from '@matchbox/domain';
import type { Order } from './book/order.ts';

export interface ApiKeyRecord {
  readonly apiKey: string;
  readonly userId: number;
  readonly secretEnc: string;
  readonly permissions: readonly Permission[];
  readonly label: string;
}

/**
 * One user's funds and open orders. Balances are integer units per asset index. The per-command
 * change tracking (stamp/free0/locked0) lets the engine emit one balance event per touched
 * (account, asset) with its net change, instead of one per movement.
 */
export class Account {
  readonly free: number[];
  readonly locked: number[];
  readonly stamp: number[];
  readonly free0: number[];
  readonly locked0: number[];
  /** Per market: the owner's open orders (resting and untriggered stops) in placement order. */
  readonly openHead: (Order | null)[];
  readonly openTail: (Order | null)[];
  readonly openCount: number[];
  readonly byClientId = new Map<string, Order>();
  readonly apiKeys: string[] = [];

  constructor(
    readonly userId: number,
    readonly username: string,
    readonly passwordHash: string,
    assetCount: number,
    marketCount: number,
  ) {
    this.free = new Array<number>(assetCount).fill(0);
    this.locked = new Array<number>(assetCount).fill(0);
    this.stamp = new Array<number>(assetCount).fill(-1);
    this.free0 = new Array<number>(assetCount).fill(0);
    this.locked0 = new Array<number>(assetCount).fill(0);
    this.openHead = new Array<Order | null>(marketCount).fill(null);
    this.openTail = new Array<Order | null>(marketCount).fill(null);
    this.openCount = new Array<number>(marketCount).fill(0);
  }

  addOpen(order: Order, marketIndex: number): void {
    const tail = this.openTail[marketIndex]!;
    order.uPrev = tail;
    order.uNext = null;
    if (tail === null) this.openHead[marketIndex] = order;
    else tail.uNext = order;
    this.openTail[marketIndex] = order;
    this.openCount[marketIndex]!++;
    if (order.clientOrderId !== '') this.byClientId.set(order.clientOrderId, order);
  }

  removeOpen(order: Order, marketIndex: number): void {
    if (order.uPrev === null) this.openHead[marketIndex] = order.uNext;
    else order.uPrev.uNext = order.uNext;
    if (order.uNext === null) this.openTail[marketIndex] = order.uPrev;
    else order.uNext.uPrev = order.uPrev;
    order.uPrev = null;
    order.uNext = null;
    this.openCount[marketIndex]!--;
    if (order.clientOrderId !== '' && this.byClientId.get(order.clientOrderId) === order) {
      this.byClientId.delete(order.clientOrderId);
    }
  }

  /** Open orders on one market in placement order (a copy: callers may cancel while iterating). */
  openOrders(marketIndex: number): Order[] {
    const out: Order[] = [];
    for (let o = this.openHead[marketIndex] ?? null; o !== null; o = o.uNext) out.push(o);
    return out;
  }
}
