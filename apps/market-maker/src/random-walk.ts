/** A small seeded PRNG (mulberry32): the same seed gives the same quotes and taker flow. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller). */
  gauss(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A reference price in integer ticks following a random walk: each step moves by a normal
 * number of ticks with standard deviation `refTicks · volatilityBps/10⁴ · √(dt/1 s)`, rounded to
 * whole ticks. The float is only the random draw; the price itself is always an integer.
 */
export class ReferencePrice {
  constructor(
    private ticks: number,
    private readonly volatilityBpsPerSqrtSec: number,
    private readonly minTicks: number,
    private readonly maxTicks: number,
    private readonly rng: Prng,
  ) {}

  get priceTicks(): number {
    return this.ticks;
  }

  step(dtMs: number): number {
    const sigmaTicks = (this.ticks * this.volatilityBpsPerSqrtSec / 10_000) * Math.sqrt(dtMs / 1000);
    const move = Math.round(this.rng.gauss() * sigmaTicks);
    this.ticks = Math.min(this.maxTicks, Math.max(this.minTicks, this.ticks + move));
    return this.ticks;
  }

  /** Pulls the reference toward where the market actually trades (others may move it). */
  anchor(tradedTicks: number, weightPct: number): void {
    this.ticks += Math.trunc(((tradedTicks - this.ticks) * weightPct) / 100);
  }
}
