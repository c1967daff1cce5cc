/**
 * Binance kline intervals and the candle a time falls in (UTC). Weeks start on Monday 00:00 UTC,
 * months on the 1st; close time is inclusive (the next open − 1 ms), like Binance.
 *
 * Pure: no `Date`. Calendar months use integer civil-date arithmetic (Howard Hinnant's
 * days-from-civil / civil-from-days, proleptic Gregorian), equal to `Date.UTC` for every
 * timestamp `Date` can represent.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday; 1970-01-05, four days later, was a Monday. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

export const KLINE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

/** Length of every fixed-length interval ('1M' varies: 28–31 days). */
export const KLINE_INTERVAL_MS: Readonly<Record<Exclude<KlineInterval, '1M'>, number>> = {
  '1s': SECOND_MS, '1m': MINUTE_MS, '3m': 3 * MINUTE_MS, '5m': 5 * MINUTE_MS, '15m': 15 * MINUTE_MS, '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS, '2h': 2 * HOUR_MS, '4h': 4 * HOUR_MS, '6h': 6 * HOUR_MS, '8h': 8 * HOUR_MS, '12h': 12 * HOUR_MS,
  '1d': DAY_MS, '3d': 3 * DAY_MS, '1w': WEEK_MS,
};

export function isKlineInterval(s: string): s is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(s);
}

/** Days since 1970-01-01 of the civil date y-m-d (m 1..12, d 1..31). Hinnant's days_from_civil. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400; // [0, 399]
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Year and month (1..12) of the day `z` days since 1970-01-01. Hinnant's civil_from_days. */
function civilFromDays(z: number): { y: number; m: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365); // [0, 399]
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365]
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11], March-based
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m };
}

/** 00:00 UTC on the 1st of the month holding `tsMs`; `monthsAhead` months later if given. */
function monthStartMs(tsMs: number, monthsAhead = 0): number {
  const { y, m } = civilFromDays(Math.floor(tsMs / DAY_MS));
  const m0 = m - 1 + monthsAhead;
  const year = y + Math.floor(m0 / 12);
  return daysFromCivil(year, m0 - Math.floor(m0 / 12) * 12 + 1, 1) * DAY_MS;
}

/** Open time (ms) of the `interval` candle holding `tsMs`. */
export function candleOpenMs(interval: KlineInterval, tsMs: number): number {
  if (interval === '1M') return monthStartMs(tsMs);
  if (interval === '1w') return Math.floor((tsMs - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;
  const ms = KLINE_INTERVAL_MS[interval];
  return Math.floor(tsMs / ms) * ms;
}

/** Close time (ms, inclusive) of the `interval` candle opened at `openMs`: the next open − 1. */
export function candleCloseMs(interval: KlineInterval, openMs: number): number {
  if (interval === '1M') return monthStartMs(openMs, 1) - 1;
  return openMs + KLINE_INTERVAL_MS[interval] - 1;
}
