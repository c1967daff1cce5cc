import { describe, expect, it } from 'vitest';
import { SymbolRules } from '@matchbox/client';
import { desiredQuotes, reconcile, type LadderParams } from './ladder.ts';
import { Prng } from '@matchbox/domain';
import { ReferencePrice } from './random-walk.ts';

const rules = new SymbolRules({
  symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', baseAssetPrecision: 8, quoteAssetPrecision: 8, orderTypes: ['LIMIT'],
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000', tickSize: '0.01' },
    { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000', stepSize: '0.00001' },
    { filterType: 'NOTIONAL', minNotional: '5' },
  ],
});
const params: LadderParams = {
  levels: 3, halfSpreadTicks: 300, stepTicks: 500, levelNotionalUnits: SymbolRules.unitsOf('500'), skewTicks: 0, quoteBids: true, quoteAsks: true,
};

describe('ladder', () => {
  it('puts levels on the step grid, bids below asks, deeper levels larger', () => {
    const q = desiredQuotes(6_500_000, params, rules);
    const bids = q.filter((x) => x.side === 'BUY').map((x) => x.priceTicks);
    const asks = q.filter((x) => x.side === 'SELL').map((x) => x.priceTicks);
    expect(bids).toEqual([6_499_500, 6_499_000, 6_498_500]);
    expect(asks).toEqual([6_500_500, 6_501_000, 6_501_500]);
    const lots = q.filter((x) => x.side === 'BUY').map((x) => x.lots);
    expect(lots[0]).toBe(769); // 500 USDT / 64995 ≈ 0.00769 BTC
    expect(lots[2]).toBe(769 * 2);
  });

  it('skews against inventory and stops adding to it at the limit', () => {
    const long = desiredQuotes(6_500_000, { ...params, skewTicks: 600, quoteBids: false }, rules);
    expect(long.every((x) => x.side === 'SELL')).toBe(true);
    expect(long[0]!.priceTicks).toBeLessThan(6_500_500 + 1);
  });

  it('a one-step move re-quotes one level a side', () => {
    const a = desiredQuotes(6_500_000, params, rules);
    const b = desiredQuotes(6_500_500, params, rules);
    const open = a.map((q, i) => ({ orderId: i, side: q.side, priceTicks: q.priceTicks }));
    const { cancel, place } = reconcile(open, b);
    expect(cancel.length).toBe(2);
    expect(place.length).toBe(2);
  });

  it('cancels duplicates at one price', () => {
    const r = reconcile([{ orderId: 1, side: 'BUY', priceTicks: 10 }, { orderId: 2, side: 'BUY', priceTicks: 10 }], [{ side: 'BUY', priceTicks: 10, lots: 1 }]);
    expect(r.cancel.map((o) => o.orderId)).toEqual([2]);
    expect(r.place).toEqual([]);
  });

  it('the seeded walk is reproducible and stays in integer ticks within bounds', () => {
    const walk = (): number[] => {
      const r = new ReferencePrice(6_500_000, 20, 1, 100_000_000, new Prng(42));
      return Array.from({ length: 100 }, () => r.step(1000));
    };
    const a = walk();
    expect(walk()).toEqual(a);
    expect(a.every((t) => Number.isSafeInteger(t) && t >= 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(10);
  });
});
