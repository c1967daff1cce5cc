import { describe, expect, it } from 'vitest';
import { LocalBook, groupLevels } from './book.ts';

describe('LocalBook (Binance local order book procedure)', () => {
  const snap = { lastUpdateId: 10, bids: [['100.00', '1'], ['99.00', '2']] as [string, string][], asks: [['101.00', '1']] as [string, string][] };

  it('drops stale diffs, needs the first diff to straddle lastUpdateId + 1, then contiguous ranges', () => {
    const b = new LocalBook();
    b.load(snap);
    expect(b.apply({ U: 5, u: 10, b: [], a: [] })).toBe('stale');
    expect(b.apply({ U: 9, u: 12, b: [['100.00', '0']], a: [['102.00', '3']] })).toBe('applied');
    expect(b.top(5)).toEqual({ bids: [['99.00', '2']], asks: [['101.00', '1'], ['102.00', '3']] });
    expect(b.apply({ U: 14, u: 15, b: [], a: [] })).toBe('gap');
    expect(b.apply({ U: 13, u: 13, b: [['99.50', '1']], a: [] })).toBe('applied');
    expect(b.top(1).bids).toEqual([['99.50', '1']]);
  });

  it('reports a gap when the first diff starts after lastUpdateId + 1', () => {
    const b = new LocalBook();
    b.load(snap);
    expect(b.apply({ U: 12, u: 13, b: [], a: [] })).toBe('gap');
  });
});

describe('groupLevels', () => {
  it('buckets bids down and asks up, and accumulates from the touch', () => {
    const bids = groupLevels([['100.37', '1'], ['100.01', '2'], ['99.99', '4']], 1, 'bid', 10);
    expect(bids).toEqual([{ price: 100, qty: 3, total: 3 }, { price: 99, qty: 4, total: 7 }]);
    const asks = groupLevels([['100.01', '1'], ['100.99', '2'], ['101.50', '4']], 1, 'ask', 10);
    expect(asks).toEqual([{ price: 101, qty: 3, total: 3 }, { price: 102, qty: 4, total: 7 }]);
  });
});
