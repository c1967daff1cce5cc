import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devAccount, expectError, signed, testExchange, type Account, type TestExchange } from './harness.ts';

let t: TestExchange;
let maker: Account;
let taker: Account;

beforeEach(async () => {
  t = await testExchange();
  maker = await devAccount(t.app);
  taker = await devAccount(t.app);
});
afterEach(async () => { await t.close(); });

const order = (acct: Account, params: Record<string, string | number | undefined>, inBody = true) =>
  signed(t, acct, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', ...params }, inBody });

describe('POST /api/v3/order', () => {
  it('places a resting limit order (FULL by default) and matches a taker with fills and commissions', async () => {
    const r1 = await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '30000' });
    expect(r1.statusCode).toBe(200);
    expect(r1.headers['x-mbx-order-count-10s']).toBe('1');
    expect(r1.headers['x-mbx-order-count-1d']).toBe('1');
    expect(r1.headers['x-mbx-used-weight-1m']).toBeDefined();
    const placed = r1.json();
    expect(placed).toMatchObject({
      symbol: 'BTCUSDT', orderListId: -1, price: '30000.00000000', origQty: '0.50000000', executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000', status: 'NEW', timeInForce: 'GTC', type: 'LIMIT', side: 'SELL', fills: [],
      selfTradePreventionMode: 'EXPIRE_MAKER',
    });
    expect(typeof placed.orderId).toBe('number');
    expect(typeof placed.transactTime).toBe('number');

    const r2 = await order(taker, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.2', price: '30100', newClientOrderId: 'taker-1' });
    const taken = r2.json();
    expect(taken).toMatchObject({
      clientOrderId: 'taker-1', status: 'FILLED', executedQty: '0.20000000', cummulativeQuoteQty: '6000.00000000',
      fills: [{ price: '30000.00000000', qty: '0.20000000', commission: '0.00020000', commissionAsset: 'BTC' }],
    });
    const depth = (await t.app.inject({ url: '/api/v3/depth?symbol=BTCUSDT' })).json();
    expect(depth.asks).toEqual([['30000.00000000', '0.30000000']]);
    expect(depth.lastUpdateId).toBeGreaterThan(0);
  });

  it('answers ACK and RESULT shapes', async () => {
    const ack = (await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '31000', newOrderRespType: 'ACK' })).json();
    expect(Object.keys(ack).sort()).toEqual(['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);
    const res = (await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '31000', newOrderRespType: 'RESULT' })).json();
    expect(res.status).toBe('NEW');
    expect(res.fills).toBeUndefined();
    expect(res.workingTime).toBeTypeOf('number');
  });

  it('market by quantity and by quoteOrderQty, IOC, FOK, LIMIT_MAKER', async () => {
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '30000' });
    const byQty = (await order(taker, { side: 'BUY', type: 'MARKET', quantity: '0.1' })).json();
    expect(byQty).toMatchObject({ status: 'FILLED', executedQty: '0.10000000', type: 'MARKET' });
    const byQuote = (await order(taker, { side: 'BUY', type: 'MARKET', quoteOrderQty: '3000' })).json();
    expect(byQuote).toMatchObject({ status: 'FILLED', executedQty: '0.10000000', cummulativeQuoteQty: '3000.00000000', origQuoteOrderQty: '3000.00000000' });
    const ioc = (await order(taker, { side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '2', price: '30000' })).json();
    expect(ioc).toMatchObject({ status: 'EXPIRED', executedQty: '0.80000000' });
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '30000' });
    const fok = (await order(taker, { side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', quantity: '2', price: '30000' })).json();
    expect(fok).toMatchObject({ status: 'EXPIRED', executedQty: '0.00000000' });
    const maker1 = (await order(taker, { side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.1', price: '29000', newOrderRespType: 'RESULT' })).json();
    expect(maker1).toMatchObject({ status: 'NEW', type: 'LIMIT_MAKER' });
    expectError(await order(taker, { side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.1', price: '30000' }), 400, -2010, 'Order would immediately match and take.');
  });

  it('self-trade prevention expires the taker with EXPIRED_IN_MATCH and prevented fields', async () => {
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '30000' });
    const r = (await order(maker, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '30000', selfTradePreventionMode: 'EXPIRE_TAKER' })).json();
    expect(r).toMatchObject({ status: 'EXPIRED_IN_MATCH', selfTradePreventionMode: 'EXPIRE_TAKER', preventedQuantity: '0.50000000' });
    expect(r.preventedMatchId).toBeTypeOf('number');
  });

  it('stop orders answer ACK by default and show as open, untriggered', async () => {
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '30000' });
    await order(taker, { side: 'BUY', type: 'MARKET', quantity: '0.1' });
    const r = (await order(taker, { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '28000', stopPrice: '28500' })).json();
    expect(Object.keys(r)).toHaveLength(5);
    const got = (await signed(t, taker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: r.orderId } })).json();
    expect(got).toMatchObject({ status: 'NEW', stopPrice: '28500.00000000', isWorking: false, workingTime: -1, type: 'STOP_LOSS_LIMIT' });
    expectError(await order(taker, { side: 'SELL', type: 'STOP_LOSS', quantity: '0.1', stopPrice: '31000' }), 400, -2010, 'Order would trigger immediately.');
  });

  it('rejects with the Binance codes and messages', async () => {
    const base = { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '30000' };
    expectError(await order(taker, { ...base, quantity: '100' }), 400, -2010, 'Account has insufficient balance for requested action.');
    expectError(await order(taker, { ...base, symbol: 'NOPEUSDT' }), 400, -1121, 'Invalid symbol.');
    expectError(await order(taker, { ...base, symbol: 'btc usdt' }), 400, -1100);
    expectError(await order(taker, { ...base, price: '30000.001' }), 400, -1013, 'Filter failure: PRICE_FILTER');
    expectError(await order(taker, { ...base, price: '0' }), 400, -1013, 'Filter failure: PRICE_FILTER');
    expectError(await order(taker, { ...base, price: '2000000' }), 400, -1013, 'Filter failure: PRICE_FILTER');
    expectError(await order(taker, { ...base, quantity: '0.000001' }), 400, -1013, 'Filter failure: LOT_SIZE');
    expectError(await order(taker, { ...base, quantity: '0.00001', price: '1' }), 400, -1013, 'Filter failure: NOTIONAL');
    expectError(await order(taker, { ...base, quantity: '0.000000001' }), 400, -1111, 'Precision is over the maximum defined for this asset.');
    expectError(await order(taker, { ...base, quantity: '1e3' }), 400, -1100, /Illegal characters found in parameter 'quantity'/);
    expectError(await order(taker, { ...base, quantity: '-1' }), 400, -1100);
    expectError(await order(taker, { ...base, quantity: '' }), 400, -1105, "Parameter 'quantity' was empty.");
    expectError(await order(taker, { ...base, side: 'UP' }), 400, -1117, 'Invalid side.');
    expectError(await order(taker, { ...base, type: 'ICEBERG' }), 400, -1116, 'Invalid orderType.');
    expectError(await order(taker, { ...base, timeInForce: 'GTD' }), 400, -1115, 'Invalid timeInForce.');
    expectError(await order(taker, { ...base, timeInForce: undefined }), 400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
    expectError(await order(taker, { ...base, price: undefined }), 400, -1102);
    expectError(await order(taker, { ...base, side: undefined }), 400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    expectError(await order(taker, { side: 'BUY', type: 'MARKET', timeInForce: 'GTC', quantity: '0.1' }), 400, -1114, 'TimeInForce parameter sent when not required.');
    expectError(await order(taker, { side: 'BUY', type: 'MARKET', quantity: '0.1', price: '1' }), 400, -1106, "Parameter 'price' sent when not required.");
    expectError(await order(taker, { side: 'BUY', type: 'MARKET' }), 400, -1102);
    expectError(await order(taker, { ...base, selfTradePreventionMode: 'DECREMENT' }), 400, -1130, 'Invalid selfTradePreventionMode.');
    expectError(await order(taker, { ...base, newClientOrderId: 'bad id!' }), 400, -1100);
    expectError(await order(taker, { ...base, icebergQty: '0.01' }), 400, -1104, "Not all sent parameters were read; read '8' parameter(s) but was sent '9'.");
    expectError(await order(taker, { ...base, newOrderRespType: 'ALL' }), 400, -1130);
    expect(t.exchange.engine.openOrders(taker.userId)).toHaveLength(0);
  });

  it('a retried newClientOrderId returns the existing order, open or closed, and never places a second one', async () => {
    const p = { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '30000', newClientOrderId: 'retry-1' };
    const first = (await order(maker, p)).json();
    const again = (await order(maker, p)).json();
    expect(again.orderId).toBe(first.orderId);
    expect(t.exchange.engine.openOrders(maker.userId)).toHaveLength(1);
    // Concurrent retries of a market order that closes at once.
    const m = { side: 'BUY', type: 'MARKET', quantity: '0.1', newClientOrderId: 'retry-2' };
    const [a, b] = await Promise.all([order(taker, m), order(taker, m)]);
    expect(a.json().orderId).toBe(b.json().orderId);
    const closed = (await order(taker, m)).json();
    expect(closed).toMatchObject({ orderId: a.json().orderId, status: 'FILLED', fills: [{ qty: '0.10000000' }] });
    const all = (await signed(t, taker, { method: 'GET', url: '/api/v3/allOrders', params: { symbol: 'BTCUSDT' } })).json();
    expect(all).toHaveLength(1);
  });

  it('POST order/test validates fully and places nothing', async () => {
    const before = t.exchange.health().lastSeq;
    const r = await signed(t, taker, { method: 'POST', url: '/api/v3/order/test', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '30000' }, inBody: true });
    expect(r.json()).toEqual({});
    const rates = await signed(t, taker, { method: 'POST', url: '/api/v3/order/test', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1', computeCommissionRates: 'true' } });
    expect(rates.json().standardCommissionForOrder).toEqual({ maker: '0.00100000', taker: '0.00100000' });
    expectError(await signed(t, taker, { method: 'POST', url: '/api/v3/order/test', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '30000' } }), 400, -1102);
    expect(t.exchange.health().lastSeq).toBe(before);
  });
});

describe('query, cancel, cancel-replace, lists', () => {
  it('GET order by id and by client id, DELETE order, openOrders, allOrders, myTrades', async () => {
    const o = (await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '30000', newClientOrderId: 'm-1' })).json();
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '30500', newClientOrderId: 'm-2' });
    await order(taker, { side: 'BUY', type: 'MARKET', quantity: '0.2' });
    const byId = (await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: o.orderId } })).json();
    expect(byId).toMatchObject({ orderId: o.orderId, clientOrderId: 'm-1', status: 'PARTIALLY_FILLED', executedQty: '0.20000000', isWorking: true, icebergQty: '0.00000000' });
    expect(byId.time).toBeTypeOf('number');
    expect(byId.updateTime).toBeGreaterThanOrEqual(byId.time);
    const byCid = (await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT', origClientOrderId: 'm-1' } })).json();
    expect(byCid.orderId).toBe(o.orderId);
    expectError(await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: 999999 } }), 400, -2013, 'Order does not exist.');
    expectError(await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'ETHUSDT', orderId: o.orderId } }), 400, -2013);
    expectError(await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT' } }), 400, -1102,
      "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");

    const open = (await signed(t, maker, { method: 'GET', url: '/api/v3/openOrders', params: { symbol: 'BTCUSDT' } })).json();
    expect(open.map((x: { clientOrderId: string }) => x.clientOrderId)).toEqual(['m-1', 'm-2']);
    expect((await signed(t, maker, { method: 'GET', url: '/api/v3/openOrders' })).json()).toHaveLength(2);

    const canceled = (await signed(t, maker, { method: 'DELETE', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: o.orderId } })).json();
    expect(canceled).toMatchObject({ origClientOrderId: 'm-1', orderId: o.orderId, status: 'CANCELED', executedQty: '0.20000000' });
    expectError(await signed(t, maker, { method: 'DELETE', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: o.orderId } }), 400, -2011, 'Unknown order sent.');
    const closed = (await signed(t, maker, { method: 'GET', url: '/api/v3/order', params: { symbol: 'BTCUSDT', orderId: o.orderId } })).json();
    expect(closed.status).toBe('CANCELED');

    const all = (await signed(t, maker, { method: 'GET', url: '/api/v3/allOrders', params: { symbol: 'BTCUSDT' } })).json();
    expect(all.map((x: { status: string }) => x.status)).toEqual(['CANCELED', 'NEW']);
    const fromId = (await signed(t, maker, { method: 'GET', url: '/api/v3/allOrders', params: { symbol: 'BTCUSDT', orderId: o.orderId + 1 } })).json();
    expect(fromId).toHaveLength(1);

    const trades = (await signed(t, maker, { method: 'GET', url: '/api/v3/myTrades', params: { symbol: 'BTCUSDT' } })).json();
    expect(trades).toEqual([expect.objectContaining({
      symbol: 'BTCUSDT', orderId: o.orderId, orderListId: -1, price: '30000.00000000', qty: '0.20000000', quoteQty: '6000.00000000',
      commission: '6.00000000', commissionAsset: 'USDT', isBuyer: false, isMaker: true, isBestMatch: true,
    })]);
    const takerTrades = (await signed(t, taker, { method: 'GET', url: '/api/v3/myTrades', params: { symbol: 'BTCUSDT', limit: 1 } })).json();
    expect(takerTrades[0]).toMatchObject({ isBuyer: true, isMaker: false, commissionAsset: 'BTC' });

    const all2 = (await signed(t, maker, { method: 'DELETE', url: '/api/v3/openOrders', params: { symbol: 'BTCUSDT' } })).json();
    expect(all2).toEqual([expect.objectContaining({ origClientOrderId: 'm-2', status: 'CANCELED' })]);
    expectError(await signed(t, maker, { method: 'DELETE', url: '/api/v3/openOrders', params: { symbol: 'BTCUSDT' } }), 400, -2011);
    expectError(await signed(t, maker, { method: 'DELETE', url: '/api/v3/openOrders', params: {} }), 400, -1102);
  });

  it('cancelReplace replaces an order, and reports -2022 when the cancel fails', async () => {
    const o = (await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '30000' })).json();
    const r = await signed(t, maker, {
      method: 'POST', url: '/api/v3/order/cancelReplace', inBody: true,
      params: { symbol: 'BTCUSDT', cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: o.orderId, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.4', price: '30100' },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ cancelResult: 'SUCCESS', newOrderResult: 'SUCCESS', cancelResponse: { orderId: o.orderId, status: 'CANCELED' }, newOrderResponse: { price: '30100.00000000', status: 'NEW' } });
    const fail = await signed(t, maker, {
      method: 'POST', url: '/api/v3/order/cancelReplace', inBody: true,
      params: { symbol: 'BTCUSDT', cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: o.orderId, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.4', price: '30100' },
    });
    expectError(fail, 400, -2022, 'Order cancel-replace failed.');
    expect(fail.json().data).toEqual({ cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: { code: -2011, msg: 'Unknown order sent.' }, newOrderResponse: null });
    const partial = await signed(t, maker, {
      method: 'POST', url: '/api/v3/order/cancelReplace', inBody: true,
      params: { symbol: 'BTCUSDT', cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: body.newOrderResponse.orderId, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '50', price: '30100' },
    });
    expectError(partial, 409, -2021, 'Order cancel-replace partially failed.');
    expect(partial.json().data).toMatchObject({ cancelResult: 'SUCCESS', newOrderResult: 'FAILURE', newOrderResponse: { code: -2010 } });
  });

  it('GET account shows balances with locks and commission rates', async () => {
    await order(taker, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '20000' });
    const a = (await signed(t, taker, { method: 'GET', url: '/api/v3/account' })).json();
    expect(a).toMatchObject({ makerCommission: 10, takerCommission: 10, canTrade: true, accountType: 'SPOT', permissions: ['SPOT'], uid: taker.userId });
    expect(a.commissionRates).toEqual({ maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' });
    expect(a.balances).toContainEqual({ asset: 'USDT', free: '80000.00000000', locked: '20000.00000000' });
    expect(a.balances).toContainEqual({ asset: 'SOL', free: '0.00000000', locked: '0.00000000' });
    const nz = (await signed(t, taker, { method: 'GET', url: '/api/v3/account', params: { omitZeroBalances: 'true' } })).json();
    expect(nz.balances.map((b: { asset: string }) => b.asset).sort()).toEqual(['BTC', 'ETH', 'USDT']);
  });
});
