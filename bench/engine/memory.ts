import type { Command, MarketConfig } from '@matchbox/domain';
import type { BenchEngineFactory } from './bench-engine.ts';
import { readyEngine, TS0_MS } from './measure-engine.ts';
import { PeerBooks } from './peer.ts';
import { Prng } from '@matchbox/domain';
import type { Progress } from './progress.ts';
import { LIMIT_MAX_LOTS, MID_TICKS, USER_COUNT } from './workload.ts';

export const MEMORY_ORDERS = 1_000_000;
const MEMORY_SEED = 54321;
/** Resting orders spread over this many ticks per side, below (bids) and above (asks) the mid. */
const LEVELS_PER_SIDE = 45;

export interface MemoryResult {
  readonly orders: number;
  readonly openOrders: number;
  readonly rejected: number;
  /** (heapUsed + external) after − before, per order: typed-array stores live outside the JS heap. */
  readonly bytesPerOrder: number;
  readonly heapBytesPerOrder: number;
  readonly externalBytesPerOrder: number;
  /** Time to place them all (a place-only throughput, gc included, progress included). */
  readonly placeSeconds: number;
}

interface RestingDraw { userId: number; buy: boolean; priceTicks: number; qtyLots: number }

/** Non-crossing draws: bids at mid−1−d, asks at mid+d, d uniform in 0..44, never a match. */
function* restingDraws(count: number): Generator<RestingDraw> {
  const rng = new Prng(MEMORY_SEED);
  for (let i = 0; i < count; i++) {
    const buy = rng.next() < 0.5;
    const d = rng.int(0, LEVELS_PER_SIDE - 1);
    yield { userId: rng.int(1, USER_COUNT), buy, priceTicks: buy ? MID_TICKS - 1 - d : MID_TICKS + d, qtyLots: rng.int(1, LIMIT_MAX_LOTS) };
  }
}

function collect(): { heap: number; external: number } {
  if (globalThis.gc === undefined) throw new Error('run with node --expose-gc (npm run bench:engine does)');
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
}

/**
 * Memory per resting order in the engine: 1,000,000 non-crossing GTC limits on one symbol.
 * Each command object is built inside the loop, so whatever the engine keeps of it is counted.
 */
export function engineMemory(factory: BenchEngineFactory, markets: readonly MarketConfig[], setup: readonly Command[], progress: Progress): MemoryResult {
  const ready = readyEngine(factory, markets, setup);
  const symbol = markets[0]!.symbol;
  const before = collect();
  const t0 = performance.now();
  let rejected = 0;
  let i = 0;
  for (const d of restingDraws(MEMORY_ORDERS)) {
    const events = ready.engine.apply({
      t: 'place', userId: d.userId, symbol, side: d.buy ? 'BUY' : 'SELL', type: 'LIMIT', timeInForce: 'GTC',
      priceTicks: d.priceTicks, qtyLots: d.qtyLots, clientOrderId: '',
    }, ready.seqBase + i, TS0_MS);
    for (const e of events) if (e.type === 'rejected') rejected++;
    if (++i % 100_000 === 0) progress.update(i);
  }
  const placeSeconds = (performance.now() - t0) / 1000;
  const after = collect();
  return result(ready.engine.openOrderCount(), rejected, before, after, placeSeconds);
}

/** The same 1,000,000 orders in the peer (string ids made inside the loop, as a client would). */
export function peerMemory(progress: Progress): MemoryResult {
  const books = new PeerBooks(1);
  const before = collect();
  const t0 = performance.now();
  let i = 0;
  for (const d of restingDraws(MEMORY_ORDERS)) {
    books.apply({ k: 0, book: 0, id: String(i + 1), side: d.buy ? 'buy' : 'sell', size: d.qtyLots, price: d.priceTicks });
    if (++i % 100_000 === 0) progress.update(i);
  }
  const placeSeconds = (performance.now() - t0) / 1000;
  const after = collect();
  return result(books.openOrderCount(), 0, before, after, placeSeconds);
}

function result(openOrders: number, rejected: number, before: { heap: number; external: number },
  after: { heap: number; external: number }, placeSeconds: number): MemoryResult {
  const heap = (after.heap - before.heap) / MEMORY_ORDERS;
  const external = (after.external - before.external) / MEMORY_ORDERS;
  return {
    orders: MEMORY_ORDERS, openOrders, rejected, placeSeconds,
    bytesPerOrder: Math.round(heap + external), heapBytesPerOrder: Math.round(heap), externalBytesPerOrder: Math.round(external),
  };
}
