import { Prng } from '@matchbox/domain';

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
