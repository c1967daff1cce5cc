import { describe, expect, test } from 'vitest';
import { DEFAULT_MARKETS, assetsOf, compileMarket, type MarketConfig } from './market.ts';
import { ERRORS, errorBody } from './errors.ts';

const btc = DEFAULT_MARKETS[0]!;

describe('markets', () => {
  test('BTCUSDT compiles to integer limits', () => {
    const m = compileMarket(btc, 0);
    expect(m).toMatchObject({
      tickUnits: 1_000_000, lotUnits: 1000, quotePerTickLot: 10, minQtyLots: 1, maxQtyLots: 900_000_000,
      minPriceTicks: 1, maxPriceTicks: 100_000_000, minNotionalUnits: 500_000_000, priceDecimals: 2, qtyDecimals: 5,
    });
  });

  test('defaults: BTCUSDT, ETHUSDT, SOLUSDT with 0.1% fees', () => {
    expect(DEFAULT_MARKETS.map((m) => m.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(DEFAULT_MARKETS.map((m) => m.stepSize)).toEqual(['0.00001', '0.0001', '0.001']);
    for (const m of DEFAULT_MARKETS) {
      expect(m.tickSize).toBe('0.01');
      expect(m.makerFeePpm).toBe(1000);
      expect(m.takerFeePpm).toBe(1000);
    }
    expect(assetsOf(DEFAULT_MARKETS)).toEqual(['BTC', 'USDT', 'ETH', 'SOL']);
  });

  test.each<[string, Partial<MarketConfig>, RegExp]>([
    ['symbol', { symbol: 'btc-usdt' }, /symbol/],
    ['symbol mismatch', { symbol: 'ETHUSDT' }, /baseAsset \+ quoteAsset/],
    ['tick', { tickSize: '0.000000001' }, /tickSize/],
    ['tick × step not whole units', { tickSize: '0.00000001', stepSize: '0.00000001' }, /whole number/],
    ['minPrice off tick', { minPrice: '0.015' }, /minPrice must be a multiple/],
    ['maxQty off step', { maxQty: '1.000001' }, /maxQty must be a multiple/],
    ['fees', { makerFeePpm: -1 }, /fees/],
    ['default STP', { allowedStpModes: ['NONE'], defaultStpMode: 'EXPIRE_MAKER' }, /defaultStpMode/],
    ['max orders', { maxNumOrders: 0 }, /maxNumOrders/],
    ['max notional', { maxNotional: '90000000' }, /maxNotional/],
  ])('rejects a bad configuration: %s', (_name, patch, message) => {
    expect(() => compileMarket({ ...btc, ...patch }, 0)).toThrow(message);
  });
});

describe('error catalogue', () => {
  test('Binance codes and exact messages that ccxt matches', () => {
    expect(errorBody('BAD_SYMBOL')).toEqual({ code: -1121, msg: 'Invalid symbol.' });
    expect(errorBody('INSUFFICIENT_BALANCE')).toEqual({ code: -2010, msg: 'Account has insufficient balance for requested action.' });
    expect(errorBody('WOULD_TAKE')).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });
    expect(errorBody('UNKNOWN_ORDER')).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    expect(errorBody('NO_SUCH_ORDER')).toEqual({ code: -2013, msg: 'Order does not exist.' });
    expect(errorBody('INVALID_TIMESTAMP').msg).toBe('Timestamp for this request is outside of the recvWindow.');
    expect(errorBody('FILTER_PRICE').msg).toBe('Filter failure: PRICE_FILTER');
    expect(ERRORS.TOO_MANY_REQUESTS.http).toBe(429);
  });

  test('every entry is a 4xx/5xx with a negative code and a message', () => {
    for (const [name, e] of Object.entries(ERRORS)) {
      expect(e.code, name).toBeLessThan(0);
      expect(e.msg.length, name).toBeGreaterThan(5);
      expect(e.http, name).toBeGreaterThanOrEqual(400);
    }
  });
});
