import type { Order } from './order.ts';

/** One price level: a FIFO queue of orders (intrusive list) and its total quantity. */
export class Level {
  head: Order | null = null;
  tail: Order | null = null;
  totalLots = 0;
  count = 0;
  /** Change tracking for depth events: the command serial that last touched it, and its lots then. */
  stamp = -1;
  startLots = 0;

  constructor(readonly priceTicks: number) {}

  append(order: Order): void {
    order.prev = this.tail;
    order.next = null;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.totalLots += order.remainingLots;
    this.count++;
  }

  unlink(order: Order): void {
    if (order.prev === null) this.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) this.tail = order.prev;
    else order.next.prev = order.prev;
    order.prev = null;
    order.next = null;
    this.totalLots -= order.remainingLots;
    this.count--;
  }
}
