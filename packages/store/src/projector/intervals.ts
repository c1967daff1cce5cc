/** Binance kline intervals and their UTC bucket boundaries. */

export const INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type Interval = (typeof INTERVALS)[number];

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 was a Thursday; Binance weeks start on Monday 00:00 UTC, four days later. */
const WEEK_OFFSET_MS = 4 * DAY_MS;

const FIXED_MS: Record<Exclude<Interval, '1M'>, number> = {
  '1s': SECOND_MS, '1m': MINUTE_MS, '3m': 3 * MINUTE_MS, '5m': 5 * MINUTE_MS, '15m': 15 * MINUTE_MS, '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS, '2h': 2 * HOUR_MS, '4h': 4 * HOUR_MS, '6h': 6 * HOUR_MS, '8h': 8 * HOUR_MS, '12h': 12 * HOUR_MS,
  '1d': DAY_MS, '3d': 3 * DAY_MS, '1w': 7 * DAY_MS,
};

export function isInterval(s: string): s is Interval {
  return (INTERVALS as readonly string[]).includes(s);
}

/** Open time (ms) of the `interval` bucket holding `tsMs`. */
export function openTimeOf(interval: Interval, tsMs: number): number {
  if (interval === '1M') {
    const d = new Date(tsMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const len = FIXED_MS[interval];
  const offset = interval === '1w' ? WEEK_OFFSET_MS : 0;
  return Math.floor((tsMs - offset) / len) * len + offset;
}

/** Close time (ms, inclusive) of the bucket opening at `openTime`: the next open − 1. */
export function closeTimeOf(interval: Interval, openTime: number): number {
  if (interval === '1M') {
    const d = new Date(openTime);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
  }
  return openTime + FIXED_MS[interval] - 1;
}
