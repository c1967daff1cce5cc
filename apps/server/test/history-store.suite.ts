import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { Exchange } from '../src/core/exchange.ts';
import type { MemoryHistoryLimits } from '../src/history/memory-history.ts';
import type { HistoryStoreConfig } from '../src/history/store.ts';
import { TieredHistory } from '../src/history/tiered-history.ts';
import { buildApp } from '../src/http/app.ts';
import { SecretBox } from '../src/security/secret-box.ts';
import { HIGH_LIMITS, devAccount, qs, sign, type Account } from './harness.ts';

/** A memory window far smaller than the workload, so that older history can only come from the store. */
export const SMALL_PER_USER: Partial<MemoryHistoryLimits> = { ordersPerUser: 4, tradesPerUser: 4, tradesPerSymbol: 4, minuteCandles: 2 };
/** The same through the caps across all users alone (each user's own cap far above the workload). */
export const SMALL_OVERALL: Partial<MemoryHistoryLimits> = { ...SMALL_PER_USER, ordersPerUser: 1000, tradesPerUser: 1000, closedOrdersTotal: 4, userTradesTotal: 4 };
const ROUNDS = 10;

interface Running { exchange: Exchange; app: FastifyInstance; close(): Promise<void> }

/**
 * History beyond the memory window is served from the store: `TieredHistory` over `MemoryHistory`
 * (tiny limits) and the store written by the in-process Projector. One exchange (and one store
 * instance) per file; it is restarted once on the same data directory and store.
 */
export function historyStoreSuite(name: string, store: () => Promise<{ config: HistoryStoreConfig; drop(): Promise<void> }>, limits = SMALL_PER_USER): void {
  describe(`history store: ${name}${limits === SMALL_PER_USER ? '' : ', memory bounded across users'}`, () => {
    const secrets = new SecretBox(randomBytes(32));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mbx-history-'));
    let cfg: { config: HistoryStoreConfig; drop(): Promise<void> };
    let ex: Running;
    let maker: Account;
    let taker: Account;
    const placed: { orderId: number; clientOrderId: string }[] = [];

    const open = async (): Promise<Running> => {
      const exchange = await Exchange.open({ storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, historyStore: cfg.config, memoryLimits: limits });
      const app = await buildApp({ exchange, secrets, devFaucet: true, rateLimits: HIGH_LIMITS, webRoot: '/nonexistent/matchbox-web' });
      return { exchange, app, close: async () => { await app.close(); await exchange.close(); } };
    };
    const call = async (acct: Account, method: 'GET' | 'POST', url: string, params: Record<string, string | number>) => {
      const payload = qs({ ...params, timestamp: Date.now(), recvWindow: 60_000 });
      const r = await ex.app.inject({ method, url: `${url}?${payload}&signature=${sign(acct.secretKey, payload)}`, headers: { 'x-mbx-apikey': acct.apiKey } });
      return { status: r.statusCode, body: r.json<unknown>() };
    };
    const projected = async (): Promise<void> => {
      const target = ex.exchange.health().durableSeq;
      for (let i = 0; i < 2000 && (await ex.exchange.projector!.cursor()) < target; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await ex.exchange.projector!.cursor()).toBeGreaterThanOrEqual(target);
    };
    const tiered = (): TieredHistory => ex.exchange.history as TieredHistory;

    beforeAll(async () => {
      cfg = await store();
      ex = await open();
      maker = await devAccount(ex.app, { BTC: '10' });
      taker = await devAccount(ex.app, { USDT: '1000000' });
      // Each round: the maker rests a sell, the taker fills it. Filled orders are closed, so the
      // memory window (4 orders, 4 trades) evicts the older ones as new ones arrive.
      for (let i = 0; i < ROUNDS; i++) {
        const clientOrderId = `keep-${i}`;
        const r = await call(maker, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: String(30000 + i), newClientOrderId: clientOrderId });
        expect(r.status).toBe(200);
        placed.push({ orderId: (r.body as { orderId: number }).orderId, clientOrderId });
        const t = await call(taker, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
        expect((t.body as { status: string }).status).toBe('FILLED');
      }
      await projected();
    }, 120_000);

    afterAll(async () => {
      await ex?.close();
      await cfg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    const checkHistory = async (): Promise<void> => {
      const first = placed[0]!;
      expect(tiered().memory.orderByClientId(maker.userId, first.clientOrderId)).toBeUndefined();
      const reads = tiered().storeReads;
      const byClient = await call(maker, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: first.clientOrderId });
      expect(byClient.status).toBe(200);
      expect(byClient.body).toMatchObject({ orderId: first.orderId, status: 'FILLED', executedQty: '0.01000000', price: '30000.00000000' });
      const byId = await call(maker, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: first.orderId });
      expect(byId.body).toMatchObject({ clientOrderId: first.clientOrderId, status: 'FILLED' });
      expect(tiered().storeReads).toBeGreaterThan(reads);

      const all = (await call(maker, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', limit: 1000 })).body as { orderId: number }[];
      expect(all.map((o) => o.orderId)).toEqual(placed.map((p) => p.orderId));
      const fromSecond = (await call(maker, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', orderId: placed[1]!.orderId, limit: 2 })).body as { orderId: number }[];
      expect(fromSecond.map((o) => o.orderId)).toEqual([placed[1]!.orderId, placed[2]!.orderId]);
      const newest = (await call(maker, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', limit: 3 })).body as { orderId: number }[];
      expect(newest.map((o) => o.orderId)).toEqual(placed.slice(-3).map((p) => p.orderId));

      const mine = (await call(maker, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', limit: 1000 })).body as { orderId: number; isBuyer: boolean }[];
      expect(mine.map((t) => t.orderId)).toEqual(placed.map((p) => p.orderId));
      expect(mine.every((t) => !t.isBuyer)).toBe(true);

      const pub = (await ex.app.inject({ url: '/api/v3/trades?symbol=BTCUSDT&limit=1000' })).json<{ id: number; price: string }[]>();
      expect(pub.map((t) => t.price)).toEqual(placed.map((_, i) => `${30000 + i}.00000000`));
      const hist = (await ex.app.inject({ url: `/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${pub[0]!.id}&limit=3` })).json<{ id: number }[]>();
      expect(hist.map((t) => t.id)).toEqual(pub.slice(0, 3).map((t) => t.id));
      const agg = (await ex.app.inject({ url: '/api/v3/aggTrades?symbol=BTCUSDT&limit=1000' })).json<unknown[]>();
      expect(agg).toHaveLength(ROUNDS);
      const klines = (await ex.app.inject({ url: '/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1000' })).json<unknown[][]>();
      expect(klines.reduce((n, k) => n + (k[8] as number), 0)).toBe(ROUNDS);
    };

    it('serves closed orders, allOrders, myTrades, trades and klines older than the memory window from the store', async () => {
      await checkHistory();
    });

    it('a retried newClientOrderId returns the existing (closed, evicted) order and places nothing', async () => {
      const first = placed[0]!;
      const seq = ex.exchange.health().lastSeq;
      const r = await call(maker, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000', newClientOrderId: first.clientOrderId });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ orderId: first.orderId, status: 'FILLED' });
      expect(ex.exchange.health().lastSeq).toBe(seq);
    });

    it('after a restart on the same data directory and store, the same history and idempotency hold', async () => {
      await ex.close();
      ex = await open();
      await checkHistory();
      const seq = ex.exchange.health().lastSeq;
      const r = await call(maker, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000', newClientOrderId: placed[3]!.clientOrderId });
      expect(r.body).toMatchObject({ orderId: placed[3]!.orderId, status: 'FILLED' });
      expect(ex.exchange.health().lastSeq).toBe(seq);
    }, 60_000);
  });
}
