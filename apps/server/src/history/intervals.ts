/** Binance kline intervals and how to find the candle a time falls in (UTC). */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05 was a Monday; Binance weeks start on Monday 00:00 UTC. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1s': SECOND_MS, '1m': MINUTE_MS, '3m': 3 * MINUTE_MS, '5m': 5 * MINUTE_MS, '15m': 15 * MINUTE_MS, '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS, '2h': 2 * HOUR_MS, '4h': 4 * HOUR_MS, '6h': 6 * HOUR_MS, '8h': 8 * HOUR_MS, '12h': 12 * HOUR_MS,
  '1d': DAY_MS, '3d': 3 * DAY_MS, '1w': WEEK_MS, '1M': 31 * DAY_MS,
};

export function isInterval(s: string): boolean {
  return Object.hasOwn(INTERVAL_MS, s);
}

/** Open time of the candle holding `t`. */
export function bucketStart(interval: string, t: number): number {
  if (interval === '1M') {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  if (interval === '1w') return Math.floor((t - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;
  const ms = INTERVAL_MS[interval]!;
  return Math.floor(t / ms) * ms;
}

/** Close time (inclusive, like Binance: open of the next candle − 1 ms). */
export function bucketEnd(interval: string, openTime: number): number {
  if (interval === '1M') {
    const d = new Date(openTime);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
  }
  return openTime + INTERVAL_MS[interval]! - 1;
}
