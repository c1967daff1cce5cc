import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, TestClient, type TestExchange } from './harness.ts';

describe('market streams over a real WebSocket server', () => {
  let ex: TestExchange;
  beforeAll(async () => { ex = await startExchange(); });
  afterAll(async () => { await ex.close(); });

  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE with Binance acks and streams raw events', async () => {
    const c = await TestClient.open(`${ex.wsBase}/ws/0`);
    expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@depth@100ms'], id: 1 })).toEqual({ result: null, id: 1 });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({ result: ['btcusdt@trade', 'btcusdt@depth@100ms'], id: 2 });
    ex.feed.place({ userId: ex.alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 500 });
    ex.feed.place({ userId: ex.bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 200 });
    const trade = await c.next((m) => m.e === 'trade');
    expect(trade).toMatchObject({ s: 'BTCUSDT', p: '30000.00000000', q: '0.00200000', m: false });
    const diff = await c.next((m) => m.e === 'depthUpdate');
    expect(diff).toMatchObject({ s: 'BTCUSDT', a: [['30000.00000000', '0.00300000']] });
    expect(await c.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 'x' })).toEqual({ result: null, id: 'x' });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 })).toEqual({ result: ['btcusdt@depth@100ms'], id: 3 });
    c.close();
  });

  it('serves /ws/<stream> raw and /stream?streams= combined', async () => {
    const raw = await TestClient.open(`${ex.wsBase}/ws/ethusdt@trade`);
    const combined = await TestClient.open(`${ex.wsBase}/stream?streams=ethusdt@trade/ethusdt@bookTicker`);
    expect(await combined.request({ method: 'GET_PROPERTY', params: ['combined'], id: 1 })).toEqual({ result: true, id: 1 });
    ex.feed.place({ symbol: 'ETHUSDT', userId: ex.alice, side: 'SELL', priceTicks: 200_000, qtyLots: 100 });
    ex.feed.place({ symbol: 'ETHUSDT', userId: ex.bob, side: 'BUY', priceTicks: 200_000, qtyLots: 100 });
    expect(await raw.next((m) => m.e === 'trade')).toMatchObject({ s: 'ETHUSDT', p: '2000.00000000', q: '0.01000000' });
    const wrapped = await combined.next((m) => m.stream === 'ethusdt@trade');
    expect(wrapped.data).toMatchObject({ e: 'trade', s: 'ETHUSDT' });
    const book = await combined.next((m) => m.stream === 'ethusdt@bookTicker');
    expect(book.data).toMatchObject({ s: 'ETHUSDT', a: '2000.00000000' });
    raw.close();
    combined.close();
  });

  it('replies to malformed messages with errors and keeps serving', async () => {
    const c = await TestClient.open(`${ex.wsBase}/ws`);
    c.send('not json');
    expect(await c.next((m) => 'error' in m)).toEqual({ error: { code: 3, msg: 'Invalid JSON: expected value' }, id: null });
    c.send({ method: 'SUBSCRIBE', params: ['nosuch@trade'], id: 5 });
    expect(await c.next((m) => m.id === 5)).toMatchObject({ error: { code: 2 }, id: 5 });
    c.send({ method: 'FROB', id: 6 });
    expect(await c.next((m) => m.id === 6)).toMatchObject({ error: { code: 2 } });
    c.send({ method: 'SUBSCRIBE', params: 'btcusdt@trade', id: 7 });
    expect(await c.next((m) => m.id === 7)).toMatchObject({ error: { code: 2 } });
    c.send({ method: 'SUBSCRIBE', params: [42], id: 8 });
    expect(await c.next((m) => m.id === 8)).toMatchObject({ error: { code: 2 } });
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: -1 });
    expect(await c.next((m) => 'error' in m && m.id === null && (m.error as { msg: string }).msg.includes('request ID'))).toBeTruthy();
    c.send('[1,2,3]');
    c.send('null');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next((m) => (m.error as { msg?: string } | undefined)?.msg?.includes('binary') === true)).toBeTruthy();
    expect(await c.request({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 9 })).toMatchObject({ error: { code: 1 } });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 10 })).toEqual({ result: [], id: 10 });
    c.close();
  });

  it('closes a connection that sends an oversized frame or floods, and others are unaffected', async () => {
    const big = await TestClient.open(`${ex.wsBase}/ws`);
    big.send({ method: 'SUBSCRIBE', params: ['x'.repeat(70_000)], id: 1 });
    expect(await big.closed).toBe(1009);
    const flood = await TestClient.open(`${ex.wsBase}/ws`);
    for (let i = 0; i < 200; i++) flood.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    expect(await flood.closed).toBe(1008);
    const ok = await TestClient.open(`${ex.wsBase}/ws`);
    expect(await ok.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 })).toEqual({ result: [], id: 1 });
    ok.close();
  });

  it('limits subscriptions per connection', async () => {
    const small = await startExchange({ limits: { maxSubscriptions: 3 } });
    try {
      const c = await TestClient.open(`${small.wsBase}/ws`);
      expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@aggTrade'], id: 1 })).toEqual({ result: null, id: 1 });
      expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@ticker', 'btcusdt@miniTicker'], id: 2 })).toMatchObject({ error: { code: 2 }, id: 2 });
      expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 })).toEqual({ result: ['btcusdt@trade', 'btcusdt@aggTrade'], id: 3 });
      c.close();
    } finally {
      await small.close();
    }
  });

  it('refuses unknown upgrade paths with 404', async () => {
    await expect(TestClient.open(`${ex.wsBase}/nope`)).rejects.toThrow(/404/);
  });

  it('pings clients and drops one that never answers', async () => {
    const quick = await startExchange({ limits: { pingIntervalMs: 50, pongTimeoutMs: 300 } });
    try {
      const silent = await TestClient.open(`${quick.wsBase}/ws`, { autoPong: false });
      const alive = await TestClient.open(`${quick.wsBase}/ws`);
      let pings = 0;
      alive.ws.on('ping', () => { pings++; });
      await silent.closed;
      expect(pings).toBeGreaterThan(0);
      expect(alive.ws.readyState).toBe(alive.ws.OPEN);
      expect(quick.ws.connectionCount()).toBe(1);
      alive.close();
    } finally {
      await quick.close();
    }
  });
});
