import { DEFAULT_MARKETS } from '@matchbox/domain';
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from './frame.ts';
import { MarketDataHub, type StreamSubscriber, type UserSubscriber } from './hub.ts';
import { Churn, EngineFeed, ONE } from './testing/sim.ts';

class Collector implements StreamSubscriber {
  readonly messages: { stream: string; data: Record<string, unknown> }[] = [];
  deliver(msg: StreamMessage): void {
    this.messages.push({ stream: msg.stream, data: JSON.parse(msg.json) as Record<string, unknown> });
  }
  on(stream: string): Record<string, unknown>[] {
    return this.messages.filter((m) => m.stream === stream).map((m) => m.data);
  }
}

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

function setup(): { hub: MarketDataHub; feed: EngineFeed; clock: { now: number }; alice: number; bob: number } {
  const clock = { now: T0 };
  const ref: { hub?: MarketDataHub } = {};
  const feed = new EngineFeed((p) => ref.hub?.publish(p.seq, p.tsMs, p.events), DEFAULT_MARKETS, () => T0);
  const hub = ref.hub = new MarketDataHub({
    markets: DEFAULT_MARKETS, timers: false, now: () => clock.now,
    depthSnapshot: (s, limit) => feed.engine.depth(s, limit),
  });
  const alice = feed.user('alice', { USDT: 1_000_000 * ONE, BTC: 100 * ONE });
  const bob = feed.user('bob', { USDT: 1_000_000 * ONE, BTC: 100 * ONE });
  return { hub, feed, clock, alice, bob };
}

function sub(hub: MarketDataHub, c: StreamSubscriber, name: string): void {
  const spec = hub.parse(name);
  if (typeof spec === 'string') throw new Error(spec);
  hub.subscribe(name, spec, c);
}

describe('MarketDataHub payloads', () => {
  it('sends conflated diffs with contiguous U/u that continue the engine depth lastUpdateId', () => {
    const { hub, feed, alice } = setup();
    const c = new Collector();
    const start = feed.engine.depth('BTCUSDT', 100)!.lastUpdateId;
    sub(hub, c, 'btcusdt@depth@100ms');
    sub(hub, c, 'btcusdt@depth');
    feed.place({ userId: alice, side: 'BUY', priceTicks: 2_999_000, qtyLots: 100 }, T0 + 1);
    feed.place({ userId: alice, side: 'BUY', priceTicks: 2_999_000, qtyLots: 50 }, T0 + 2);
    hub.tick(100);
    feed.place({ userId: alice, side: 'SELL', priceTicks: 3_001_000, qtyLots: 70 }, T0 + 3);
    hub.tick(100);
    hub.tick(1000);
    const fast = c.on('btcusdt@depth@100ms');
    expect(fast).toHaveLength(2);
    expect(fast[0]).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT', U: start + 1, u: start + 2, b: [['29990.00000000', '0.00150000']], a: [] });
    expect(fast[1]).toMatchObject({ U: start + 3, u: start + 3, b: [], a: [['30010.00000000', '0.00070000']] });
    const slow = c.on('btcusdt@depth');
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ U: start + 1, u: start + 3 });
    expect(feed.engine.depth('BTCUSDT', 10)!.lastUpdateId).toBe(start + 3);
  });

  it('removes a level with "0" and keeps partial depth and bookTicker equal to the engine', () => {
    const { hub, feed, alice, bob } = setup();
    const c = new Collector();
    sub(hub, c, 'btcusdt@depth5');
    sub(hub, c, 'btcusdt@bookTicker');
    sub(hub, c, 'btcusdt@depth@100ms');
    feed.place({ userId: alice, side: 'SELL', priceTicks: 3_001_000, qtyLots: 70 });
    feed.place({ userId: alice, side: 'SELL', priceTicks: 3_002_000, qtyLots: 30 });
    feed.place({ userId: bob, side: 'BUY', priceTicks: 3_001_000, qtyLots: 70 });
    hub.tick(100);
    hub.tick(1000);
    const diff = c.on('btcusdt@depth@100ms')[0]!;
    expect(diff.a).toEqual([['30010.00000000', '0.00000000'], ['30020.00000000', '0.00030000']]);
    const partial = c.on('btcusdt@depth5').pop()!;
    const engine = feed.engine.depth('BTCUSDT', 5)!;
    expect(partial).toEqual({ lastUpdateId: engine.lastUpdateId, bids: [], asks: [['30020.00000000', '0.00030000']] });
    const book = c.on('btcusdt@bookTicker');
    // The 30020 ask changed no best level: only the first ask and the fill that removed it are sent.
    expect(book.map((b) => b.a)).toEqual(['30010.00000000', '30020.00000000']);
    expect(book.pop()).toMatchObject({ u: engine.lastUpdateId, s: 'BTCUSDT', b: '0.00000000', a: '30020.00000000', A: '0.00030000' });
  });

  it('sends trades, aggTrades, klines and tickers derived from trade events', () => {
    const { hub, feed, clock, alice, bob } = setup();
    const c = new Collector();
    for (const n of ['btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@kline_1m', 'btcusdt@kline_1s', 'btcusdt@miniTicker', 'btcusdt@ticker', '!miniTicker@arr']) sub(hub, c, n);
    feed.place({ userId: alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 100 }, T0 + 10);
    feed.place({ userId: bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 40 }, T0 + 20);
    feed.place({ userId: bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 60 }, T0 + 1500);
    const trades = c.on('btcusdt@trade');
    expect(trades).toHaveLength(2);
    expect(trades[0]).toMatchObject({ e: 'trade', s: 'BTCUSDT', p: '30000.00000000', q: '0.00040000', T: T0 + 20, m: false, M: true });
    expect(c.on('btcusdt@aggTrade')[1]).toMatchObject({ e: 'aggTrade', a: trades[1]!.t, f: trades[1]!.t, l: trades[1]!.t, q: '0.00060000' });
    // The second trade fell in the next second: the 1s candle of the first one was closed at once.
    const closed1s = c.on('btcusdt@kline_1s');
    expect(closed1s).toHaveLength(1);
    expect(closed1s[0]!.k).toMatchObject({ t: T0, T: T0 + 999, i: '1s', x: true, n: 1, v: '0.00040000', V: '0.00040000', q: '12.00000000' });
    clock.now = T0 + 61_000;
    hub.tick(1000);
    const k1m = c.on('btcusdt@kline_1m').pop()!.k as Record<string, unknown>;
    expect(k1m).toMatchObject({ t: T0, T: T0 + 59_999, s: 'BTCUSDT', i: '1m', o: '30000.00000000', c: '30000.00000000', n: 2, x: true, v: '0.00100000', q: '30.00000000' });
    const t = c.on('btcusdt@ticker').pop()!;
    expect(t).toMatchObject({ e: '24hrTicker', s: 'BTCUSDT', c: '30000.00000000', o: '30000.00000000', p: '0.00000000', P: '0.000', w: '30000.00000000', v: '0.00100000', q: '30.00000000', n: 2, F: trades[0]!.t, L: trades[1]!.t, Q: '0.00060000' });
    expect(c.on('btcusdt@miniTicker').pop()).toMatchObject({ e: '24hrMiniTicker', c: '30000.00000000', v: '0.00100000' });
    expect(c.on('!miniTicker@arr').pop()).toEqual([expect.objectContaining({ s: 'BTCUSDT' })]);
  });

  it('routes executionReport, outboundAccountPosition and balanceUpdate to the user only', () => {
    const { hub, feed, alice, bob } = setup();
    const got: Record<string, unknown>[] = [];
    const aliceSub: UserSubscriber = { apiKey: 'k', deliverUser: (j) => got.push(JSON.parse(j) as Record<string, unknown>), revoked: () => got.push({ revoked: true }) };
    hub.subscribeUser(alice, aliceSub);
    feed.apply({ t: 'deposit', userId: alice, asset: 'USDT', amountUnits: 5 * ONE });
    feed.place({ userId: alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 100, clientOrderId: 'a1' });
    feed.place({ userId: bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 100 });
    expect(got[0]).toMatchObject({ e: 'balanceUpdate', a: 'USDT', d: '5.00000000' });
    expect(got[1]).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'USDT', f: '1000005.00000000', l: '0.00000000' }] });
    expect(got[2]).toMatchObject({ e: 'executionReport', s: 'BTCUSDT', c: 'a1', S: 'SELL', o: 'LIMIT', x: 'NEW', X: 'NEW', q: '0.00100000', p: '30000.00000000', t: -1, w: true });
    expect(got[3]).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'BTC', f: '99.99900000', l: '0.00100000' }] });
    const fill = got.find((g) => g.e === 'executionReport' && g.x === 'TRADE')!;
    expect(fill).toMatchObject({ X: 'FILLED', l: '0.00100000', z: '0.00100000', L: '30000.00000000', m: true, N: 'USDT', Z: '30.00000000' });
    for (const k of ['e', 'E', 's', 'c', 'S', 'o', 'f', 'q', 'p', 'P', 'F', 'C', 'x', 'X', 'r', 'i', 'l', 'z', 'L', 'n', 'N', 'T', 't', 'w', 'm', 'O', 'Z', 'Y', 'Q', 'V']) {
      expect(fill).toHaveProperty(k);
    }
    expect(got.every((g) => g.e !== 'executionReport' || g.c === 'a1')).toBe(true);
  });

  it('keeps diffs contiguous and the level book equal to the engine under churn', () => {
    const { hub, feed, alice, bob } = setup();
    const c = new Collector();
    sub(hub, c, 'btcusdt@depth@100ms');
    sub(hub, c, 'btcusdt@depth20');
    const start = feed.engine.depth('BTCUSDT', 1)!.lastUpdateId;
    const churn = new Churn(feed, [alice, bob], 7);
    for (let i = 0; i < 3000; i++) {
      churn.step();
      if (i % 37 === 0) hub.tick(100);
    }
    hub.tick(100);
    hub.tick(1000);
    let prev = start;
    for (const d of c.on('btcusdt@depth@100ms')) {
      expect(d.U).toBe(prev + 1);
      prev = d.u as number;
    }
    const engine = feed.engine.depth('BTCUSDT', 20)!;
    expect(prev).toBe(engine.lastUpdateId);
    const st = hub.symbols.get('BTCUSDT')!;
    expect(st.book.top('bid', 20)).toEqual(engine.bids);
    expect(st.book.top('ask', 20)).toEqual(engine.asks);
    expect(c.on('btcusdt@depth20').pop()!.lastUpdateId).toBe(engine.lastUpdateId);
  });

  it('rejects bad stream names with a reason', () => {
    const { hub } = setup();
    for (const bad of ['', 'BTCUSDT@trade', 'xxxusdt@trade', 'btcusdt@depth@10ms', 'btcusdt@kline_2m', 'btcusdt@nope', 'btcusdt@trade@x', 'a'.repeat(100)]) {
      expect(typeof hub.parse(bad)).toBe('string');
    }
    expect(hub.parse('btcusdt@depth10@100ms')).toEqual({ kind: 'partialDepth', symbol: 'BTCUSDT', levels: 10, speedMs: 100 });
    expect(hub.parse('ethusdt@kline_1M')).toEqual({ kind: 'kline', symbol: 'ETHUSDT', interval: '1M' });
  });
});
