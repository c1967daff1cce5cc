import { Level } from './level.ts';

/**
 * One side of a book: levels by price in a Map (O(1) lookup) plus the active prices in a sorted
 * array arranged so the BEST price is LAST (bids ascending, asks descending). Nearly all activity
 * is near the top of the book, so inserting or removing a level splices near the end of the array
 * and the best level is O(1).
 */
export class BookSide {
  readonly levels = new Map<number, Level>();
  /** Sorted so that prices[prices.length - 1] is the best price. */
  readonly prices: number[] = [];
  best: Level | null = null;

  constructor(readonly isBid: boolean) {}

  /** True when `a` is a strictly better price than `b` for this side. */
  better(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  get(priceTicks: number): Level | undefined {
    return this.levels.get(priceTicks);
  }

  getOrCreate(priceTicks: number): Level {
    let level = this.levels.get(priceTicks);
    if (level !== undefined) return level;
    level = new Level(priceTicks);
    this.levels.set(priceTicks, level);
    const prices = this.prices;
    const n = prices.length;
    if (n === 0 || this.better(priceTicks, prices[n - 1]!)) {
      prices.push(priceTicks); // a new best price: the common case near the top of the book
      this.best = level;
    } else {
      prices.splice(this.insertionIndex(priceTicks), 0, priceTicks);
    }
    return level;
  }

  /** Removes an empty level. */
  remove(level: Level): void {
    this.levels.delete(level.priceTicks);
    const prices = this.prices;
    const last = prices.length - 1;
    if (prices[last] === level.priceTicks) {
      prices.pop();
      this.best = last > 0 ? this.levels.get(prices[last - 1]!)! : null;
      return;
    }
    const i = this.indexOf(level.priceTicks);
    if (i >= 0) prices.splice(i, 1);
  }

  /** First index whose price is better than `priceTicks` (binary search, O(log levels)). */
  private insertionIndex(priceTicks: number): number {
    const prices = this.prices;
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.better(prices[mid]!, priceTicks)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Binary search; prices are monotonic (ascending for bids, descending for asks). */
  private indexOf(priceTicks: number): number {
    const prices = this.prices;
    let lo = 0;
    let hi = prices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = prices[mid]!;
      if (p === priceTicks) return mid;
      // "better" prices are towards the end of the array.
      if (this.better(priceTicks, p)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Levels from best to worst, at most `limit`. */
  *fromBest(limit = Infinity): IterableIterator<Level> {
    const prices = this.prices;
    for (let i = prices.length - 1, n = 0; i >= 0 && n < limit; i--, n++) yield this.levels.get(prices[i]!)!;
  }

  get levelCount(): number {
    return this.prices.length;
  }
}
