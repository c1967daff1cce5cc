import { describe, expect, it } from 'vitest';
import { decimalsOf, floorToStep, fromUnits, roundToStep, toUnits, trimZeros } from './decimal.ts';

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
});
