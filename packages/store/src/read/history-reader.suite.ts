import { ASSET_SCALE, DEFAULT_MARKETS, formatUnits, type EngineEvent, type OrderEvent, type TradeEvent } from '@matchbox/domain';
import { decodeEventBatch, MemoryLog, type LogEntry } from '@matchbox/log';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../projector/projector.ts';
import { INTERVALS, openTimeOf } from '../projector/intervals.ts';
import { LiveMarketData } from '../live/live-market-data.ts';
import type { OpenedStore, TestBackend } from '../testing/backends.ts';
import { ExchangeWorkload } from '../testing/exchange-workload.ts';
import { HistoryReader } from './history-reader.ts';
import { MarketFormat } from './market-format.ts';

/** Read-model tests against one backend, over one projected workload. */
export function historyReaderSuite(backend: TestBackend): void {
  describe(`read models on ${backend.name}`, () => {
    let store: OpenedStore;
    let reader: HistoryReader;
    let entries: LogEntry[];
    const events: { ts: number; e: EngineEvent }[] = [];
    const btc = new MarketFormat(DEFAULT_MARKETS[0]!);

    beforeAll(async () => {
      entries = new ExchangeWorkload({ seed: 11, tsStepMs: 5000 }).entries(2500, 25);
      for (const entry of entries) {
        const b = decodeEventBatch(entry.payload);
        for (const evs of b.events) for (const e of evs) events.push({ ts: b.tsMs, e });
      }
      store = await backend.open();
      const log = new MemoryLog();
      await log.append(entries);
      await new Projector({ db: store.db, log, markets: DEFAULT_MARKETS, logger: pino({ level: 'silent' }), maxEntriesPerBatch: 10 }).catchUp();
      reader = new HistoryReader(store.db, DEFAULT_MARKETS);
    });
    afterAll(async () => { await store?.cleanup(); });

    const trades = (symbol: string) => events.map((x) => x.e).filter((e): e is TradeEvent => e.type === 'trade' && e.symbol === symbol);
    const orderEvents = () => events.map((x) => x.e).filter((e): e is OrderEvent => e.type === 'order');

    it('klines: Binance row layout, limits, time ranges, totals equal the trades', async () => {
      const all = await reader.klines({ symbol: 'BTCUSDT', interval: '1m', limit: 1000 });
      expect(all.length).toBeGreaterThan(5);
      const row = all[0]!;
      expect(row).toHaveLength(12);
      expect(row[11]).toBe('0');
      expect(row[6]).toBe(row[0] + 59_999);
      expect(row[1]).toMatch(/^\d+\.\d{2}$/);
      expect(row[5]).toMatch(/^\d+\.\d{5}$/);
      const t = trades('BTCUSDT');
      const lots = t.reduce((a, x) => a + x.qtyLots, 0);
      const sumVol = all.reduce((a, r) => a + Math.round(Number(r[5]) * 1e5), 0);
      expect(sumVol).toBe(lots);
      expect(all.reduce((a, r) => a + r[8], 0)).toBe(t.length);
      expect(all[all.length - 1]![4]).toBe(btc.price(t[t.length - 1]!.priceTicks));

      const two = await reader.klines({ symbol: 'BTCUSDT', interval: '1m', limit: 2 });
      expect(two).toEqual(all.slice(-2));
      const from = await reader.klines({ symbol: 'BTCUSDT', interval: '1m', startTime: all[2]![0], limit: 3 });
      expect(from).toEqual(all.slice(2, 5));
      const upTo = await reader.klines({ symbol: 'BTCUSDT', interval: '1m', endTime: all[3]![0], limit: 2 });
      expect(upTo).toEqual(all.slice(2, 4));
      expect((await reader.klines({ symbol: 'BTCUSDT', interval: '1s', limit: 5000 })).length).toBeLessThanOrEqual(1000);
      const monthly = await reader.klines({ symbol: 'BTCUSDT', interval: '1M' });
      expect(monthly.reduce((a, r) => a + r[8], 0)).toBe(t.length);
      await expect(reader.klines({ symbol: 'BTCUSDT', interval: '7m' })).rejects.toThrow(/interval/);
    });

    it('trades and aggTrades cover every trade once, newest last', async () => {
      const t = trades('ETHUSDT');
      const eth = new MarketFormat(DEFAULT_MARKETS[1]!);
      const recent = await reader.trades({ symbol: 'ETHUSDT', limit: 3 });
      expect(recent.map((x) => x.id)).toEqual(t.slice(-3).map((x) => x.tradeId));
      expect(recent[2]).toEqual({
        id: t[t.length - 1]!.tradeId, price: eth.price(t[t.length - 1]!.priceTicks), qty: eth.qty(t[t.length - 1]!.qtyLots),
        quoteQty: formatUnits(t[t.length - 1]!.quoteUnits, ASSET_SCALE), time: t[t.length - 1]!.ts, isBuyerMaker: t[t.length - 1]!.buyerIsMaker, isBestMatch: true,
      });
      const aggs = await reader.aggTrades({ symbol: 'ETHUSDT', fromId: 1, limit: 1000 });
      let next = 1;
      for (const a of aggs) {
        expect(a.f).toBe(next);
        expect(a.a).toBe(a.f);
        next = a.l + 1;
      }
      expect(next).toBe(t.length + 1);
      expect(aggs.length).toBeLessThan(t.length);
      const latest = await reader.aggTrades({ symbol: 'ETHUSDT', limit: 2 });
      expect(latest).toEqual(aggs.slice(-2));
      const inTime = await reader.aggTrades({ symbol: 'ETHUSDT', startTime: aggs[1]!.T, endTime: aggs[1]!.T });
      expect(inTime.map((a) => a.a)).toContain(aggs[1]!.a);
    });

    it('24h ticker over a rolling window of 1-minute candles', async () => {
      const t = trades('BTCUSDT');
      const now = t[t.length - 1]!.ts;
      const inWindow = t.filter((x) => x.ts >= openTimeOf('1m', now - 86_400_000));
      const tk = await reader.ticker24h('BTCUSDT', now);
      expect(tk.count).toBe(inWindow.length);
      expect(tk.firstId).toBe(inWindow[0]!.tradeId);
      expect(tk.lastId).toBe(inWindow[inWindow.length - 1]!.tradeId);
      expect(tk.lastPrice).toBe(btc.price(t[t.length - 1]!.priceTicks));
      expect(tk.lastQty).toBe(btc.qty(t[t.length - 1]!.qtyLots));
      expect(tk.openPrice).toBe(btc.price(inWindow[0]!.priceTicks));
      expect(tk.highPrice).toBe(btc.price(Math.max(...inWindow.map((x) => x.priceTicks))));
      expect(tk.volume).toBe(btc.qty(inWindow.reduce((a, x) => a + x.qtyLots, 0)));
      expect(tk.quoteVolume).toBe(formatUnits(inWindow.reduce((a, x) => a + x.quoteUnits, 0), ASSET_SCALE));
      expect(tk.priceChangePercent).toMatch(/^-?\d+\.\d{3}$/);
      expect(tk).not.toHaveProperty('time');
      const later = await reader.ticker24h('BTCUSDT', now + 3 * 86_400_000);
      expect(later).toMatchObject({ count: 0, firstId: -1, lastId: -1, lastPrice: tk.lastPrice });
    });

    it('orders by id and by clientOrderId, closed ones included; allOrders and openOrders', async () => {
      const filled = orderEvents().find((o) => o.status === 'FILLED' && o.clientOrderId !== '' && o.orderType === 'LIMIT')!;
      const byCid = await reader.order({ userId: filled.userId, symbol: filled.symbol, clientOrderId: filled.clientOrderId });
      expect(byCid).toMatchObject({ orderId: filled.orderId, status: 'FILLED', clientOrderId: filled.clientOrderId, orderListId: -1 });
      const f = new MarketFormat(DEFAULT_MARKETS.find((m) => m.symbol === filled.symbol)!);
      expect(byCid!.executedQty).toBe(f.qty(filled.origQtyLots));
      expect(await reader.order({ userId: filled.userId, symbol: filled.symbol, orderId: filled.orderId })).toEqual(byCid);
      expect(await reader.order({ userId: filled.userId + 1, symbol: filled.symbol, orderId: filled.orderId })).toBeNull();
      expect(await reader.order({ userId: filled.userId, symbol: filled.symbol, clientOrderId: 'nope' })).toBeNull();

      const mine = new Set(orderEvents().filter((o) => o.userId === filled.userId && o.symbol === filled.symbol).map((o) => o.orderId));
      const all = await reader.allOrders({ userId: filled.userId, symbol: filled.symbol, limit: 1000 });
      expect(all.map((o) => o.orderId)).toEqual([...mine].sort((a, b) => a - b));
      const page = await reader.allOrders({ userId: filled.userId, symbol: filled.symbol, orderId: all[1]!.orderId, limit: 2 });
      expect(page).toEqual(all.slice(1, 3));
      const open = await reader.openOrders({ userId: filled.userId });
      expect(open.every((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).toBe(true);
    });

    it('the live aggregator agrees with the store: newest kline of every interval, 24h ticker', async () => {
      const live = new LiveMarketData(DEFAULT_MARKETS);
      for (const { e } of events) live.apply([e]);
      for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
        for (const interval of INTERVALS) {
          const stored = await reader.klines({ symbol, interval, limit: 1 });
          expect(live.kline(symbol, interval), `${symbol} ${interval}`).toEqual(stored[0] ?? null);
        }
        const t = trades(symbol);
        for (const now of [t[t.length - 1]!.ts, t[t.length - 1]!.ts + 61_234, t[t.length - 1]!.ts + 3 * 86_400_000]) {
          expect(live.ticker24h(symbol, now)).toEqual(await reader.ticker24h(symbol, now));
        }
      }
    });

    it('myTrades with fees, fromId and orderId; balances; api keys', async () => {
      const t = trades('BTCUSDT');
      const user = t[0]!.buyerUserId;
      const sides = t.flatMap((x) => [x.buyerUserId === user ? x.tradeId : -1, x.sellerUserId === user ? x.tradeId : -1]).filter((id) => id > 0);
      const mt = await reader.myTrades({ userId: user, symbol: 'BTCUSDT', limit: 1000 });
      expect(mt.map((x) => x.id)).toEqual(sides);
      const buy = mt.find((x) => x.isBuyer)!;
      expect(buy.commissionAsset).toBe('BTC');
      const sell = mt.find((x) => !x.isBuyer);
      if (sell) expect(sell.commissionAsset).toBe('USDT');
      expect(await reader.myTrades({ userId: user, symbol: 'BTCUSDT', fromId: mt[1]!.id, limit: 1 })).toEqual([mt[1]]);
      const ofOrder = await reader.myTrades({ userId: user, symbol: 'BTCUSDT', orderId: mt[0]!.orderId });
      expect(ofOrder.every((x) => x.orderId === mt[0]!.orderId)).toBe(true);

      const last = new Map<string, string>();
      for (const { e } of events) if (e.type === 'balance' && e.userId === user) last.set(e.asset, formatUnits(e.freeUnits, ASSET_SCALE));
      const bal = await reader.balances(user);
      expect(new Map(bal.map((b) => [b.asset, b.free]))).toEqual(last);
      expect((await reader.ledger({ userId: user, limit: 5 })).length).toBe(5);

      const created = events.map((x) => x.e).find((e) => e.type === 'apiKeyCreated');
      if (created) expect(await reader.apiKey(created.apiKey)).toMatchObject({ userId: created.userId, permissions: ['READ', 'TRADE'] });
      expect(await reader.apiKey('missing')).toBeNull();
    });
  });
}
