import { describe, expect, it } from 'vitest';
import { KLINE_INTERVALS, KLINE_INTERVAL_MS, candleCloseMs, candleOpenMs, isKlineInterval } from './intervals.ts';

const DAY_MS = 86_400_000;

/** The Date-based reference the three old copies used. */
function dateMonthOpen(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
function dateMonthClose(openMs: number): number {
  const d = new Date(openMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
}

/** Timestamps to check: around every month boundary from 1970 to 2200, plus many spread up to 2200. */
function samples(): number[] {
  const out: number[] = [0, 1, DAY_MS - 1, DAY_MS];
  for (let y = 1970; y <= 2200; y++) {
    for (let m = 0; m < 12; m++) {
      const start = Date.UTC(y, m, 1);
      for (const dt of [-DAY_MS, -1, 0, 1, 12 * 3_600_000, 14 * DAY_MS + 123]) if (start + dt >= 0) out.push(start + dt);
    }
    for (const leap of [Date.UTC(y, 1, 28), Date.UTC(y, 1, 29), Date.UTC(y, 2, 1) - 1]) out.push(leap);
  }
  // 100k timestamps spread over 1970..2200 by a golden-ratio stride (deterministic, no PRNG needed).
  const end = Date.UTC(2201, 0, 1);
  for (let i = 1; i <= 100_000; i++) out.push(Math.floor(((i * 0.6180339887498949) % 1) * end));
  return out;
}

describe('kline intervals', () => {
  const ts = samples();

  it('monthly open and close equal the Date.UTC computation (1970..2200, leap years, month ends)', () => {
    for (const t of ts) {
      const open = candleOpenMs('1M', t);
      if (open !== dateMonthOpen(t)) expect({ t, open }).toEqual({ t, open: dateMonthOpen(t) });
      if (candleCloseMs('1M', open) !== dateMonthClose(open)) expect({ open, close: candleCloseMs('1M', open) }).toEqual({ open, close: dateMonthClose(open) });
      if (candleCloseMs('1M', t) !== dateMonthClose(t)) expect({ t, close: candleCloseMs('1M', t) }).toEqual({ t, close: dateMonthClose(t) });
    }
  });

  it('known months: leap February, December rollover, 1970, 2200', () => {
    expect(candleOpenMs('1M', Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe(Date.UTC(2024, 1, 1));
    expect(candleCloseMs('1M', Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 2, 1) - 1);
    expect(candleCloseMs('1M', Date.UTC(2100, 1, 1))).toBe(Date.UTC(2100, 1, 28, 23, 59, 59, 999)); // 2100 is not leap
    expect(candleCloseMs('1M', Date.UTC(2000, 1, 1))).toBe(Date.UTC(2000, 1, 29, 23, 59, 59, 999)); // 2000 is
    expect(candleCloseMs('1M', Date.UTC(2025, 11, 1))).toBe(Date.UTC(2026, 0, 1) - 1);
    expect(candleOpenMs('1M', 0)).toBe(0);
    expect(candleOpenMs('1M', Date.UTC(2200, 6, 15))).toBe(Date.UTC(2200, 6, 1));
  });

  it('weeks open on Monday 00:00 UTC; fixed intervals close at the next open − 1', () => {
    for (const t of ts.slice(0, 5000)) {
      const w = candleOpenMs('1w', t);
      expect(new Date(w).getUTCDay()).toBe(1);
      expect(w <= t && t < w + 7 * DAY_MS).toBe(true);
    }
    const t = Date.UTC(2024, 1, 29, 13, 47, 12, 345);
    for (const i of KLINE_INTERVALS) {
      if (i === '1M') continue;
      const open = candleOpenMs(i, t);
      expect(open <= t && t < open + KLINE_INTERVAL_MS[i]).toBe(true);
      expect(candleCloseMs(i, open)).toBe(candleOpenMs(i, open + KLINE_INTERVAL_MS[i]) - 1);
    }
  });

  it('recognises exactly the Binance interval names', () => {
    expect(KLINE_INTERVALS.every(isKlineInterval)).toBe(true);
    for (const s of ['', '2m', '1y', '1W', 'constructor', 'hasOwnProperty']) expect(isKlineInterval(s)).toBe(false);
  });
});
