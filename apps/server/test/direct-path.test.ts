import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directPathOf } from '../src/http/app.ts';
import { devAccount, qs, sign, testExchange, type Account, type TestExchange } from './harness.ts';

/**
 * The direct HTTP path (src/http/direct-path.ts) serves Binance endpoints from a real socket
 * without Fastify; `inject()` always goes through Fastify. Every request here is sent both ways
 * and the answers must agree: status, body (times and ids aside), and the Binance headers.
 */
let t: TestExchange;
let base: string;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  t = await testExchange();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = t.app.server.address();
  base = `127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  alice = await devAccount(t.app);
  bob = await devAccount(t.app);
});
afterAll(async () => { await t?.close(); });

interface Req {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Send the body chunked (no Content-Length). */
  readonly chunked?: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function overSocket(r: Req): Promise<Answer> {
  const [host, port] = base.split(':');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== undefined && !r.chunked) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = request({ host, port: Number(port), method: r.method, path: r.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

async function injected(r: Req): Promise<Answer> {
  const res = await t.app.inject({ method: r.method, url: r.url, headers: r.headers ?? {}, ...(r.body !== undefined ? { payload: r.body } : {}) });
  return { status: res.statusCode, headers: res.headers as Answer['headers'], body: res.body };
}

const VOLATILE = new Set(['transactTime', 'workingTime', 'updateTime', 'time', 'serverTime', 'orderId', 'clientOrderId', 'origClientOrderId', 'tradeId', 'lastUpdateId', 'closeTime', 'openTime']);

/** The body with times, ids and generated client ids masked, so two placements compare equal. */
function shape(body: string): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, VOLATILE.has(k) ? typeof x : walk(x)]));
    }
    return v;
  };
  return walk(JSON.parse(body));
}

let n = 0;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A signed request with a fresh timestamp; `cid` gets a unique suffix per call so both sends place their own order. */
function signedReq(acct: Account, method: Req['method'], url: string, params: Record<string, string | number>, inBody: boolean): Req {
  const payload = qs({ ...params, ...(params.newClientOrderId !== undefined ? { newClientOrderId: `${params.newClientOrderId}-${n++}` } : {}), timestamp: params.timestamp ?? Date.now() });
  const full = `${payload}&signature=${sign(acct.secretKey, payload)}`;
  const headers = { 'x-mbx-apikey': acct.apiKey, ...(inBody ? form : {}) };
  return inBody ? { method, url, headers, body: full } : { method, url: `${url}?${full}`, headers };
}

async function both(make: () => Req, expectDirect: boolean): Promise<{ direct: Answer; fastify: Answer }> {
  const served = directPathOf(t.app)!.served;
  t.now = Date.now();
  const direct = await overSocket(make());
  expect(directPathOf(t.app)!.served - served).toBe(expectDirect ? 1 : 0);
  t.now = Date.now();
  const fastify = await injected(make());
  expect(direct.status).toBe(fastify.status);
  expect(shape(direct.body)).toEqual(shape(fastify.body));
  expect(direct.headers['content-type']).toBe(fastify.headers['content-type']);
  for (const h of ['x-mbx-used-weight-1m', 'x-mbx-order-count-10s', 'x-mbx-order-count-1d', 'retry-after']) {
    expect(direct.headers[h] === undefined, h).toBe(fastify.headers[h] === undefined);
  }
  return { direct, fastify };
}

describe('direct HTTP path and Fastify answer alike', () => {
  it('places, queries and cancels orders (form body and query string), with the same order-count headers', async () => {
    const sell = await both(() => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000', newClientOrderId: 's' }, true), true);
    expect(sell.direct.status).toBe(200);
    expect(JSON.parse(sell.direct.body)).toMatchObject({ status: 'NEW', side: 'SELL', price: '30000.00000000' });
    const counts = [Number(sell.direct.headers['x-mbx-order-count-10s']), Number(sell.fastify.headers['x-mbx-order-count-10s'])];
    expect(counts[1]).toBe(counts[0]! + 1);

    const buy = await both(() => signedReq(bob, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000', newClientOrderId: 'b' }, false), true);
    expect(JSON.parse(buy.direct.body)).toMatchObject({ status: 'FILLED', fills: [{ price: '30000.00000000' }] });

    await both(() => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '1000', newClientOrderId: 'keep' }, true), true);
    const open = await both(() => signedReq(alice, 'GET', '/api/v3/openOrders', { symbol: 'ETHUSDT' }, false), true);
    expect(JSON.parse(open.direct.body)).toHaveLength(2);
    const ids = (JSON.parse(open.direct.body) as { clientOrderId: string }[]).map((o) => o.clientOrderId);
    const cancelled = await overSocket(signedReq(alice, 'DELETE', '/api/v3/order', { symbol: 'ETHUSDT', origClientOrderId: ids[0]! }, false));
    const viaFastify = await injected(signedReq(alice, 'DELETE', '/api/v3/order', { symbol: 'ETHUSDT', origClientOrderId: ids[1]! }, false));
    expect(cancelled.status).toBe(200);
    expect(shape(cancelled.body)).toEqual(shape(viaFastify.body));
  });

  it('answers the same Binance errors: signature, timestamp, parameters, symbol, key, duplicates', async () => {
    const good = (): Req => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '100' }, true);
    const cases: (() => Req)[] = [
      () => ({ ...good(), body: `${good().body!.slice(0, -4)}0000` }), // bad signature
      () => ({ ...good(), headers: { ...form } }), // no API key
      () => ({ ...good(), headers: { ...form, 'x-mbx-apikey': 'x'.repeat(64) } }), // unknown key
      () => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'NOPEUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1' }, true),
      () => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '1' }, true), // no timeInForce
      () => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1', bogus: '1' }, true),
      () => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.000001', price: '100' }, true),
      () => signedReq(alice, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: 987654321 }, false),
      () => ({ method: 'POST', url: '/api/v3/order', headers: { 'x-mbx-apikey': alice.apiKey, ...form }, body: 'symbol=BTCUSDT&symbol=ETHUSDT' }),
      () => ({ method: 'GET', url: '/api/v3/depth?symbol=BTCUSDT&limit=abc' }),
      () => ({ method: 'GET', url: '/api/v3/depth' }),
    ];
    for (const make of cases) {
      const r = await both(make, true);
      expect(r.direct.status, r.direct.body).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(r.direct.body)).toMatchObject({ code: expect.any(Number) as number, msg: expect.any(String) as string });
    }
    const stale = await both(() => signedReq(alice, 'GET', '/api/v3/account', { timestamp: 1 }, false), true);
    expect(JSON.parse(stale.direct.body).code).toBe(-1021);
  });

  it('serves public market data the same way', async () => {
    for (const url of ['/api/v3/ping', '/api/v3/depth?symbol=BTCUSDT&limit=5', '/api/v3/ticker/price?symbol=BTCUSDT', '/api/v3/trades?symbol=BTCUSDT', '/api/v3/klines?symbol=BTCUSDT&interval=1m']) {
      const r = await both(() => ({ method: 'GET', url }), true);
      expect(r.direct.status, url).toBe(200);
    }
  });

  it('leaves to Fastify what it does not take: other content types, chunked and oversized bodies, other paths', async () => {
    const order = (): Req => signedReq(alice, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '1000', newClientOrderId: 'f' }, true);
    const chunked = await both(() => ({ ...order(), chunked: true }), false);
    expect(chunked.direct.status).toBe(200);
    const text = await both(() => ({ ...order(), headers: { ...order().headers, 'content-type': 'text/plain' } }), false);
    expect(text.direct.status).toBe(200);
    const huge = await both(() => ({ ...order(), body: `${order().body!}&pad=${'x'.repeat(70 * 1024)}` }), false);
    expect(huge.direct.status).toBe(413);
    const unknown = await both(() => ({ method: 'GET', url: '/api/v3/nothing' }), false);
    expect(unknown.direct.status).toBe(404);
    const health = await overSocket({ method: 'GET', url: '/health' });
    expect(health.status).toBe(200);
  });

  it('records direct answers in the request latency metric', async () => {
    const metrics = await injected({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/matchbox_http_request_duration_seconds_count\{method="POST",route="\/api\/v3\/order",status="200"\} [1-9]/);
  });
});
