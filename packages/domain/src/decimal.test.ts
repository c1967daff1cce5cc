import { describe, expect, test } from 'vitest';
import { MAX_UNITS, formatUnits, formatUnitsTrimmed, mulPpmFloor, parseUnits, productIsSafe } from './decimal.ts';

describe('parseUnits', () => {
  test.each([
    ['1', 8, 100_000_000],
    ['0.00000001', 8, 1],
    ['123.45', 2, 12345],
    ['0012.5', 2, 1250],
    ['1.50000000000', 8, 150_000_000], // trailing zeros beyond the scale are not precision
    ['90071992.54740991', 8, MAX_UNITS],
  ])('%s at scale %i → %i', (text, scale, units) => {
    expect(parseUnits(text, scale)).toEqual({ ok: true, units });
  });

  test.each([
    ['', 'EMPTY'],
    [' 1', 'ILLEGAL'],
    ['1 ', 'ILLEGAL'],
    ['1e5', 'ILLEGAL'],
    ['1E-2', 'ILLEGAL'],
    ['+1', 'ILLEGAL'],
    ['NaN', 'ILLEGAL'],
    ['Infinity', 'ILLEGAL'],
    ['0x10', 'ILLEGAL'],
    ['1.', 'ILLEGAL'],
    ['.5', 'ILLEGAL'],
    ['1,5', 'ILLEGAL'],
    ['１', 'ILLEGAL'],
    ['-1', 'NEGATIVE'],
    ['0.000000001', 'TOO_PRECISE'],
    ['0', 'OUT_OF_RANGE'],
    ['0.00000000', 'OUT_OF_RANGE'],
    ['90071992.54740992', 'OUT_OF_RANGE'],
    ['99999999999999999999', 'OUT_OF_RANGE'],
  ])('rejects %j as %s', (text, error) => {
    expect(parseUnits(text, 8)).toEqual({ ok: false, error });
  });

  test('options allow zero and negatives where a caller wants them', () => {
    expect(parseUnits('0', 8, { allowZero: true })).toEqual({ ok: true, units: 0 });
    expect(parseUnits('-2.5', 1, { allowNegative: true })).toEqual({ ok: true, units: -25 });
    expect(parseUnits('-0', 1, { allowNegative: true, allowZero: true })).toEqual({ ok: true, units: 0 });
  });

  test('non-strings are rejected, not coerced', () => {
    expect(parseUnits(1 as unknown as string, 8)).toEqual({ ok: false, error: 'EMPTY' });
  });
});

describe('formatUnits', () => {
  test.each([
    [1, 8, '0.00000001'],
    [100_000_000, 8, '1.00000000'],
    [12345, 2, '123.45'],
    [-5, 2, '-0.05'],
    [7, 0, '7'],
    [MAX_UNITS, 8, '90071992.54740991'],
  ])('%i at scale %i → %s', (units, scale, text) => {
    expect(formatUnits(units, scale)).toBe(text);
  });

  test('round-trips every parseable value', () => {
    for (const u of [0, 1, 9, 10, 99_999_999, 100_000_001, 123_456_789_012, MAX_UNITS]) {
      expect(parseUnits(formatUnits(u, 8), 8, { allowZero: true })).toEqual({ ok: true, units: u });
    }
  });

  test('trimmed form drops trailing zeros', () => {
    expect(formatUnitsTrimmed(150_000_000, 8)).toBe('1.5');
    expect(formatUnitsTrimmed(100_000_000, 8)).toBe('1');
    expect(formatUnitsTrimmed(0, 8)).toBe('0');
  });

  test('refuses values that are not safe integers', () => {
    expect(() => formatUnits(0.5, 8)).toThrow(RangeError);
    expect(() => formatUnits(2 ** 60, 8)).toThrow(RangeError);
  });
});

describe('integer helpers', () => {
  test('mulPpmFloor is exact where a naive product would lose precision', () => {
    expect(mulPpmFloor(1_000_000, 1000)).toBe(1000);
    expect(mulPpmFloor(999, 1000)).toBe(0);
    expect(mulPpmFloor(MAX_UNITS, 1000)).toBe(Number(BigInt(MAX_UNITS) * 1000n / 1_000_000n));
    expect(mulPpmFloor(MAX_UNITS, 1_000_000)).toBe(MAX_UNITS);
  });

  test('productIsSafe', () => {
    expect(productIsSafe(2 ** 26, 2 ** 26)).toBe(true);
    expect(productIsSafe(2 ** 27, 2 ** 27)).toBe(false);
    expect(productIsSafe(0, MAX_UNITS)).toBe(true);
  });
});
