import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type OrderApi } from '@matchbox/stream';
import { startExchange, TestClient, type TestExchange } from './harness.ts';

function signed(ex: TestExchange, params: Record<string, unknown> = {}, secret = ex.aliceKey.secret): Record<string, unknown> {
  const p = { ...params, apiKey: ex.aliceKey.apiKey, timestamp: Date.now(), recvWindow: 5000 };
  return { ...p, signature: sign(secret, p) };
}

describe('WS API at /ws-api/v3', () => {
  let ex: TestExchange;
  const calls: { method: string; userId: number; params: Record<string, string> }[] = [];
  beforeAll(async () => {
    // The gateway supplies order entry; this stand-in places LIMIT orders on the real engine.
    const orderApi: OrderApi = {
      'order.place': (auth, params) => {
        calls.push({ method: 'order.place', userId: auth.userId, params: { ...params } });
        const ev = ex.feed.place({
          userId: auth.userId, side: params.side as 'BUY' | 'SELL', priceTicks: Math.round(Number(params.price) * 100),
          qtyLots: Math.round(Number(params.quantity) * 100_000), clientOrderId: params.newClientOrderId ?? '',
        });
        const o = ev.find((e) => e.type === 'order');
        if (o === undefined || o.type !== 'order') throw { code: -2010, msg: 'Account has insufficient balance for requested action.' };
        return { symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId, status: o.status };
      },
      'account.status': () => { throw new Error('boom'); },
    };
    ex = await startExchange({ orderApi });
  });
  afterAll(async () => { await ex.close(); });

  it('subscribes to the user data stream with a signature and streams executionReport and balances', async () => {
    const c = await TestClient.open(`${ex.wsBase}/ws-api/v3`);
    const ack = await c.request({ id: 'a1', method: 'userDataStream.subscribe.signature', params: signed(ex) });
    expect(ack).toEqual({ id: 'a1', status: 200, result: { subscriptionId: 0 } });
    ex.feed.place({ userId: ex.alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 100, clientOrderId: 'mine-1' });
    ex.feed.place({ userId: ex.bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 100 });
    ex.feed.apply({ t: 'deposit', userId: ex.alice, asset: 'ETH', amountUnits: 7 });
    const report = await c.next((m) => (m.event as { x?: string } | undefined)?.x === 'TRADE');
    expect(report).toMatchObject({ subscriptionId: 0, event: { e: 'executionReport', s: 'BTCUSDT', c: 'mine-1', X: 'FILLED', m: true } });
    expect(await c.next((m) => (m.event as { e?: string } | undefined)?.e === 'outboundAccountPosition')).toMatchObject({ subscriptionId: 0 });
    expect(await c.next((m) => (m.event as { e?: string } | undefined)?.e === 'balanceUpdate')).toMatchObject({ event: { a: 'ETH', d: '0.00000007' } });
    // Bob's order never reaches Alice's stream.
    expect(c.messages.filter((m) => (m as { event?: { e: string; c: string } }).event?.e === 'executionReport').every((m) => (m as { event: { c: string } }).event.c === 'mine-1')).toBe(true);
    expect(await c.request({ id: 'a2', method: 'userDataStream.unsubscribe', params: { subscriptionId: 0 } })).toEqual({ id: 'a2', status: 200, result: {} });
    c.close();
  });

  it('rejects bad signatures, stale timestamps, unknown keys and malformed requests', async () => {
    const c = await TestClient.open(`${ex.wsBase}/ws-api/v3`);
    expect(await c.request({ id: 1, method: 'userDataStream.subscribe.signature', params: signed(ex, {}, 'wrong') })).toMatchObject({ id: 1, status: 400, error: { code: -1022 } });
    const stale = { apiKey: ex.aliceKey.apiKey, timestamp: Date.now() - 60_000 };
    expect(await c.request({ id: 2, method: 'userDataStream.subscribe.signature', params: { ...stale, signature: sign(ex.aliceKey.secret, stale) } })).toMatchObject({ error: { code: -1021 } });
    const unknown = { apiKey: 'nobody', timestamp: Date.now() };
    expect(await c.request({ id: 3, method: 'userDataStream.subscribe.signature', params: { ...unknown, signature: sign('x', unknown) } })).toMatchObject({ status: 401, error: { code: -2015 } });
    expect(await c.request({ id: 4, method: 'userDataStream.subscribe.signature', params: { timestamp: Date.now() } })).toMatchObject({ error: { code: -1102 } });
    expect(await c.request({ id: 5, method: 'no.such.method', params: {} })).toMatchObject({ status: 400, error: { code: -1020 } });
    c.send('{not json');
    expect(await c.next((m) => m.id === null)).toMatchObject({ status: 400, error: { code: -1100 } });
    expect(await c.request({ id: 6, method: 'ping' })).toEqual({ id: 6, status: 200, result: {} });
    expect(await c.request({ id: 7, method: 'account.status', params: signed(ex) })).toMatchObject({ id: 7, status: 500, error: { code: -1000 } });
    c.close();
  });

  it('hands signed order.place to the gateway hook and relays its answer and errors', async () => {
    const c = await TestClient.open(`${ex.wsBase}/ws-api/v3`);
    const ok = await c.request({ id: 'p1', method: 'order.place', params: signed(ex, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '29000', quantity: '0.001', timeInForce: 'GTC', newClientOrderId: 'ws-1' }) });
    expect(ok).toMatchObject({ id: 'p1', status: 200, result: { symbol: 'BTCUSDT', clientOrderId: 'ws-1', status: 'NEW' } });
    expect(calls.at(-1)).toMatchObject({ method: 'order.place', userId: ex.alice, params: { symbol: 'BTCUSDT', price: '29000', quantity: '0.001' } });
    expect(calls.at(-1)!.params).not.toHaveProperty('signature');
    const tooBig = await c.request({ id: 'p2', method: 'order.place', params: signed(ex, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '29000', quantity: '1000000', timeInForce: 'GTC' }) });
    expect(tooBig).toMatchObject({ id: 'p2', status: 400, error: { code: expect.any(Number) } });
    c.close();
  });
});
