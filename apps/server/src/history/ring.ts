/**
 * A bounded FIFO that drops its oldest items past `capacity` (STYLE: a limit on everything).
 * Items are appended in increasing key order, so range queries can binary-search.
 */
export class Ring<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('ring capacity must be a positive integer');
  }

  get size(): number { return this.items.length - this.head; }

  push(item: T): void {
    this.items.push(item);
    if (this.size > this.capacity) {
      this.items[this.head++] = undefined as T; // not kept alive by the dead prefix
      // Compact once the dead prefix is as large as the live part: amortised O(1).
      if (this.head >= this.capacity) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Drops the oldest item, if any. */
  dropOldest(): void {
    if (this.size === 0) return;
    this.items[this.head++] = undefined as T; // not kept alive by the dead prefix
    if (this.head >= this.capacity || this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  at(i: number): T | undefined {
    return i < 0 || i >= this.size ? undefined : this.items[this.head + i];
  }

  last(): T | undefined {
    return this.at(this.size - 1);
  }

  /** Index of the first item whose key is ≥ `key` (size when none). */
  lowerBound(key: number, keyOf: (item: T) => number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(this.items[this.head + mid]!) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  slice(from: number, to: number): T[] {
    const a = Math.max(0, from);
    const b = Math.min(this.size, to);
    return a >= b ? [] : this.items.slice(this.head + a, this.head + b);
  }
}

/**
 * A FIFO of numbers without a bound of its own (its user bounds it): amortised O(1) push and
 * shift, compacting once the consumed prefix is half the array.
 */
export class NumberQueue {
  private items: number[] = [];
  private head = 0;

  get length(): number { return this.items.length - this.head; }

  push(n: number): void { this.items.push(n); }

  /** Removes and returns the oldest number; the queue must not be empty. */
  shift(): number {
    if (this.head >= this.items.length) throw new RangeError('shift from an empty queue');
    const n = this.items[this.head++]!;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return n;
  }
}
