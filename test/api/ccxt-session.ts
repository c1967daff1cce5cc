import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClient, fundedKeys, type RunningExchange } from './embedded-server.ts';

/**
 * A real ccxt session (the acceptance client of BINANCE-API.md) against the exchange listening on
 * 127.0.0.1, on whatever storage `start` boots (files in a temp dir, or Redis + PostgreSQL).
 */
export function ccxtSession(mode: string, start: () => Promise<RunningExchange>): void {
let server: RunningExchange;
let alice: ReturnType<typeof ccxtClient>;
let bob: ReturnType<typeof ccxtClient>;

beforeAll(async () => {
  server = await start();
  const a = await fundedKeys(server.base, { USDT: '100000', BTC: '10', ETH: '100', SOL: '100' });
  const b = await fundedKeys(server.base, { USDT: '100000', BTC: '10', ETH: '100' });
  alice = ccxtClient(server.base, a.apiKey, a.secretKey);
  bob = ccxtClient(server.base, b.apiKey, b.secretKey);
  await alice.loadMarkets();
  await bob.loadMarkets();
});
afterAll(async () => { await server?.close(); });

describe(`ccxt binance against Matchbox (${mode})`, () => {
  it('loads markets with precision and limits from the filters, and fetches the time', async () => {
    const m = alice.market('BTC/USDT');
    expect(m).toMatchObject({ id: 'BTCUSDT', base: 'BTC', quote: 'USDT', spot: true, active: true });
    expect(m.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(m.limits.cost?.min).toBe(5);
    expect(Object.keys(alice.markets ?? {}).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    const time = await alice.fetchTime();
    expect(Math.abs((time ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('trades: limit, market, IOC, FOK, post-only, quote quantity; book, trades, tickers, candles, balances', async () => {
    const sell = await alice.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 30000);
    expect(sell).toMatchObject({ status: 'open', price: 30000, amount: 0.5, filled: 0, type: 'limit', side: 'sell' });
    await alice.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 30100);
    await bob.createOrder('BTC/USDT', 'limit', 'buy', 0.2, 29900);

    const buy = await bob.createOrder('BTC/USDT', 'market', 'buy', 0.1);
    expect(buy).toMatchObject({ status: 'closed', filled: 0.1, cost: 3000 });
    expect(buy.trades?.length).toBe(1);
    const byCost = await bob.createOrder('BTC/USDT', 'market', 'buy', undefined as unknown as number, undefined, { cost: 1500 });
    expect(byCost).toMatchObject({ status: 'closed', filled: 0.05, cost: 1500 });
    const ioc = await bob.createOrder('BTC/USDT', 'limit', 'buy', 1, 30000, { timeInForce: 'IOC' });
    expect(ioc).toMatchObject({ status: 'expired', filled: 0.35 });
    const fok = await bob.createOrder('BTC/USDT', 'limit', 'buy', 1, 30100, { timeInForce: 'FOK' });
    expect(fok).toMatchObject({ status: 'expired', filled: 0 });
    const post = await bob.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 29800, { postOnly: true });
    expect(post).toMatchObject({ status: 'open', postOnly: true });

    const book = await alice.fetchOrderBook('BTC/USDT');
    expect(book.asks[0]).toEqual([30100, 0.5]);
    expect(book.bids[0]).toEqual([29900, 0.2]);
    expect(book.nonce).toBeGreaterThan(0);

    const trades = await alice.fetchTrades('BTC/USDT');
    expect(trades.length).toBe(3);
    expect(trades[0]).toMatchObject({ symbol: 'BTC/USDT', price: 30000, side: 'buy' });
    const ticker = await alice.fetchTicker('BTC/USDT');
    expect(ticker).toMatchObject({ symbol: 'BTC/USDT', last: 30000, bid: 29900, ask: 30100, baseVolume: 0.5 });
    const tickers = await alice.fetchTickers(['BTC/USDT', 'ETH/USDT']);
    expect(Object.keys(tickers).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const candles = await alice.fetchOHLCV('BTC/USDT', '1m');
    expect(candles.at(-1)?.slice(1)).toEqual([30000, 30000, 30000, 30000, 0.5]);

    const balance = await bob.fetchBalance();
    expect(balance.BTC).toMatchObject({ free: 10.5 - 0.0005, used: 0, total: 10.5 - 0.0005 });
    expect(balance.USDT?.used).toBeCloseTo(0.2 * 29900 + 0.1 * 29800, 6);
  });

  it('fetches orders by id and client id, lists, cancels, edits, and my trades', async () => {
    const o = await alice.createOrder('ETH/USDT', 'limit', 'sell', 1, 2000, { clientOrderId: 'alice-eth-1' });
    expect(o.clientOrderId).toBe('alice-eth-1');
    expect((await alice.fetchOrder(o.id!, 'ETH/USDT')).status).toBe('open');
    expect((await alice.fetchOrder('', 'ETH/USDT', { origClientOrderId: 'alice-eth-1' })).id).toBe(o.id);
    expect((await alice.fetchOpenOrders('ETH/USDT')).map((x) => x.id)).toEqual([o.id]);
    expect((await alice.fetchOpenOrders()).length).toBe(2);

    const edited = await alice.editOrder(o.id!, 'ETH/USDT', 'limit', 'sell', 2, 2100);
    expect(edited).toMatchObject({ status: 'open', price: 2100, amount: 2 });
    expect((await alice.fetchOrder(o.id!, 'ETH/USDT')).status).toBe('canceled');

    await bob.createOrder('ETH/USDT', 'market', 'buy', 0.5);
    const canceled = await alice.cancelOrder(edited.id!, 'ETH/USDT');
    expect(canceled).toMatchObject({ id: edited.id, status: 'canceled', filled: 0.5 });

    const orders = await alice.fetchOrders('ETH/USDT');
    expect(orders.map((x) => x.status)).toEqual(['canceled', 'canceled']);
    expect(await alice.fetchClosedOrders('ETH/USDT')).toEqual([]);
    const closed = await bob.fetchClosedOrders('BTC/USDT');
    expect(closed.map((x) => x.type)).toEqual(['market', 'market']);
    const mine = await bob.fetchMyTrades('ETH/USDT');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ side: 'buy', price: 2100, amount: 0.5, takerOrMaker: 'taker', fee: { currency: 'ETH', cost: 0.0005 } });

    await alice.createOrder('ETH/USDT', 'limit', 'sell', 1, 2500);
    await alice.createOrder('ETH/USDT', 'limit', 'sell', 1, 2600);
    const all = await alice.cancelAllOrders('ETH/USDT');
    expect(all.length).toBe(2);
    expect(await alice.fetchOpenOrders('ETH/USDT')).toEqual([]);
  });

  it('self-trade prevention through ccxt params', async () => {
    await alice.createOrder('SOL/USDT', 'limit', 'sell', 1, 100);
    const own = await alice.createOrder('SOL/USDT', 'limit', 'buy', 1, 100, { selfTradePreventionMode: 'EXPIRE_TAKER' }).catch(() => null);
    // The engine expires the taker: ccxt maps EXPIRED_IN_MATCH to "expired".
    expect(own?.status).toBe('expired');
    expect(own?.filled).toBe(0);
  });

  it('maps errors to ccxt exceptions', async () => {
    await expect(bob.createOrder('BTC/USDT', 'limit', 'buy', 100, 30000)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(bob.fetchOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    await expect(bob.cancelOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    // Filter failures are -1013, which ccxt raises as BadRequest; -2010 rejects as InvalidOrder.
    await expect(bob.createOrder('BTC/USDT', 'limit', 'buy', 0.00001, 1)).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(bob.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 29000, { stopLossPrice: 31000 })).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(bob.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 30100, { postOnly: true })).rejects.toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    const stranger = ccxtClient(server.base, 'A'.repeat(64), 'B'.repeat(64));
    stranger.markets = alice.markets;
    stranger.symbols = alice.symbols;
    stranger.markets_by_id = alice.markets_by_id;
    await expect(stranger.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    const badSecret = ccxtClient(server.base, bob.apiKey, 'C'.repeat(64));
    badSecret.markets = alice.markets;
    badSecret.markets_by_id = alice.markets_by_id;
    await expect(badSecret.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(bob.publicGetDepth({ symbol: 'NOPEUSDT' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
  });
});
}
