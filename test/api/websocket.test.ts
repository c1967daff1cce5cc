import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '@matchbox/server';
import { ccxtProClient, fundedKeys } from './embedded-server.ts';

type Running = Awaited<ReturnType<typeof startServer>>;

/** `npm start`'s server (REST + WebSocket on one port) on files in a temp dir. */
let server: Running;
let dir: string;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mbx-ws-'));
  server = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' }), pino({ level: 'silent' }));
  base = server.url.replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const proClient = (apiKey: string, secret: string): ReturnType<typeof ccxtProClient> => ccxtProClient(base, apiKey, secret);

function wsRequest(url: string, body: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(JSON.stringify(body)));
    ws.on('message', (data) => { resolve(JSON.parse(String(data)) as Record<string, unknown>); ws.close(); });
    ws.on('error', reject);
  });
}

function signedParams(apiKey: string, secret: string, params: Record<string, string>): Record<string, string> {
  const all: Record<string, string> = { ...params, apiKey, timestamp: String(Date.now()) };
  const payload = Object.keys(all).sort().map((k) => `${k}=${all[k]}`).join('&');
  return { ...all, signature: createHmac('sha256', secret).update(payload).digest('hex') };
}

describe('WebSocket streams and the WS API on the gateway port', () => {
  it('ccxt.pro follows the book and sees its own orders, trades and balance live', async () => {
    const a = await fundedKeys(base, { USDT: '100000', BTC: '10' });
    const b = await fundedKeys(base, { USDT: '100000', BTC: '10' });
    const alice = proClient(a.apiKey, a.secretKey);
    const bob = proClient(b.apiKey, b.secretKey);
    try {
      for (const ex of [alice, bob]) {
        await ex.loadHttpProxyAgent(); // ccxt needs it in Node for plain ws:// URLs
        await ex.loadMarkets();
      }
      await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 50000);
      const book = await alice.watchOrderBook('BTC/USDT');
      // The user stream subscribes asynchronously: keep trading until its first report arrives.
      const ordersWatch = alice.watchOrders('BTC/USDT');
      const balanceWatch = alice.watchBalance();
      let seen: Awaited<typeof ordersWatch> | undefined;
      let balance: Awaited<typeof balanceWatch> | undefined;
      void ordersWatch.then((o) => { seen = o; });
      void balanceWatch.then((b) => { balance = b; });
      for (let i = 0; i < 50 && (seen === undefined || balance === undefined); i++) {
        await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen?.some((o) => o.side === 'buy' && o.price === 50000 && o.status === 'closed')).toBe(true);
      expect(balance?.BTC?.total).toBeGreaterThan(10);
      await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.05, 50000);
      const rest = await alice.fetchOrderBook('BTC/USDT');
      // The live book converges to REST depth (it may lag by a few updates).
      let live = await alice.watchOrderBook('BTC/USDT');
      for (let i = 0; i < 50 && JSON.stringify(live.asks.slice(0, 5)) !== JSON.stringify(rest.asks.slice(0, 5)); i++) {
        await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.001, 90000 + i); // any book change delivers a diff
        live = await alice.watchOrderBook('BTC/USDT');
      }
      expect(live.asks[0]).toEqual(rest.asks[0]);
      expect(book.symbol).toBe('BTC/USDT');
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('order.place over /ws-api/v3 trades through the same rules as REST', async () => {
    const a = await fundedKeys(base, { USDT: '1000' });
    const url = `${base.replace('http', 'ws')}/ws-api/v3`;
    const ok = await wsRequest(url, { id: 'p1', method: 'order.place', params: signedParams(a.apiKey, a.secretKey, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100', quantity: '0.1' }) });
    expect(ok).toMatchObject({ id: 'p1', status: 200, result: { symbol: 'BTCUSDT', status: 'NEW', price: '100.00000000', origQty: '0.10000000' } });
    const poor = await wsRequest(url, { id: 'p2', method: 'order.place', params: signedParams(a.apiKey, a.secretKey, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100000', quantity: '1' }) });
    expect(poor).toMatchObject({ id: 'p2', status: 400, error: { code: -2010, msg: 'Account has insufficient balance for requested action.' } });
    const badSig = await wsRequest(url, { id: 'p3', method: 'order.place', params: { ...signedParams(a.apiKey, a.secretKey, { symbol: 'BTCUSDT' }), signature: '00' } });
    expect(badSig).toMatchObject({ id: 'p3', error: { code: -1022 } });
    const open = await wsRequest(url, { id: 'q', method: 'openOrders.status', params: signedParams(a.apiKey, a.secretKey, { symbol: 'BTCUSDT' }) });
    expect((open.result as unknown[]).length).toBe(1);
  });

  it("ccxt.pro's WS API methods work unchanged (they send returnRateLimits on every call)", async () => {
    const a = await fundedKeys(base, { USDT: '100000', BTC: '1' });
    const ex = proClient(a.apiKey, a.secretKey);
    try {
      await ex.loadHttpProxyAgent();
      await ex.loadMarkets();
      const placed = await ex.createOrderWs('BTC/USDT', 'limit', 'buy', 0.01, 20000);
      expect(placed).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', price: 20000, amount: 0.01, status: 'open' });
      const open = await ex.fetchOpenOrdersWs('BTC/USDT');
      expect(open.map((o) => o.id)).toContain(placed.id);
      // ccxt 4.5 parses no spot balances out of `account.status` (it does the same against Binance):
      // the answer it got is checked instead.
      const balance = await ex.fetchBalanceWs();
      const usdt = (balance.info as { balances: { asset: string }[] }).balances.find((b) => b.asset === 'USDT');
      expect(usdt).toEqual({ asset: 'USDT', free: '99800.00000000', locked: '200.00000000' });
      const canceled = await ex.cancelOrderWs(placed.id!, 'BTC/USDT');
      expect(canceled).toMatchObject({ id: placed.id, status: 'canceled' });
      expect(await ex.fetchOpenOrdersWs('BTC/USDT')).toEqual([]);
    } finally {
      await ex.close();
    }
  });
});
