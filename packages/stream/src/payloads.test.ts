import { describe, expect, it } from 'vitest';
import { percentChange, weightedAverage } from './payloads.ts';
import { textFrame } from './frame.ts';
import { candleCloseMs, candleOpenMs } from './intervals.ts';

describe('payload arithmetic', () => {
  it('computes percentages from integers, rounded half away from zero', () => {
    expect(percentChange(100, 101)).toBe('1.000');
    expect(percentChange(3, 2)).toBe('-33.333');
    expect(percentChange(3, 4)).toBe('33.333');
    expect(percentChange(200_000, 199_999)).toBe('-0.001');
    expect(percentChange(0, 5)).toBe('0.000');
    expect(percentChange(7, 7)).toBe('0.000');
  });

  it('computes the weighted average price in quote per base unit', () => {
    expect(weightedAverage(30 * 1e8, 0.001 * 1e8)).toBe('30000.00000000');
    expect(weightedAverage(0, 0)).toBe('0.00000000');
  });

  it('frames text of every length class', () => {
    for (const n of [0, 125, 126, 65_535, 65_536]) {
      const f = textFrame('x'.repeat(n));
      expect(f[0]).toBe(0x81);
      const header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
      expect(f.length).toBe(header + n);
    }
  });

  it('puts candles in UTC buckets, weeks from Monday, months by calendar', () => {
    const t = Date.UTC(2024, 1, 29, 13, 47, 12, 345);
    expect(candleOpenMs('1m', t)).toBe(Date.UTC(2024, 1, 29, 13, 47));
    expect(candleOpenMs('4h', t)).toBe(Date.UTC(2024, 1, 29, 12));
    expect(candleOpenMs('1w', t)).toBe(Date.UTC(2024, 1, 26));
    expect(candleOpenMs('1M', t)).toBe(Date.UTC(2024, 1, 1));
    expect(candleCloseMs('1M', Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 2, 1) - 1);
  });
});
