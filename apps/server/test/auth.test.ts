import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devAccount, expectError, qs, sign, signed, testExchange, type Account, type TestExchange } from './harness.ts';

let t: TestExchange;
let a: Account;

beforeEach(async () => {
  t = await testExchange();
  a = await devAccount(t.app);
});
afterEach(async () => { await t.close(); });

const account = (o: Partial<Parameters<typeof signed>[2]> = {}) => signed(t, a, { method: 'GET', url: '/api/v3/account', ...o });

describe('signed requests', () => {
  it('accepts a correct signature in the query string or split across query and body', async () => {
    expect((await account()).statusCode).toBe(200);
    // Binance's documented mixed form: HMAC over query + body concatenated, signature last in the body.
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = `quantity=0.1&price=30000&recvWindow=5000&timestamp=${t.now}`;
    const r = await t.app.inject({
      method: 'POST', url: `/api/v3/order?${query}`, payload: `${body}&signature=${sign(a.secretKey, query + body)}`,
      headers: { 'x-mbx-apikey': a.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('NEW');
  });

  it('rejects missing, malformed, unknown and revoked keys', async () => {
    expectError(await t.app.inject({ url: `/api/v3/account?timestamp=${t.now}&signature=${'0'.repeat(64)}` }), 400, -2014, 'API-key format invalid.');
    expectError(await account({ apiKey: 'short' }), 400, -2014, 'API-key format invalid.');
    expectError(await account({ apiKey: 'x'.repeat(64) }), 401, -2015, 'Invalid API-key, IP, or permissions for action.');
  });

  it('rejects bad signatures with -1022, and a signature missing with -1102', async () => {
    expectError(await account({}).then(() => signed(t, { ...a, secretKey: 'wrong' }, { method: 'GET', url: '/api/v3/account' })), 400, -1022, 'Signature for this request is not valid.');
    const payload = qs({ timestamp: t.now });
    expectError(await t.app.inject({ url: `/api/v3/account?${payload}`, headers: { 'x-mbx-apikey': a.apiKey } }), 400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    expectError(await t.app.inject({ url: `/api/v3/account?${payload}&signature=zz`, headers: { 'x-mbx-apikey': a.apiKey } }), 400, -1022);
    // Tampering with a signed parameter after signing.
    const signedQs = `symbol=BTCUSDT&timestamp=${t.now}`;
    const tampered = `symbol=ETHUSDT&timestamp=${t.now}&signature=${sign(a.secretKey, signedQs)}`;
    expectError(await t.app.inject({ url: `/api/v3/openOrders?${tampered}`, headers: { 'x-mbx-apikey': a.apiKey } }), 400, -1022);
  });

  it('enforces timestamp and recvWindow: -1021 outside, -1131 above 60000, -1102 when missing', async () => {
    expectError(await account({ timestamp: t.now - 5001 }), 400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    expectError(await account({ timestamp: t.now + 1000 }), 400, -1021);
    expect((await account({ timestamp: t.now + 999 })).statusCode).toBe(200);
    expect((await account({ timestamp: t.now - 5000 })).statusCode).toBe(200);
    expect((await account({ timestamp: t.now - 20_000, params: { recvWindow: 30_000 } })).statusCode).toBe(200);
    expectError(await account({ params: { recvWindow: 60_001 } }), 400, -1131);
    const noTs = `signature=${sign(a.secretKey, '')}`;
    expectError(await t.app.inject({ url: `/api/v3/account?${noTs}`, headers: { 'x-mbx-apikey': a.apiKey } }), 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    expectError(await account({ timestamp: -1 as unknown as number }), 400, -1100);
  });

  it('checks key permissions: a READ-only key cannot trade', async () => {
    const ro = await devAccount(t.app, { USDT: '1000' }, { permissions: ['READ'] });
    expect((await signed(t, ro, { method: 'GET', url: '/api/v3/account' })).json().canTrade).toBe(false);
    expectError(await signed(t, ro, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' } }), 401, -2015);
    const to = await devAccount(t.app, { USDT: '1000' }, { permissions: ['TRADE'] });
    expectError(await signed(t, to, { method: 'GET', url: '/api/v3/account' }), 401, -2015);
  });

  it('detects duplicate parameters (-1101) before anything else', async () => {
    const payload = `timestamp=${t.now}&timestamp=${t.now}`;
    expectError(await t.app.inject({ url: `/api/v3/account?${payload}&signature=${sign(a.secretKey, payload)}`, headers: { 'x-mbx-apikey': a.apiKey } }), 400, -1101, 'Duplicate values for a parameter detected.');
    expectError(await t.app.inject({ url: '/api/v3/depth?symbol=BTCUSDT&symbol=BTCUSDT' }), 400, -1101);
  });
});

describe('limits', () => {
  it('counts request weight per IP, answers 429 with Retry-After, then 418 for an IP that keeps going', async () => {
    const limited = await testExchange({ rateLimits: { ipWeightPerMinute: 50, banAfterRejections: 3, banMs: 60_000 } });
    try {
      const r1 = await limited.app.inject({ url: '/api/v3/exchangeInfo', remoteAddress: '10.0.0.1' });
      expect(r1.headers['x-mbx-used-weight-1m']).toBe('20');
      await limited.app.inject({ url: '/api/v3/exchangeInfo', remoteAddress: '10.0.0.1' });
      const r3 = await limited.app.inject({ url: '/api/v3/exchangeInfo', remoteAddress: '10.0.0.1' });
      expectError(r3, 429, -1003, /Too much request weight used/);
      expect(Number(r3.headers['retry-after'])).toBeGreaterThan(0);
      expect(r3.headers['x-mbx-used-weight-1m']).toBe('40');
      // Another IP is unaffected.
      expect((await limited.app.inject({ url: '/api/v3/ping', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
      for (let i = 0; i < 3; i++) await limited.app.inject({ url: '/api/v3/exchangeInfo', remoteAddress: '10.0.0.1' });
      const banned = await limited.app.inject({ url: '/api/v3/ping', remoteAddress: '10.0.0.1' });
      expectError(banned, 418, -1003, /IP banned until/);
      // The ban outlives the weight window, then ends.
      limited.now += 30_000;
      expect((await limited.app.inject({ url: '/api/v3/ping', remoteAddress: '10.0.0.1' })).statusCode).toBe(418);
      limited.now += 31_000;
      expect((await limited.app.inject({ url: '/api/v3/ping', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('limits new orders per account per 10 s and shows the counts', async () => {
    const limited = await testExchange({ rateLimits: { ordersPer10s: 2, ipWeightPerMinute: 100_000, keyWeightPerMinute: 100_000 } });
    try {
      const u = await devAccount(limited.app);
      const place = () => signed(limited, u, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '20000' } });
      expect((await place()).headers['x-mbx-order-count-10s']).toBe('1');
      expect((await place()).headers['x-mbx-order-count-10s']).toBe('2');
      const r = await place();
      expectError(r, 429, -1003, /Too many new orders/);
      expect(r.headers['retry-after']).toBeDefined();
      expect(limited.exchange.engine.openOrders(u.userId)).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });

  it('limits request weight per API key', async () => {
    const limited = await testExchange({ rateLimits: { keyWeightPerMinute: 40, ipWeightPerMinute: 100_000 } });
    try {
      const u = await devAccount(limited.app);
      expect((await signed(limited, u, { method: 'GET', url: '/api/v3/account' })).statusCode).toBe(200);
      expect((await signed(limited, u, { method: 'GET', url: '/api/v3/account' })).statusCode).toBe(200);
      expectError(await signed(limited, u, { method: 'GET', url: '/api/v3/account' }), 429, -1003, /for this API key/);
    } finally {
      await limited.close();
    }
  });

  it('rejects bodies over the limit with 413 and long query strings with 414', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v3/order', payload: 'a='.padEnd(70_000, 'x'), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectError(r, 413, -1104, 'Request body is too large.');
    const j = await t.app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: JSON.stringify({ x: 'y'.repeat(70_000) }), headers: { 'content-type': 'application/json' } });
    expectError(j, 413, -1104);
    expectError(await t.app.inject({ url: `/api/v3/depth?symbol=BTCUSDT&x=${'y'.repeat(9000)}` }), 414, -1104);
  });

  it('answers unknown routes with a JSON 404 and every error without a stack', async () => {
    const r = await t.app.inject({ url: '/api/v3/nope' });
    expectError(r, 404, -1099, 'Not found, unauthenticated, or unauthorized.');
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expectError(await t.app.inject({ method: 'PATCH', url: '/api/v3/order' }), 404, -1099);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: '{not json', headers: { 'content-type': 'application/json' } });
    expectError(bad, 400, -1102);
    expect(bad.body).not.toMatch(/at .*\.ts/);
  });
});
