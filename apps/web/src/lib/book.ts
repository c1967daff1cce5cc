/**
 * Local order book kept with Binance's documented procedure: buffer diffs, load a snapshot,
 * drop diffs with u <= lastUpdateId, first kept diff must straddle lastUpdateId + 1, then every
 * diff must continue at previous u + 1 — otherwise the book is out of sync and must reload.
 */
import type { Depth, Level } from '../api/types.ts';

export interface DepthDiff {
  U: number;
  u: number;
  b: Level[];
  a: Level[];
}

export type ApplyResult = 'applied' | 'stale' | 'gap';

export class LocalBook {
  bids = new Map<string, string>();
  asks = new Map<string, string>();
  lastUpdateId = -1;
  private first = true;

  get ready(): boolean {
    return this.lastUpdateId >= 0;
  }

  load(snapshot: Depth): void {
    this.bids = new Map(snapshot.bids);
    this.asks = new Map(snapshot.asks);
    this.lastUpdateId = snapshot.lastUpdateId;
    this.first = true;
  }

  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.lastUpdateId = -1;
    this.first = true;
  }

  apply(d: DepthDiff): ApplyResult {
    if (d.u <= this.lastUpdateId) return 'stale';
    if (this.first) {
      if (d.U > this.lastUpdateId + 1) return 'gap';
      this.first = false;
    } else if (d.U !== this.lastUpdateId + 1) return 'gap';
    for (const [p, q] of d.b) setLevel(this.bids, p, q);
    for (const [p, q] of d.a) setLevel(this.asks, p, q);
    this.lastUpdateId = d.u;
    return 'applied';
  }

  /** Best `n` levels per side: bids descending, asks ascending. */
  top(n: number): { bids: Level[]; asks: Level[] } {
    const sort = (m: Map<string, string>, dir: 1 | -1): Level[] =>
      [...m.entries()].sort((x, y) => dir * (Number(x[0]) - Number(y[0]))).slice(0, n);
    return { bids: sort(this.bids, -1), asks: sort(this.asks, 1) };
  }
}

function setLevel(m: Map<string, string>, p: string, q: string): void {
  if (Number(q) === 0) m.delete(p);
  else m.set(p, q);
}

export interface Row {
  price: number;
  qty: number;
  total: number; // cumulative quantity from the best price
}

/**
 * Groups levels into buckets of `step` (bids round down, asks round up, so a bucket never
 * claims a better price than its orders) and accumulates sizes from the touch outward.
 */
export function groupLevels(levels: Level[], step: number, side: 'bid' | 'ask', rows: number): Row[] {
  const buckets = new Map<number, number>();
  const order: number[] = [];
  for (const [p, q] of levels) {
    const price = Number(p);
    const k = side === 'bid' ? Math.floor(price / step + 1e-9) : Math.ceil(price / step - 1e-9);
    if (!buckets.has(k)) order.push(k);
    buckets.set(k, (buckets.get(k) ?? 0) + Number(q));
    if (order.length > rows) break;
  }
  let total = 0;
  return order.slice(0, rows).map((k) => {
    const qty = buckets.get(k) ?? 0;
    total += qty;
    return { price: k * step, qty, total };
  });
}
