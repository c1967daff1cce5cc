import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount, expectError, signed, testExchange, type Account, type TestExchange } from './harness.ts';

/** User B's attempts on user A's orders all fail, exactly like missing orders, and A's orders are untouched. */
let t: TestExchange;
let a: Account;
let b: Account;
let orderId: number;

beforeAll(async () => {
  t = await testExchange();
  a = await devAccount(t.app);
  b = await devAccount(t.app);
  const r = await signed(t, a, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '40000', newClientOrderId: 'a-secret' } });
  orderId = r.json().orderId;
});
afterAll(async () => { await t.close(); });

describe('cross-user isolation', () => {
  it('B cannot see, cancel or replace A’s orders', async () => {
    const q = { symbol: 'BTCUSDT' };
    expectError(await signed(t, b, { method: 'GET', url: '/api/v3/order', params: { ...q, orderId } }), 400, -2013, 'Order does not exist.');
    expectError(await signed(t, b, { method: 'GET', url: '/api/v3/order', params: { ...q, origClientOrderId: 'a-secret' } }), 400, -2013);
    expectError(await signed(t, b, { method: 'DELETE', url: '/api/v3/order', params: { ...q, orderId } }), 400, -2011, 'Unknown order sent.');
    expectError(await signed(t, b, { method: 'DELETE', url: '/api/v3/order', params: { ...q, origClientOrderId: 'a-secret' } }), 400, -2011);
    expectError(await signed(t, b, { method: 'DELETE', url: '/api/v3/openOrders', params: q }), 400, -2011);
    expectError(await signed(t, b, {
      method: 'POST', url: '/api/v3/order/cancelReplace',
      params: { ...q, cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: orderId, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '100' },
    }), 400, -2022);
    expect((await signed(t, b, { method: 'GET', url: '/api/v3/openOrders' })).json()).toEqual([]);
    expect((await signed(t, b, { method: 'GET', url: '/api/v3/allOrders', params: q })).json()).toEqual([]);
    expect((await signed(t, b, { method: 'GET', url: '/api/v3/myTrades', params: q })).json()).toEqual([]);
    // B's own order with A's client id is a separate order, not A's.
    const mine = (await signed(t, b, { method: 'POST', url: '/api/v3/order', params: { ...q, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '100', newClientOrderId: 'a-secret' } })).json();
    expect(mine.orderId).not.toBe(orderId);
    // A's order is untouched.
    const still = (await signed(t, a, { method: 'GET', url: '/api/v3/order', params: { ...q, orderId } })).json();
    expect(still).toMatchObject({ status: 'NEW', origQty: '1.00000000', price: '40000.00000000', executedQty: '0.00000000' });
    expect(t.exchange.engine.openOrders(a.userId).map((o) => o.orderId)).toEqual([orderId]);
  });
});
