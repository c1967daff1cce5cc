import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Churn } from '../../packages/stream/src/testing/sim.ts';
import { sleep, startExchange, type TestExchange } from './harness.ts';

type ProBinance = InstanceType<typeof ccxt.pro.binance>;

function client(ex: TestExchange): ProBinance {
  const c = new ccxt.pro.binance({
    apiKey: ex.aliceKey.apiKey, secret: ex.aliceKey.secret,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false },
  });
  const api = c.urls.api as Record<string, unknown>;
  c.urls.api = {
    ...api, public: `${ex.base}/api/v3`, private: `${ex.base}/api/v3`, v1: `${ex.base}/api/v1`,
    ws: { spot: `${ex.wsBase}/ws`, margin: `${ex.wsBase}/ws`, 'ws-api': { spot: `${ex.wsBase}/ws-api/v3` } },
  };
  return c;
}

describe('ccxt.pro against the stream server', () => {
  let ex: TestExchange;
  let c: ProBinance;
  beforeAll(async () => {
    ex = await startExchange();
    c = client(ex);
    await c.loadHttpProxyAgent();
    await c.loadMarkets();
  });
  afterAll(async () => {
    await c.close();
    await ex.close();
  });

  it('watchOrderBook follows churn without ChecksumError and ends equal to REST depth', async () => {
    const churn = new Churn(ex.feed, [ex.alice, ex.bob], 3);
    for (let i = 0; i < 500; i++) churn.step();
    const errors: unknown[] = [];
    let updates = 0;
    let running = true;
    const watcher = (async () => {
      while (running) {
        try {
          await c.watchOrderBook('BTC/USDT');
          updates++;
        } catch (err) {
          errors.push(err);
          if (errors.length > 5) return;
        }
      }
    })();
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      for (let i = 0; i < 100; i++) churn.step();
      await sleep(5);
    }
    const last = ex.feed.engine.depth('BTCUSDT', 1)!.lastUpdateId;
    // No more churn: the live book must reach the engine's last update id.
    const live = (): { nonce?: number } | undefined => (c.orderbooks as unknown as Record<string, { nonce?: number }>)['BTC/USDT'];
    for (let i = 0; i < 500 && live()?.nonce !== last; i++) await sleep(20);
    running = false;
    const book = c.orderbooks['BTC/USDT']!;
    expect(errors.map(String)).toEqual([]);
    expect(updates).toBeGreaterThan(10);
    expect(book.nonce).toBe(last);
    const rest = (await (await fetch(`${ex.base}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).json()) as { bids: [string, string][]; asks: [string, string][] };
    const num = (l: [string, string][]): number[][] => l.map(([p, q]) => [Number(p), Number(q)]);
    expect(book.bids.map(([p, q]) => [p, q])).toEqual(num(rest.bids));
    expect(book.asks.map(([p, q]) => [p, q])).toEqual(num(rest.asks));
    void watcher;
  });

  it('watchTrades, watchOHLCV, watchTicker and watchBidsAsks see a trade', async () => {
    const trades = c.watchTrades('ETH/USDT');
    const ohlcv = c.watchOHLCV('ETH/USDT', '1m');
    const ticker = c.watchTicker('ETH/USDT');
    const bidsAsks = c.watchBidsAsks(['ETH/USDT']);
    await sleep(300);
    ex.feed.place({ symbol: 'ETHUSDT', userId: ex.bob, side: 'BUY', priceTicks: 199_000, qtyLots: 100 });
    ex.feed.place({ symbol: 'ETHUSDT', userId: ex.alice, side: 'SELL', priceTicks: 201_000, qtyLots: 500 });
    ex.feed.place({ symbol: 'ETHUSDT', userId: ex.bob, side: 'BUY', priceTicks: 201_000, qtyLots: 200 });
    const [t] = await trades;
    expect(t).toMatchObject({ symbol: 'ETH/USDT', price: 2010, amount: 0.02, side: 'buy' });
    const candles = await ohlcv;
    expect(candles.at(-1)!.slice(1, 6)).toEqual([2010, 2010, 2010, 2010, 0.02]);
    expect(await ticker).toMatchObject({ symbol: 'ETH/USDT', last: 2010 });
    const ba = await bidsAsks;
    expect(ba['ETH/USDT']).toMatchObject({ bid: 1990 });
  });

  it('watchOrders, watchMyTrades and watchBalance receive the user data stream', async () => {
    const orders = c.watchOrders('SOL/USDT');
    const myTrades = c.watchMyTrades('SOL/USDT');
    const balance = c.watchBalance();
    await sleep(300);
    ex.feed.place({ symbol: 'SOLUSDT', userId: ex.alice, side: 'SELL', priceTicks: 10_000, qtyLots: 100, clientOrderId: 'ccxt-1' });
    ex.feed.place({ symbol: 'SOLUSDT', userId: ex.bob, side: 'BUY', priceTicks: 10_000, qtyLots: 100 });
    const [o] = await orders;
    expect(o).toMatchObject({ symbol: 'SOL/USDT', clientOrderId: 'ccxt-1', side: 'sell', price: 100, amount: 0.1 });
    const [mt] = await myTrades;
    expect(mt).toMatchObject({ symbol: 'SOL/USDT', price: 100, amount: 0.1, side: 'sell', takerOrMaker: 'maker' });
    const b = await balance;
    expect(b.SOL).toBeDefined();
  });
});
