/**
 * The aggregated book (price level → total lots) of one symbol as the diff stream describes it,
 * kept by the hub so partial depth and bookTicker agree with the diffs it sends. Prices of each
 * side are kept sorted from the best; changes cost a binary search plus a splice.
 */
export class LevelBook {
  private readonly bidLots = new Map<number, number>();
  private readonly askLots = new Map<number, number>();
  /** Bid prices, highest first. */
  private readonly bidPrices: number[] = [];
  /** Ask prices, lowest first. */
  private readonly askPrices: number[] = [];
  /** Book update id the levels reflect. */
  updateId = 0;

  reset(updateId: number, bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): void {
    this.bidLots.clear();
    this.askLots.clear();
    this.bidPrices.length = 0;
    this.askPrices.length = 0;
    for (const [p, q] of bids) this.set('bid', p, q);
    for (const [p, q] of asks) this.set('ask', p, q);
    this.updateId = updateId;
  }

  /** Applies flat [p, q, …] absolute quantities (0 removes) of one side. */
  applyFlat(side: 'bid' | 'ask', flat: readonly number[]): void {
    for (let i = 0; i + 1 < flat.length; i += 2) this.set(side, flat[i]!, flat[i + 1]!);
  }

  set(side: 'bid' | 'ask', priceTicks: number, qtyLots: number): void {
    const lots = side === 'bid' ? this.bidLots : this.askLots;
    const prices = side === 'bid' ? this.bidPrices : this.askPrices;
    const had = lots.has(priceTicks);
    if (qtyLots === 0) {
      if (!had) return;
      lots.delete(priceTicks);
      prices.splice(this.indexOf(side, priceTicks), 1);
      return;
    }
    lots.set(priceTicks, qtyLots);
    if (!had) prices.splice(this.indexOf(side, priceTicks), 0, priceTicks);
  }

  /** Index of `price` in the side's array, or where it would be inserted. */
  private indexOf(side: 'bid' | 'ask', price: number): number {
    const prices = side === 'bid' ? this.bidPrices : this.askPrices;
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = prices[mid]!;
      const before = side === 'bid' ? p > price : p < price;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Up to `limit` levels of a side from the best, as [priceTicks, lots]. */
  top(side: 'bid' | 'ask', limit: number): [number, number][] {
    const lots = side === 'bid' ? this.bidLots : this.askLots;
    const prices = side === 'bid' ? this.bidPrices : this.askPrices;
    const n = Math.min(limit, prices.length);
    const out: [number, number][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [prices[i]!, lots.get(prices[i]!)!];
    return out;
  }

  /** Best level of a side, [0, 0] when empty. */
  best(side: 'bid' | 'ask'): readonly [number, number] {
    const prices = side === 'bid' ? this.bidPrices : this.askPrices;
    const p = prices[0];
    if (p === undefined) return [0, 0];
    return [p, (side === 'bid' ? this.bidLots : this.askLots).get(p)!];
  }

  levelCount(): number {
    return this.bidPrices.length + this.askPrices.length;
  }
}
