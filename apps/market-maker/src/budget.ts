/**
 * A token bucket: `ratePerSec` tokens a second, at most `burst` saved. The bot spends request
 * weight and new-order counts from buckets sized below the server's limits, so it shares an
 * IP (and the web UI's budget) politely instead of running into 429s.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(private readonly ratePerSec: number, private readonly burst: number, private readonly clock: () => number = Date.now) {
    this.tokens = burst;
    this.lastMs = clock();
  }

  tryTake(n: number): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Pause everything until `untilMs` (after a 429 with Retry-After). */
  drainUntil(untilMs: number): void {
    this.tokens = -((untilMs - this.clock()) / 1000) * this.ratePerSec;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.ratePerSec);
    this.lastMs = now;
  }
}
