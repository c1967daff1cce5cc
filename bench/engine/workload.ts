import { Prng } from '@matchbox/domain';

/**
 * The engine workloads of BENCHMARKS.md, pre-generated into typed arrays (compact, and nothing
 * here is timed). Converting to engine commands or peer operations happens in streams.ts.
 *
 * Order ids are predicted: the engine numbers accepted place commands 1, 2, 3, … (limit and
 * market alike), and the harness makes every place acceptable (ample funds, lax filters), so
 * a cancel can name its target's id before the stream runs. run.ts checks the prediction by
 * counting rejected places (must be 0).
 */

export const KIND_LIMIT = 0;
export const KIND_MARKET = 1;
export const KIND_CANCEL = 2;
export const SIDE_BUY = 0;
export const SIDE_SELL = 1;

export interface MixSpec {
  readonly name: string;
  /** Probabilities; cancel is the rest. */
  readonly limitShare: number;
  readonly marketShare: number;
}

export const MIX_A: MixSpec = { name: 'A', limitShare: 0.6, marketShare: 0.1 };
export const MIX_B: MixSpec = { name: 'B', limitShare: 0.45, marketShare: 0.15 };

export const WORKLOAD_SEED = 12345;
export const MID_TICKS = 10_000;
/** A limit is priced d ticks from the mid on its own side (buy: mid − d, sell: mid + d). */
export const DISTANCE_MIN_TICKS = -5;
export const DISTANCE_MAX_TICKS = 44;
export const LIMIT_MAX_LOTS = 100;
export const MARKET_MAX_LOTS = 200;
/** A cancel picks uniformly among the last this-many limit orders, live or not (see repeatCancels). */
export const CANCEL_WINDOW = 5_000;
export const USER_COUNT = 100;

export interface WorkloadOptions {
  readonly mix: MixSpec;
  readonly count: number;
  readonly seed: number;
  /** Symbols the commands spread over uniformly (1 or 3 in the benchmark). */
  readonly symbolCount: number;
  readonly userCount?: number;
  /**
   * false (default): a cancelled order leaves the pool a cancel draws from, so the stream never
   * cancels the same order twice, but it does cancel filled ones ("live or not"). This is the
   * reading that reproduces BENCHMARKS.md's book sizes (mix A ~170k, mix B ~11k resting after
   * 1,000,000 commands). true: cancelled orders stay in the pool too (repeat cancels; the book
   * ends near 203k on mix A and 43k on mix B, growing all the way).
   */
  readonly repeatCancels?: boolean;
}

export interface Workload {
  readonly mix: MixSpec;
  readonly seed: number;
  readonly count: number;
  readonly symbolCount: number;
  readonly kind: Uint8Array;
  readonly side: Uint8Array;
  readonly symbolIndex: Uint8Array;
  /** 1-based user id (the setup creates users 1..userCount). */
  readonly userId: Uint16Array;
  /** LIMIT only. */
  readonly priceTicks: Int32Array;
  /** LIMIT and MARKET. */
  readonly qtyLots: Int32Array;
  /** Place: the engine order id it will get. Cancel: the target's order id. */
  readonly orderId: Int32Array;
  /** Cancel: index in this stream of the limit command it targets; −1 otherwise. */
  readonly targetIndex: Int32Array;
}

/**
 * Generates `count` commands. Every draw is independent: kind by the mix, then side 50/50, then
 * user and symbol uniformly. A cancel drawn while the pool is empty becomes a limit (it can only
 * happen in the first handful of commands). A cancel carries its target's user and symbol.
 */
export function generateWorkload(options: WorkloadOptions): Workload {
  const { mix, count, seed, symbolCount } = options;
  const userCount = options.userCount ?? USER_COUNT;
  const rng = new Prng(seed);
  const w: Workload = {
    mix, seed, count, symbolCount,
    kind: new Uint8Array(count), side: new Uint8Array(count), symbolIndex: new Uint8Array(count),
    userId: new Uint16Array(count), priceTicks: new Int32Array(count), qtyLots: new Int32Array(count),
    orderId: new Int32Array(count), targetIndex: new Int32Array(count).fill(-1),
  };
  // Stream indices of the limit orders a cancel may draw from, oldest first.
  const pool = new Int32Array(count);
  let poolLength = 0;
  let nextOrderId = 1;
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    let kind = u < mix.limitShare ? KIND_LIMIT : u < mix.limitShare + mix.marketShare ? KIND_MARKET : KIND_CANCEL;
    if (kind === KIND_CANCEL && poolLength === 0) kind = KIND_LIMIT;
    w.kind[i] = kind;
    if (kind === KIND_CANCEL) {
      const at = poolLength - rng.int(1, Math.min(poolLength, CANCEL_WINDOW));
      const target = pool[at]!;
      if (options.repeatCancels !== true) {
        pool.copyWithin(at, at + 1, poolLength);
        poolLength--;
      }
      w.targetIndex[i] = target;
      w.orderId[i] = w.orderId[target]!;
      w.userId[i] = w.userId[target]!;
      w.symbolIndex[i] = w.symbolIndex[target]!;
      w.side[i] = w.side[target]!;
      continue;
    }
    const side = rng.next() < 0.5 ? SIDE_BUY : SIDE_SELL;
    w.side[i] = side;
    w.userId[i] = rng.int(1, userCount);
    w.symbolIndex[i] = symbolCount === 1 ? 0 : rng.int(0, symbolCount - 1);
    w.orderId[i] = nextOrderId++;
    if (kind === KIND_LIMIT) {
      const d = rng.int(DISTANCE_MIN_TICKS, DISTANCE_MAX_TICKS);
      w.priceTicks[i] = side === SIDE_BUY ? MID_TICKS - d : MID_TICKS + d;
      w.qtyLots[i] = rng.int(1, LIMIT_MAX_LOTS);
      pool[poolLength++] = i;
    } else {
      w.qtyLots[i] = rng.int(1, MARKET_MAX_LOTS);
    }
  }
  return w;
}

/** Counts of each kind, for the report and the tests. */
export function kindCounts(w: Workload): { limit: number; market: number; cancel: number } {
  let limit = 0;
  let market = 0;
  let cancel = 0;
  for (let i = 0; i < w.count; i++) {
    const k = w.kind[i];
    if (k === KIND_LIMIT) limit++;
    else if (k === KIND_MARKET) market++;
    else cancel++;
  }
  return { limit, market, cancel };
}
