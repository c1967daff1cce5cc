import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount, expectError, signed, testExchange, type TestExchange } from './harness.ts';

let t: TestExchange;
const get = (url: string) => t.app.inject({ url });

beforeAll(async () => {
  t = await testExchange();
  const maker = await devAccount(t.app);
  const taker = await devAccount(t.app);
  const place = (who: typeof maker, p: Record<string, string>) => signed(t, who, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', ...p } });
  await place(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '30000' });
  await place(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '30010' });
  await place(maker, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '29990' });
  await place(taker, { side: 'BUY', type: 'MARKET', quantity: '0.4' });
  await place(taker, { side: 'BUY', type: 'MARKET', quantity: '0.8' });
  await place(taker, { side: 'SELL', type: 'MARKET', quantity: '0.1' });
});
afterAll(async () => { await t.close(); });

describe('market data', () => {
  it('ping, time, exchangeInfo with filters', async () => {
    expect((await get('/api/v3/ping')).json()).toEqual({});
    expect((await get('/api/v3/time')).json()).toEqual({ serverTime: t.now });
    const info = (await get('/api/v3/exchangeInfo')).json();
    expect(info.timezone).toBe('UTC');
    expect(info.rateLimits[0]).toMatchObject({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1 });
    expect(info.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    const btc = info.symbols[0];
    expect(btc).toMatchObject({
      status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', baseAssetPrecision: 8, quotePrecision: 8, quoteAssetPrecision: 8,
      isSpotTradingAllowed: true, isMarginTradingAllowed: false, permissions: ['SPOT'], icebergAllowed: false, ocoAllowed: false,
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER', allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    });
    expect(btc.orderTypes).toContain('LIMIT_MAKER');
    expect(btc.filters).toContainEqual({ filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' });
    expect(btc.filters).toContainEqual({ filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' });
    expect(btc.filters).toContainEqual({ filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 });
    expect((await get('/api/v3/exchangeInfo?symbol=ETHUSDT')).json().symbols).toHaveLength(1);
    expect((await get('/api/v3/exchangeInfo?symbols=%5B%22ETHUSDT%22,%22SOLUSDT%22%5D')).json().symbols).toHaveLength(2);
    expectError(await get('/api/v3/exchangeInfo?symbol=XYZUSDT'), 400, -1121, 'Invalid symbol.');
    expectError(await get('/api/v3/exchangeInfo?symbols=BTCUSDT'), 400, -1100);
  });

  it('depth with lastUpdateId and limits', async () => {
    const d = (await get('/api/v3/depth?symbol=BTCUSDT&limit=5')).json();
    expect(d.bids).toEqual([['29990.00000000', '0.90000000']]);
    expect(d.asks).toEqual([['30010.00000000', '0.80000000']]);
    expect(d.lastUpdateId).toBeGreaterThan(0);
    expect((await get('/api/v3/depth?symbol=BTCUSDT&limit=1000')).headers['x-mbx-used-weight-1m']).toBeDefined();
    expectError(await get('/api/v3/depth?symbol=BTCUSDT&limit=5001'), 400, -1130);
    expectError(await get('/api/v3/depth?symbol=BTCUSDT&limit=abc'), 400, -1100);
    expectError(await get('/api/v3/depth'), 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    expectError(await get('/api/v3/depth?symbol='), 400, -1102);
    expectError(await get('/api/v3/depth?symbol=BTCUSDT&foo=1'), 400, -1104);
  });

  it('trades, historicalTrades and aggTrades', async () => {
    const trades = (await get('/api/v3/trades?symbol=BTCUSDT')).json();
    expect(trades).toHaveLength(4);
    expect(trades[0]).toMatchObject({ id: 1, price: '30000.00000000', qty: '0.40000000', quoteQty: '12000.00000000', isBuyerMaker: false, isBestMatch: true });
    expect(trades[3]).toMatchObject({ price: '29990.00000000', isBuyerMaker: true });
    expect((await get('/api/v3/trades?symbol=BTCUSDT&limit=2')).json().map((x: { id: number }) => x.id)).toEqual([3, 4]);
    expect((await get('/api/v3/historicalTrades?symbol=BTCUSDT&fromId=2&limit=2')).json().map((x: { id: number }) => x.id)).toEqual([2, 3]);
    const agg = (await get('/api/v3/aggTrades?symbol=BTCUSDT')).json();
    expect(agg[0]).toEqual({ a: 1, p: '30000.00000000', q: '0.40000000', f: 1, l: 1, T: trades[0].time, m: false, M: true });
    expect((await get(`/api/v3/aggTrades?symbol=BTCUSDT&startTime=${trades[0].time}&limit=1`)).json()).toHaveLength(1);
    expect((await get('/api/v3/aggTrades?symbol=BTCUSDT&fromId=4')).json().map((x: { a: number }) => x.a)).toEqual([4]);
  });

  it('klines in every interval shape', async () => {
    const k = (await get('/api/v3/klines?symbol=BTCUSDT&interval=1m')).json();
    expect(k).toHaveLength(1);
    const [openTime, o, h, l, c, v, closeTime, qv, n, tb, tq, ignore] = k[0];
    expect(closeTime - openTime).toBe(59_999);
    expect([o, h, l, c, v]).toEqual(['30000.00000000', '30010.00000000', '29990.00000000', '29990.00000000', '1.30000000']);
    expect([qv, n, tb, tq, ignore]).toEqual(['39001.00000000', 4, '1.20000000', '36002.00000000', '0']);
    for (const i of ['1s', '5m', '1h', '1d', '1w', '1M']) {
      const rows = (await get(`/api/v3/klines?symbol=BTCUSDT&interval=${i}`)).json();
      expect(rows.length, i).toBeGreaterThanOrEqual(1);
      expect(rows.reduce((s: number, r: number[]) => s + (r[8] as number), 0), i).toBe(4);
    }
    expect((await get('/api/v3/uiKlines?symbol=BTCUSDT&interval=1h')).json()).toHaveLength(1);
    expect((await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&endTime=${openTime - 1}`)).json()).toEqual([]);
    expectError(await get('/api/v3/klines?symbol=BTCUSDT&interval=2m'), 400, -1120, 'Invalid interval.');
    expectError(await get('/api/v3/klines?symbol=BTCUSDT'), 400, -1102);
  });

  it('tickers: 24hr, price, bookTicker, avgPrice', async () => {
    const t24 = (await get('/api/v3/ticker/24hr?symbol=BTCUSDT')).json();
    expect(t24).toMatchObject({
      symbol: 'BTCUSDT', priceChange: '-10.00000000', priceChangePercent: '-0.033', weightedAvgPrice: '30000.76923076',
      lastPrice: '29990.00000000', lastQty: '0.10000000', bidPrice: '29990.00000000', askPrice: '30010.00000000',
      openPrice: '30000.00000000', highPrice: '30010.00000000', lowPrice: '29990.00000000', volume: '1.30000000',
      quoteVolume: '39001.00000000', firstId: 1, lastId: 4, count: 4, prevClosePrice: '0.00000000',
    });
    expect(t24.time).toBeUndefined();
    expect(t24.closeTime - t24.openTime).toBe(86_400_000);
    const all = (await get('/api/v3/ticker/24hr')).json();
    expect(all).toHaveLength(3);
    expect(all[1]).toMatchObject({ symbol: 'ETHUSDT', lastPrice: '0.00000000', count: 0, firstId: -1 });
    expect((await get('/api/v3/ticker/24hr?symbols=%5B%22BTCUSDT%22%5D')).json()).toHaveLength(1);
    expect((await get('/api/v3/ticker/24hr?symbol=BTCUSDT&type=MINI')).json().priceChange).toBeUndefined();
    expect((await get('/api/v3/ticker/price?symbol=BTCUSDT')).json()).toEqual({ symbol: 'BTCUSDT', price: '29990.00000000' });
    expect((await get('/api/v3/ticker/price')).json()).toHaveLength(3);
    expect((await get('/api/v3/ticker/bookTicker?symbol=BTCUSDT')).json()).toEqual({
      symbol: 'BTCUSDT', bidPrice: '29990.00000000', bidQty: '0.90000000', askPrice: '30010.00000000', askQty: '0.80000000',
    });
    expect((await get('/api/v3/avgPrice?symbol=BTCUSDT')).json()).toMatchObject({ mins: 5, price: '30000.76923076' });
    expectError(await get('/api/v3/ticker/24hr?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D'), 400, -1130);
    expectError(await get('/api/v3/ticker/price?symbols=%5B%22NOPE%22%5D'), 400, -1121);
  });
});
