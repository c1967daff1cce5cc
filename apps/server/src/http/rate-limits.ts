import { ApiError } from './api-error.ts';

export interface RateLimitConfig {
  /** Request weight per IP per minute (Binance: 6000). */
  readonly ipWeightPerMinute: number;
  /** Request weight per API key per minute. */
  readonly keyWeightPerMinute: number;
  /** New orders per account per 10 s and per day. */
  readonly ordersPer10s: number;
  readonly ordersPerDay: number;
  /** 429s within one minute after which an IP gets 418 for `banMs`. */
  readonly banAfterRejections: number;
  readonly banMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  ipWeightPerMinute: 6000, keyWeightPerMinute: 6000, ordersPer10s: 100, ordersPerDay: 200_000, banAfterRejections: 100, banMs: 120_000,
};

/** Most distinct clients tracked per window; beyond it the oldest window's entries are dropped. */
const MAX_TRACKED = 100_000;

/**
 * Fixed-window counters, the way Binance counts (`X-MBX-USED-WEIGHT-1M` resets on the minute).
 * Every map is keyed by window and cleared when the window rolls over, so memory stays bounded.
 */
class WindowCounter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** Adds `n` and returns the new total, or -1 if the total would exceed `limit` (nothing added). */
  add(key: string, n: number, limit: number, now: number): number {
    this.roll(now);
    const used = (this.counts.get(key) ?? 0) + n;
    if (used > limit) return -1;
    if (this.counts.size >= MAX_TRACKED && !this.counts.has(key)) this.counts.clear();
    this.counts.set(key, used);
    return used;
  }

  used(key: string, now: number): number {
    this.roll(now);
    return this.counts.get(key) ?? 0;
  }

  retryAfterSec(now: number): number {
    return Math.max(1, Math.ceil(((this.window + 1) * this.windowMs - now) / 1000));
  }

  private roll(now: number): void {
    const w = Math.floor(now / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.counts = new Map();
    }
  }
}

export class RateLimiter {
  private readonly ipWeight = new WindowCounter(60_000);
  private readonly keyWeight = new WindowCounter(60_000);
  private readonly orders10s = new WindowCounter(10_000);
  private readonly ordersDay = new WindowCounter(86_400_000);
  private readonly rejections = new WindowCounter(60_000);
  private readonly bannedUntil = new Map<string, number>();

  constructor(readonly config: RateLimitConfig, private readonly clock: () => number) {}

  /** Charges request weight to an IP; throws 429/418 with Retry-After when over the limit. */
  chargeIp(ip: string, weight: number): number {
    const now = this.clock();
    const until = this.bannedUntil.get(ip);
    if (until !== undefined) {
      if (until > now) throw banned(until, now);
      this.bannedUntil.delete(ip);
    }
    const used = this.ipWeight.add(ip, weight, this.config.ipWeightPerMinute, now);
    if (used >= 0) return used;
    if (this.rejections.add(ip, 1, this.config.banAfterRejections, now) < 0) {
      if (this.bannedUntil.size >= MAX_TRACKED) this.bannedUntil.clear();
      this.bannedUntil.set(ip, now + this.config.banMs);
      throw banned(now + this.config.banMs, now);
    }
    throw tooMany(this.ipWeight.retryAfterSec(now), 'Too much request weight used; current limit is '
      + `${this.config.ipWeightPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`);
  }

  usedIpWeight(ip: string): number {
    return this.ipWeight.used(ip, this.clock());
  }

  chargeKey(apiKey: string, weight: number): void {
    const now = this.clock();
    if (this.keyWeight.add(apiKey, weight, this.config.keyWeightPerMinute, now) < 0) {
      throw tooMany(this.keyWeight.retryAfterSec(now), `Too much request weight used; current limit is ${this.config.keyWeightPerMinute} request weight per 1 MINUTE for this API key.`);
    }
  }

  /** Counts one new order for an account; returns the counts for the response headers. */
  countOrder(userId: number): { tenSeconds: number; day: number } {
    const now = this.clock();
    const key = String(userId);
    const ten = this.orders10s.add(key, 1, this.config.ordersPer10s, now);
    if (ten < 0) throw tooMany(this.orders10s.retryAfterSec(now), `Too many new orders; current limit is ${this.config.ordersPer10s} orders per 10 SECOND.`);
    const day = this.ordersDay.add(key, 1, this.config.ordersPerDay, now);
    if (day < 0) throw tooMany(this.ordersDay.retryAfterSec(now), `Too many new orders; current limit is ${this.config.ordersPerDay} orders per 1 DAY.`);
    return { tenSeconds: ten, day };
  }

  orderCounts(userId: number): { tenSeconds: number; day: number } {
    const now = this.clock();
    return { tenSeconds: this.orders10s.used(String(userId), now), day: this.ordersDay.used(String(userId), now) };
  }
}

function tooMany(retryAfterSec: number, msg: string): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', msg, undefined, 429).withRetryAfter(retryAfterSec);
}

function banned(until: number, now: number): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`, undefined, 418)
    .withRetryAfter(Math.max(1, Math.ceil((until - now) / 1000)));
}
