import type { Order } from './order.ts';

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

class Page {
  readonly slots: (Order | undefined)[] = new Array<Order | undefined>(PAGE_SIZE).fill(undefined);
  live = 0;
}

/**
 * Open orders by id. Order ids are dense and increasing, so instead of one hash-map entry per
 * order this keeps pages of 4,096 slots (a Map of pages, each freed when its last order closes):
 * O(1) get/set/delete, about 8 bytes per order, and the newest page — where most activity is —
 * is cached. Memory stays bounded by the number of pages with at least one open order, plus one
 * spare.
 */
export class OrderIndex {
  private readonly pages = new Map<number, Page>();
  private lastPageNo = -1;
  private lastPage: Page | undefined;
  /**
   * The last page emptied, kept for the next new page: when the book is nearly empty, every order
   * can open and empty a page, and allocating 4,096 slots each time cost more than matching.
   */
  private spare: Page | undefined;
  private count = 0;

  private page(pageNo: number): Page | undefined {
    if (pageNo === this.lastPageNo) return this.lastPage;
    const p = this.pages.get(pageNo);
    this.lastPageNo = pageNo;
    this.lastPage = p;
    return p;
  }

  get(orderId: number): Order | undefined {
    if (!Number.isSafeInteger(orderId) || orderId < 0) return undefined;
    return this.page(Math.floor(orderId / PAGE_SIZE))?.slots[orderId & PAGE_MASK];
  }

  set(orderId: number, order: Order): void {
    const pageNo = Math.floor(orderId / PAGE_SIZE);
    let p = this.page(pageNo);
    if (p === undefined) {
      p = this.spare ?? new Page();
      this.spare = undefined;
      this.pages.set(pageNo, p);
      this.lastPage = p;
    }
    const i = orderId & PAGE_MASK;
    if (p.slots[i] === undefined) {
      p.live++;
      this.count++;
    }
    p.slots[i] = order;
  }

  delete(orderId: number): boolean {
    const pageNo = Math.floor(orderId / PAGE_SIZE);
    const p = this.page(pageNo);
    const i = orderId & PAGE_MASK;
    if (p === undefined || p.slots[i] === undefined) return false;
    p.slots[i] = undefined;
    p.live--;
    this.count--;
    if (p.live === 0) {
      this.pages.delete(pageNo);
      this.spare = p; // every slot is empty again
      this.lastPageNo = -1;
      this.lastPage = undefined;
    }
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** Open orders in id order (cold path: invariants, tools). */
  *values(): IterableIterator<Order> {
    for (const pageNo of [...this.pages.keys()].sort((a, b) => a - b)) {
      for (const o of this.pages.get(pageNo)!.slots) if (o !== undefined) yield o;
    }
  }
}
