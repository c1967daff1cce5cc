import { prng, type Command } from '@matchbox/domain';

export interface WorkloadOptions {
  readonly seed: number;
  readonly users?: number;
  readonly symbol?: string;
  /** Mid price in ticks (BTCUSDT: 0.01 USDT a tick). */
  readonly midTicks?: number;
  /** Prefix of generated clientOrderIds, so that several runs can share one exchange. */
  readonly cidPrefix?: string;
}

/**
 * The BENCHMARKS.md mix A shape on one symbol: 60% limit GTC priced d ∈ −5..44 ticks from the
 * mid on its own side, 30% cancels of a recent order (by clientOrderId, so no feedback from the
 * engine is needed), 10% market orders. Deterministic for a seed.
 */
export class Workload {
  private readonly rand: () => number;
  private readonly users: number;
  private readonly symbol: string;
  private readonly mid: number;
  private readonly cidPrefix: string;
  private placed = 0;
  private readonly recent: { userId: number; cid: string }[] = [];

  constructor(opts: WorkloadOptions) {
    this.rand = prng(opts.seed);
    this.users = opts.users ?? 50;
    this.symbol = opts.symbol ?? 'BTCUSDT';
    this.mid = opts.midTicks ?? 3_000_000;
    this.cidPrefix = opts.cidPrefix ?? 'w';
  }

  /** Users 1..n (ids are assigned in order by the engine) with ample funds. */
  setup(): Command[] {
    const out: Command[] = [];
    // The engine keeps each asset's total below 2^53 units, so the funds are shared out.
    const usdt = Math.min(100_000_000_000_000, Math.floor(4_000_000_000_000_000 / this.users));
    const btc = Math.min(100_000_000_000, Math.floor(4_000_000_000_000 / this.users) * 1000);
    for (let u = 1; u <= this.users; u++) {
      out.push({ t: 'createUser', username: `user${u}`, passwordHash: 'x' });
      out.push({ t: 'deposit', userId: u, asset: 'USDT', amountUnits: usdt });
      out.push({ t: 'deposit', userId: u, asset: 'BTC', amountUnits: btc });
    }
    return out;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  next(): Command {
    const r = this.rand();
    const userId = this.int(1, this.users);
    const side = this.rand() < 0.5 ? 'BUY' : 'SELL';
    if (r < 0.3 && this.recent.length > 0) {
      const o = this.recent[this.int(0, this.recent.length - 1)]!;
      return { t: 'cancel', userId: o.userId, symbol: this.symbol, clientOrderId: o.cid };
    }
    if (r < 0.4) return { t: 'place', userId, symbol: this.symbol, side, type: 'MARKET', qtyLots: this.int(100, 2000) };
    const d = this.int(-5, 44);
    const priceTicks = side === 'BUY' ? this.mid - d : this.mid + d;
    const cid = `${this.cidPrefix}${++this.placed}`;
    this.recent.push({ userId, cid });
    if (this.recent.length > 5000) this.recent.shift();
    return { t: 'place', userId, symbol: this.symbol, side, type: 'LIMIT', timeInForce: 'GTC', priceTicks, qtyLots: this.int(100, 1000), clientOrderId: cid };
  }

  take(n: number): Command[] {
    const out: Command[] = new Array<Command>(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }
}
