import { describe, expect, it } from 'vitest';
import { addDecimals, decimalsOf, floorToStep, fmt, formatDecimal, fromUnits, roundToStep, toUnits, trimZeros } from './decimal.ts';

describe('decimal helpers', () => {
  it('parses and formats exactly in 10^-8 units', () => {
    expect(toUnits('1.5')).toBe(150_000_000n);
    expect(toUnits('0.00000001')).toBe(1n);
    expect(toUnits('0.000000019')).toBe(1n); // truncates beyond 8 places
    expect(toUnits('abc')).toBe(0n);
    expect(fromUnits(123_456_789n, 8)).toBe('1.23456789');
    expect(fromUnits(123_456_789n, 2)).toBe('1.23');
    expect(fromUnits(-5n, 8)).toBe('-0.00000005');
  });

  it('floors to a step and counts step decimals', () => {
    expect(decimalsOf('0.00001')).toBe(5);
    expect(decimalsOf('0.01000000')).toBe(2);
    expect(decimalsOf('1')).toBe(0);
    expect(floorToStep(toUnits('1.23456789'), '0.001')).toBe(toUnits('1.234'));
    expect(roundToStep('0.123456', '0.0001')).toBe('0.1234');
    expect(trimZeros('1.50000000')).toBe('1.5');
    expect(trimZeros('2.00000000')).toBe('2');
  });

  it('formats decimal strings exactly, grouped, with fixed places', () => {
    // the Balances tab: Total, Available and In orders all look alike
    expect(fmt('100000.00000000', 8)).toBe('100,000.00000000');
    expect(fmt(addDecimals('99400.00000000', '600.00000000'), 8)).toBe('100,000.00000000');
    expect(fmt('0.00000000', 8)).toBe('0.00000000');
    expect(fmt('1234567.5', 2)).toBe('1,234,567.50');
    expect(fmt('65002.50000000', 2)).toBe('65,002.50');
    expect(fmt('0.01000000', 5)).toBe('0.01000');
    expect(fmt('999', 0)).toBe('999');
    expect(fmt('1000', 0)).toBe('1,000');
    // beyond a double's precision: no float on the way
    expect(fmt('90071992547409.93123456', 8)).toBe('90,071,992,547,409.93123456');
    expect(fmt('123456789012345678901.12345678', 8)).toBe('123,456,789,012,345,678,901.12345678');
    // extra places are truncated, never rounded up
    expect(fmt('99349.97500000', 2)).toBe('99,349.97');
    expect(fmt('0.99999999', 2)).toBe('0.99');
    // signs, leading zeros, bare fractions
    expect(fmt('-1234.5', 2)).toBe('-1,234.50');
    expect(fmt('-0.001', 2)).toBe('0.00');
    expect(fmt('+7', 1)).toBe('7.0');
    expect(fmt('000123.4', 1)).toBe('123.4');
    expect(fmt('.5', 2)).toBe('0.50');
    expect(fmt('5.', 2)).toBe('5.00');
    expect(formatDecimal('abc', 2)).toBeUndefined();
    expect(formatDecimal('.', 2)).toBeUndefined();
    expect(formatDecimal('1e-7', 8)).toBeUndefined();
    // what is not a plain decimal string goes the number way; nothing becomes a dash
    expect(fmt('1e3', 2)).toBe('1,000.00');
    expect(fmt(undefined, 2)).toBe('—');
    expect(fmt('', 2)).toBe('—');
    expect(fmt('abc', 2)).toBe('—');
    expect(fmt(1234.565, 2)).toMatch(/^1,234\.5[67]$/); // numbers: toLocaleString rounding
  });

  it('adds decimal strings exactly', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.30000000');
    expect(addDecimals('99349.975', '0.00000001')).toBe('99349.97500001');
  });
});
