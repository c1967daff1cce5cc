import { DEFAULT_MARKETS } from '@matchbox/domain';
import { describe, expect, it } from 'vitest';
import { closeTimeOf, openTimeOf } from '../projector/intervals.ts';
import { clampLimit, formatBigUnits, MarketFormat } from './market-format.ts';

describe('market formatting', () => {
  const btc = new MarketFormat(DEFAULT_MARKETS[0]!);
  it('formats at the market precision and 10^-8 for amounts', () => {
    expect(btc.price(3_000_001)).toBe('30000.01');
    expect(btc.qty(123)).toBe('0.00123');
    expect(btc.amount(150_000_000)).toBe('1.50000000');
    expect(btc.qtySum('100000000000000000000')).toBe('1000000000000000.00000');
    expect(formatBigUnits(-5n, 3)).toBe('-0.005');
  });
  it('clamps limits like Binance', () => {
    expect(clampLimit(undefined, 500, 1000)).toBe(500);
    expect(clampLimit(5000, 500, 1000)).toBe(1000);
    expect(clampLimit(0, 500, 1000)).toBe(1);
  });
});

describe('interval buckets', () => {
  const t = Date.UTC(2026, 1, 18, 13, 47, 12, 345); // Wednesday
  it('aligns to UTC boundaries', () => {
    expect(openTimeOf('1s', t)).toBe(Date.UTC(2026, 1, 18, 13, 47, 12));
    expect(openTimeOf('15m', t)).toBe(Date.UTC(2026, 1, 18, 13, 45));
    expect(openTimeOf('4h', t)).toBe(Date.UTC(2026, 1, 18, 12));
    expect(openTimeOf('1d', t)).toBe(Date.UTC(2026, 1, 18));
    expect(openTimeOf('1w', t)).toBe(Date.UTC(2026, 1, 16)); // Monday
    expect(openTimeOf('1M', t)).toBe(Date.UTC(2026, 1, 1));
    expect(closeTimeOf('1M', Date.UTC(2026, 1, 1))).toBe(Date.UTC(2026, 2, 1) - 1);
    expect(closeTimeOf('1h', Date.UTC(2026, 1, 18, 13))).toBe(Date.UTC(2026, 1, 18, 14) - 1);
    expect((openTimeOf('3d', t) / 86_400_000) % 3).toBe(0);
  });
});
