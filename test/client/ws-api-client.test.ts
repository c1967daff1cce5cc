import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MatchboxApiError, MatchboxClient, WsApiClient } from '@matchbox/client';
import { loadConfig, startServer } from '@matchbox/server';

let server: Awaited<ReturnType<typeof startServer>>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mbx-client-ws-'));
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', MARKET_MAKER: '0' }), pino({ level: 'silent' }));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('places, lists and cancels orders over the WebSocket API, and gets user events', async () => {
  const rest = new MatchboxClient(server.url);
  const creds = await rest.devAccount({ USDT: '10000' });
  const ws = await WsApiClient.connect(server.url, { credentials: creds });
  try {
    const events: string[] = [];
    ws.onUserEvent = (_sub, e) => events.push(String(e.e));
    await ws.subscribeUserData();
    const o = await ws.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100', quantity: '1' });
    expect(o).toMatchObject({ symbol: 'ETHUSDT', status: 'NEW', price: '100.00000000' });
    expect((await ws.openOrders('ETHUSDT')).map((x) => x.orderId)).toEqual([o.orderId]);
    expect(await ws.cancelOrder('ETHUSDT', o.orderId)).toMatchObject({ status: 'CANCELED' });
    await expect(ws.cancelOrder('ETHUSDT', o.orderId)).rejects.toBeInstanceOf(MatchboxApiError);
    for (let i = 0; i < 100 && !events.includes('executionReport'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toContain('executionReport');
  } finally {
    await ws.close();
    rest.close();
  }
});
