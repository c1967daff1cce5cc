import type { Order } from './order.ts';

/**
 * Untriggered stop orders of one market, in two arrays sorted so the NEXT order to trigger is
 * LAST: `rising` triggers when the last price rises to its stop (stop ascending → stored
 * descending), `falling` when it falls to its stop (stored ascending). Equal stops trigger in
 * order id order.
 */
export class StopBook {
  readonly rising: Order[] = [];
  readonly falling: Order[] = [];

  add(order: Order, rising: boolean): void {
    const list = rising ? this.rising : this.falling;
    const i = this.insertionIndex(list, order, rising);
    if (i === list.length) list.push(order);
    else list.splice(i, 0, order);
  }

  remove(order: Order, rising: boolean): boolean {
    const list = rising ? this.rising : this.falling;
    const i = list.indexOf(order, Math.max(0, this.insertionIndex(list, order, rising) - 1));
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Pops the next order whose stop the last price has reached, or null. */
  popTriggered(lastPriceTicks: number): { order: Order; rising: boolean } | null {
    // Length checks first: reading past the end of an array is a slow path in V8.
    const nr = this.rising.length;
    if (nr > 0 && lastPriceTicks >= this.rising[nr - 1]!.stopPriceTicks) return { order: this.rising.pop()!, rising: true };
    const nf = this.falling.length;
    if (nf > 0 && lastPriceTicks <= this.falling[nf - 1]!.stopPriceTicks) return { order: this.falling.pop()!, rising: false };
    return null;
  }

  get size(): number {
    return this.rising.length + this.falling.length;
  }

  /** Index where `order` belongs: orders that trigger later come first. */
  private insertionIndex(list: Order[], order: Order, rising: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.triggersLater(list[mid]!, order, rising)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether `a` triggers after `b` (so sits before it in the array). */
  private triggersLater(a: Order, b: Order, rising: boolean): boolean {
    if (a.stopPriceTicks !== b.stopPriceTicks) {
      return rising ? a.stopPriceTicks > b.stopPriceTicks : a.stopPriceTicks < b.stopPriceTicks;
    }
    return a.orderId > b.orderId;
  }
}
