import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ccxtClient, fundedKeys, startExchange } from './embedded-server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mbx-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded mode survives a restart', () => {
  it('keeps users, keys, funds, open orders and history', async () => {
    const serverKey = randomBytes(32);
    const boot = () => startExchange({ storage: { kind: 'files', dataDir: dir }, serverKey, keepData: true });
    let server = await boot();
    const a = await fundedKeys(server.base, { USDT: '100000', BTC: '10' });
    const b = await fundedKeys(server.base, { USDT: '100000', BTC: '10' });
    const reg = await fetch(`${server.base}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol', password: 'long enough' }) });
    expect(reg.status).toBe(200);
    let alice = ccxtClient(server.base, a.apiKey, a.secretKey);
    let bob = ccxtClient(server.base, b.apiKey, b.secretKey);
    await alice.createOrder('BTC/USDT', 'limit', 'sell', 1, 30000, { clientOrderId: 'before-restart' });
    await bob.createOrder('BTC/USDT', 'market', 'buy', 0.25);
    const before = {
      balance: (await alice.fetchBalance()).total, open: await alice.fetchOpenOrders('BTC/USDT'), all: await alice.fetchOrders('BTC/USDT'),
      trades: await bob.fetchMyTrades('BTC/USDT'), book: await alice.fetchOrderBook('BTC/USDT'), candles: await alice.fetchOHLCV('BTC/USDT', '1m'),
    };
    await server.close();

    server = await boot();
    try {
      alice = ccxtClient(server.base, a.apiKey, a.secretKey);
      bob = ccxtClient(server.base, b.apiKey, b.secretKey);
      expect((await alice.fetchBalance()).total).toEqual(before.balance);
      expect(await alice.fetchOpenOrders('BTC/USDT')).toEqual(before.open);
      expect(await alice.fetchOrders('BTC/USDT')).toEqual(before.all);
      expect(await bob.fetchMyTrades('BTC/USDT')).toEqual(before.trades);
      expect((await alice.fetchOrderBook('BTC/USDT')).bids).toEqual(before.book.bids);
      expect((await alice.fetchOrderBook('BTC/USDT')).asks).toEqual(before.book.asks);
      expect(await alice.fetchOHLCV('BTC/USDT', '1m')).toEqual(before.candles);
      const login = await fetch(`${server.base}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol', password: 'long enough' }) });
      expect(login.status).toBe(200);
      // A retried client order id is still recognised after the restart.
      const again = await alice.createOrder('BTC/USDT', 'limit', 'sell', 1, 30000, { clientOrderId: 'before-restart' });
      expect(again.id).toBe(before.open[0]!.id);
      expect(await alice.fetchOpenOrders('BTC/USDT')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
