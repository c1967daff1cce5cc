import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchboxApiError, MatchboxClient, SymbolRules, WsApiClient, encodeParams, signPayload } from '@matchbox/client';
import { startExchange, type RunningExchange } from '../api/embedded-server.ts';

let server: RunningExchange;
let client: MatchboxClient;

beforeAll(async () => {
  server = await startExchange();
  const anon = new MatchboxClient(server.base);
  const acc = await anon.devAccount({ USDT: '100000', BTC: '10' });
  anon.close();
  client = new MatchboxClient(server.base, { credentials: acc });
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

describe('MatchboxClient against the real gateway', () => {
  it('signs exactly what it sends (Binance example vector)', () => {
    // From Binance's API docs: the documented secret and payload give this signature.
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const payload = encodeParams({ symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1', recvWindow: 5000, timestamp: 1499827319559 });
    expect(signPayload(secret, payload)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('reads market data and builds integer symbol rules', async () => {
    const info = await client.exchangeInfo();
    expect(info.symbols.map((s) => s.symbol)).toEqual(expect.arrayContaining(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']));
    const rules = new SymbolRules(info.symbols.find((s) => s.symbol === 'BTCUSDT')!);
    expect(rules.priceOf(rules.ticksOf('65000.01'))).toBe('65000.01000000');
    expect(rules.qtyOf(rules.lotsOf('0.00123'))).toBe('0.00123000');
    expect(rules.notionalUnits(rules.ticksOf('100'), rules.lotsOf('0.05'))).toBe(SymbolRules.unitsOf('5'));
    expect(rules.minLotsAt(rules.ticksOf('100'))).toBe(rules.lotsOf('0.05'));
    const depth = await client.depth('BTCUSDT', 5);
    expect(depth.lastUpdateId).toBeTypeOf('number');
    expect((await client.ticker24h('BTCUSDT')).symbol).toBe('BTCUSDT');
    expect((await client.syncTime())).toBeTypeOf('number');
  });

  it('places, lists, cancels and cancels all, with balances moving exactly', async () => {
    const usdt = async (): Promise<{ free: string; locked: string }> => (await client.account()).balances.find((b) => b.asset === 'USDT')!;
    expect(await usdt()).toEqual({ asset: 'USDT', free: '100000.00000000', locked: '0.00000000' });
    const a = await client.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100.00', quantity: '0.1' });
    expect(a).toMatchObject({ status: 'NEW', side: 'BUY', symbol: 'BTCUSDT' });
    expect(a.price).toBe('100.00000000');
    const b = await client.newOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '200000', quantity: '0.5', newClientOrderId: 'my-ask-1' });
    expect(b.clientOrderId).toBe('my-ask-1');
    expect(await usdt()).toMatchObject({ locked: '10.00000000' });
    expect((await client.openOrders('BTCUSDT')).map((o) => o.orderId).sort()).toEqual([a.orderId, b.orderId].sort());
    expect((await client.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'my-ask-1' })).orderId).toBe(b.orderId);
    expect(await client.cancelOrder({ symbol: 'BTCUSDT', orderId: a.orderId })).toMatchObject({ status: 'CANCELED', orderId: a.orderId });
    const rest = await client.cancelAll('BTCUSDT');
    expect(rest.map((o) => o.orderId)).toEqual([b.orderId]);
    expect(await client.cancelAll('BTCUSDT')).toEqual([]);
    expect(await usdt()).toEqual({ asset: 'USDT', free: '100000.00000000', locked: '0.00000000' });
  });

  it('trades between two accounts sharing one connection pool', async () => {
    const other = client.withCredentials(await client.devAccount({ USDT: '1000' }));
    await client.newOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '1000', quantity: '0.01' });
    const taker = await other.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    expect(taker.status).toBe('FILLED');
    expect(taker.fills?.[0]).toMatchObject({ price: '1000.00000000', qty: '0.01000000' });
    const btc = (await other.account()).balances.find((b) => b.asset === 'BTC')!;
    expect(btc.free).toBe('0.00999000'); // 0.1% taker fee taken from what was received
  });

  it('surfaces Binance errors with code, message and status', async () => {
    const err = await client.newOrder({ symbol: 'NOPE', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '1', quantity: '1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatchboxApiError);
    expect(err).toMatchObject({ status: 400, code: -1121, msg: 'Invalid symbol.' });
    const poor = await client.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100000', quantity: '5' }).catch((e: unknown) => e);
    expect(poor).toMatchObject({ code: -2010, msg: 'Account has insufficient balance for requested action.' });
    const bad = new MatchboxClient(server.base, { credentials: { apiKey: client.apiKey!, secretKey: 'wrong' } });
    await expect(bad.account()).rejects.toMatchObject({ code: -1022 });
    bad.close();
    expect(client.used.weight1m).toBeGreaterThan(0);
  });

  it('fails fast where the WebSocket API is not served', async () => {
    // buildApp alone mounts no /ws-api/v3 (startServer does): the client must fail, not hang.
    await expect(WsApiClient.connect(server.base)).rejects.toThrow(/not available|404|Unexpected/);
  });
});
