import { describe, expect, it } from 'vitest';
import { benchMarkets } from './markets.ts';
import {
  CANCEL_WINDOW, DISTANCE_MAX_TICKS, DISTANCE_MIN_TICKS, generateWorkload, KIND_CANCEL, KIND_LIMIT, KIND_MARKET,
  kindCounts, LIMIT_MAX_LOTS, MARKET_MAX_LOTS, MID_TICKS, MIX_A, MIX_B, SIDE_BUY, USER_COUNT, WORKLOAD_SEED, type Workload,
} from './workload.ts';

const COUNT = 1_000_000;

/** Fenwick tree over stream indices: how many pool members lie in a range. */
class Fenwick {
  private readonly tree: Int32Array;
  constructor(n: number) { this.tree = new Int32Array(n + 1); }
  add(i: number, delta: number): void { for (let j = i + 1; j < this.tree.length; j += j & -j) this.tree[j]! += delta; }
  /** Sum over indices 0..i-1. */
  prefix(i: number): number { let s = 0; for (let j = i; j > 0; j -= j & -j) s += this.tree[j]!; return s; }
}

/**
 * Replays the pool: every cancel must target a limit order that is among the last CANCEL_WINDOW
 * limits still in the pool (cancelled ones leave it unless repeatCancels), and carry its target's
 * order id, user and symbol.
 */
function checkCancels(w: Workload, repeatCancels: boolean): void {
  const inPool = new Fenwick(w.count);
  const pooled = new Uint8Array(w.count);
  for (let i = 0; i < w.count; i++) {
    if (w.kind[i] === KIND_LIMIT) { inPool.add(i, 1); pooled[i] = 1; continue; }
    if (w.kind[i] !== KIND_CANCEL) continue;
    const t = w.targetIndex[i]!;
    if (!(t >= 0 && t < i && w.kind[t] === KIND_LIMIT && pooled[t] === 1)) throw new Error(`cancel ${i} targets ${t}, not a pooled limit`);
    const newerOrSame = inPool.prefix(i) - inPool.prefix(t);
    if (newerOrSame < 1 || newerOrSame > CANCEL_WINDOW) throw new Error(`cancel ${i} targets ${t}, ${newerOrSame} pool entries back`);
    if (w.orderId[i] !== w.orderId[t] || w.userId[i] !== w.userId[t] || w.symbolIndex[i] !== w.symbolIndex[t]) {
      throw new Error(`cancel ${i} does not carry its target's order id, user and symbol`);
    }
    if (!repeatCancels) { inPool.add(t, -1); pooled[t] = 0; }
  }
}

describe('engine workload generator', () => {
  const a = generateWorkload({ mix: MIX_A, count: COUNT, seed: WORKLOAD_SEED, symbolCount: 1 });

  it('is deterministic for a seed and differs for another seed', () => {
    const again = generateWorkload({ mix: MIX_A, count: COUNT, seed: WORKLOAD_SEED, symbolCount: 1 });
    for (const key of ['kind', 'side', 'symbolIndex', 'userId', 'priceTicks', 'qtyLots', 'orderId', 'targetIndex'] as const) {
      expect(Buffer.compare(Buffer.from(a[key].buffer), Buffer.from(again[key].buffer)), key).toBe(0);
    }
    const other = generateWorkload({ mix: MIX_A, count: 10_000, seed: WORKLOAD_SEED + 1, symbolCount: 1 });
    expect(other.priceTicks.some((p, i) => p !== a.priceTicks[i])).toBe(true);
  });

  it.each([[MIX_A, a], [MIX_B, generateWorkload({ mix: MIX_B, count: COUNT, seed: WORKLOAD_SEED, symbolCount: 3 })]] as const)(
    'mix $name has the specified shares within 0.3 points', (mix, w) => {
      const k = kindCounts(w);
      expect(Math.abs(k.limit / COUNT - mix.limitShare)).toBeLessThan(0.003);
      expect(Math.abs(k.market / COUNT - mix.marketShare)).toBeLessThan(0.003);
      expect(Math.abs(k.cancel / COUNT - (1 - mix.limitShare - mix.marketShare))).toBeLessThan(0.003);
    });

  it('draws prices, sizes, sides, users and symbols from the specified ranges', () => {
    const w = generateWorkload({ mix: MIX_B, count: 200_000, seed: 7, symbolCount: 3 });
    let crossing = 0;
    let limits = 0;
    let buys = 0;
    let places = 0;
    let outOfRange = 0;
    const symbols = new Set<number>();
    for (let i = 0; i < w.count; i++) {
      const kind = w.kind[i];
      if (kind === KIND_CANCEL) continue;
      places++;
      if (w.side[i] === SIDE_BUY) buys++;
      symbols.add(w.symbolIndex[i]!);
      const user = w.userId[i]!;
      const lots = w.qtyLots[i]!;
      if (user < 1 || user > USER_COUNT || lots < 1) outOfRange++;
      if (kind === KIND_MARKET) {
        if (lots > MARKET_MAX_LOTS) outOfRange++;
        continue;
      }
      limits++;
      const d = w.side[i] === SIDE_BUY ? MID_TICKS - w.priceTicks[i]! : w.priceTicks[i]! - MID_TICKS;
      if (d < DISTANCE_MIN_TICKS || d > DISTANCE_MAX_TICKS || lots > LIMIT_MAX_LOTS) outOfRange++;
      if (d < 0) crossing++;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(crossing / limits - 0.1)).toBeLessThan(0.005);
    expect(Math.abs(buys / places - 0.5)).toBeLessThan(0.005);
    expect([...symbols].sort()).toEqual([0, 1, 2]);
  });

  it('numbers place commands 1, 2, 3, … as the engine will', () => {
    let expected = 1;
    for (let i = 0; i < a.count; i++) if (a.kind[i] !== KIND_CANCEL && a.orderId[i] !== expected++) throw new Error(`order id at ${i}`);
  });

  it('cancels one of the last 5,000 limit orders still in the pool, never the same one twice', () => {
    checkCancels(a, false);
    const targets = new Set<number>();
    for (let i = 0; i < a.count; i++) if (a.kind[i] === KIND_CANCEL) targets.add(a.targetIndex[i]!);
    expect(targets.size).toBe(kindCounts(a).cancel);
  });

  it('with repeatCancels, cancels one of the last 5,000 limit orders, cancelled or not', () => {
    const w = generateWorkload({ mix: MIX_B, count: 300_000, seed: WORKLOAD_SEED, symbolCount: 1, repeatCancels: true });
    checkCancels(w, true);
  });

  it('uses bench markets whose filters accept every order of the workload', () => {
    expect(benchMarkets(3).map((m) => m.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  });
});
