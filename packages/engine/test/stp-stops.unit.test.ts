import { describe, expect, test } from 'vitest';
import { Sim, U, lastOf, ofType, orders, rejected } from './harness.ts';

const P = (usdt: number): number => Math.round(usdt * 100);
const Q = (btc: number): number => Math.round(btc * 100_000);

function setup(): { sim: Sim; a: number; b: number } {
  const sim = new Sim();
  const a = sim.user('alice', { USDT: 1_000_000 * U, BTC: 100 * U });
  const b = sim.user('bob', { USDT: 1_000_000 * U, BTC: 100 * U });
  return { sim, a, b };
}

describe('self-trade prevention (the taker\'s mode governs)', () => {
  test('EXPIRE_TAKER: the taker ends EXPIRED_IN_MATCH, the maker stays', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1), stpMode: 'EXPIRE_TAKER' });
    expect(ofType(ev, 'trade')).toHaveLength(0);
    expect(lastOf(ev, 2)).toMatchObject({ status: 'EXPIRED_IN_MATCH', execType: 'TRADE_PREVENTION', preventedMatchId: 1, preventedLots: Q(1) });
    expect(sim.engine.order(1)).toBeDefined();
    expect(sim.balance(a, 'USDT').locked).toBe(0);
  });

  test('EXPIRE_MAKER: own makers are expired and matching continues behind them', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) }); // 1, own
    sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) }); // 2
    const ev = sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1), stpMode: 'EXPIRE_MAKER' });
    expect(lastOf(ev, 1)).toMatchObject({ status: 'EXPIRED_IN_MATCH', execType: 'TRADE_PREVENTION', isMaker: true });
    expect(ofType(ev, 'trade').map((t) => t.sellerOrderId)).toEqual([2]);
    expect(lastOf(ev, 3)).toMatchObject({ status: 'FILLED' });
    expect(sim.balance(a, 'BTC')).toEqual({ free: 100 * U + 0.999 * U, locked: 0 });
  });

  test('EXPIRE_BOTH: both orders end EXPIRED_IN_MATCH', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(2), stpMode: 'EXPIRE_BOTH' });
    expect(lastOf(ev, 1)).toMatchObject({ status: 'EXPIRED_IN_MATCH' });
    expect(lastOf(ev, 2)).toMatchObject({ status: 'EXPIRED_IN_MATCH' });
    expect(sim.engine.openOrderCount()).toBe(0);
    expect(sim.balance(a, 'USDT')).toEqual({ free: 1_000_000 * U, locked: 0 });
  });

  test('NONE lets a user trade with itself (and pay both fees)', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1), stpMode: 'NONE' });
    expect(ofType(ev, 'trade')).toHaveLength(1);
    expect(sim.balance(a, 'USDT').free).toBe(1_000_000 * U - 0.1 * U);
  });

  test('FOK counts only liquidity it may take under its STP mode', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(2), timeInForce: 'FOK', stpMode: 'EXPIRE_MAKER' });
    expect(lastOf(ev, 3)).toMatchObject({ status: 'EXPIRED', executedLots: 0 });
    expect(sim.engine.openOrderCount()).toBe(2);
  });

  test('a mode the market does not allow is rejected', () => {
    const sim = new Sim([{ ...new Sim().engine.marketConfigs[0]!, allowedStpModes: ['NONE', 'EXPIRE_MAKER'] }]);
    const a = sim.user('a', { USDT: 1000 * U });
    expect(rejected(sim.place({ userId: a, priceTicks: P(100), qtyLots: Q(1), stpMode: 'EXPIRE_BOTH' }))).toBe('INVALID_STP_MODE');
    expect(rejected(sim.place({ userId: a, priceTicks: P(100), qtyLots: Q(1), stpMode: 'BOGUS' as never }))).toBe('INVALID_STP_MODE');
  });
});

describe('stop orders trigger on the last trade price', () => {
  function withLast(price: number): { sim: Sim; a: number; b: number } {
    const s = setup();
    s.sim.place({ userId: s.a, side: 'SELL', priceTicks: price, qtyLots: Q(1) });
    s.sim.place({ userId: s.b, side: 'BUY', priceTicks: price, qtyLots: Q(1) });
    expect(s.sim.engine.market('BTCUSDT')!.lastPriceTicks).toBe(price);
    return s;
  }

  test('STOP_LOSS (sell) waits untriggered with base locked, then sells at market when the price falls', () => {
    const { sim, a, b } = withLast(P(100));
    const placed = sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: P(95), qtyLots: Q(1) });
    expect(orders(placed)[0]).toMatchObject({ status: 'NEW', isWorking: false, stopPriceTicks: P(95) });
    expect(sim.balance(a, 'BTC').locked).toBe(1 * U);
    sim.place({ userId: b, side: 'BUY', priceTicks: P(90), qtyLots: Q(5) }); // liquidity below
    sim.place({ userId: b, side: 'BUY', priceTicks: P(95), qtyLots: Q(0.1) });
    const ev = sim.place({ userId: a, side: 'SELL', priceTicks: P(95), qtyLots: Q(0.1), stpMode: 'NONE' }); // trade at 95
    const stopId = orders(placed)[0]!.orderId;
    expect(orders(ev).filter((o) => o.orderId === stopId).map((o) => o.execType)).toEqual(['TRIGGERED', 'TRADE']);
    expect(lastOf(ev, stopId)).toMatchObject({ status: 'FILLED', lastPriceTicks: P(90) });
    expect(sim.balance(a, 'BTC').locked).toBe(0);
  });

  test('STOP_LOSS_LIMIT (buy) triggers when the price rises and rests at its limit', () => {
    const { sim, a, b } = withLast(P(100));
    const placed = sim.place({ userId: a, side: 'BUY', type: 'STOP_LOSS_LIMIT', stopPriceTicks: P(105), priceTicks: P(106), qtyLots: Q(1) });
    const stopId = orders(placed)[0]!.orderId;
    expect(sim.balance(a, 'USDT').locked).toBe(106 * U);
    sim.place({ userId: b, side: 'SELL', priceTicks: P(105), qtyLots: Q(0.5) });
    const ev = sim.place({ userId: b, side: 'BUY', priceTicks: P(105), qtyLots: Q(0.5), stpMode: 'NONE' });
    expect(lastOf(ev, stopId)).toMatchObject({ execType: 'TRIGGERED', isWorking: true });
    expect(sim.engine.depth('BTCUSDT', 5)!.bids[0]).toEqual([P(106), Q(1)]);
    expect(sim.engine.isWorking(sim.engine.order(stopId)!)).toBe(true);
  });

  test('TAKE_PROFIT (sell) triggers when the price rises; TAKE_PROFIT_LIMIT (buy) when it falls', () => {
    const { sim, a, b } = withLast(P(100));
    const tp = orders(sim.place({ userId: a, side: 'SELL', type: 'TAKE_PROFIT', timeInForce: undefined, stopPriceTicks: P(110), qtyLots: Q(0.5) }))[0]!.orderId;
    const tpl = orders(sim.place({ userId: a, side: 'BUY', type: 'TAKE_PROFIT_LIMIT', stopPriceTicks: P(90), priceTicks: P(90), qtyLots: Q(0.5) }))[0]!.orderId;
    sim.place({ userId: b, side: 'BUY', priceTicks: P(110), qtyLots: Q(1) });
    const up = sim.place({ userId: b, side: 'SELL', type: 'MARKET', timeInForce: undefined, qtyLots: Q(0.1), stpMode: 'NONE' });
    expect(lastOf(up, tp)).toMatchObject({ status: 'FILLED' });
    expect(sim.engine.order(tpl)).toBeDefined();
    sim.place({ userId: b, side: 'SELL', priceTicks: P(90), qtyLots: Q(2) });
    const down = sim.place({ userId: b, side: 'BUY', type: 'MARKET', timeInForce: undefined, qtyLots: Q(0.1), stpMode: 'NONE' });
    // The market buy takes the 90 ask, so the last price falls to 90.
    expect(lastOf(down, tpl)).toMatchObject({ status: 'FILLED' });
  });

  test('a stop that would trigger immediately is rejected; stop price outside the filter is rejected', () => {
    const { sim, a } = withLast(P(100));
    expect(rejected(sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: P(100), qtyLots: Q(1) }))).toBe('WOULD_TRIGGER');
    expect(rejected(sim.place({ userId: a, side: 'BUY', type: 'STOP_LOSS_LIMIT', stopPriceTicks: P(99), priceTicks: P(99), qtyLots: Q(1) }))).toBe('WOULD_TRIGGER');
    expect(rejected(sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: 0, qtyLots: Q(1) }))).toBe('INVALID_STOP_PRICE');
    expect(rejected(sim.place({ userId: a, side: 'SELL', type: 'LIMIT', stopPriceTicks: P(90), priceTicks: P(90), qtyLots: Q(1) }))).toBe('PARAM_NOT_REQUIRED');
  });

  test('cancelling an untriggered stop releases its lock', () => {
    const { sim, a } = withLast(P(100));
    sim.place({ userId: a, side: 'BUY', type: 'STOP_LOSS_LIMIT', stopPriceTicks: P(105), priceTicks: P(106), qtyLots: Q(1), clientOrderId: 'stop-1' });
    const ev = sim.apply({ t: 'cancel', userId: a, symbol: 'BTCUSDT', clientOrderId: 'stop-1' });
    expect(orders(ev)[0]).toMatchObject({ status: 'CANCELED', orderType: 'STOP_LOSS_LIMIT' });
    expect(sim.balance(a, 'USDT').locked).toBe(0);
    expect(ofType(ev, 'depth')).toHaveLength(0); // stops are not on the book
  });

  test('triggers cascade: one stop\'s fill can trigger the next', () => {
    const { sim, a, b } = withLast(P(100));
    sim.place({ userId: b, side: 'BUY', priceTicks: P(98), qtyLots: Q(1) });
    sim.place({ userId: b, side: 'BUY', priceTicks: P(96), qtyLots: Q(1) });
    const s1 = orders(sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: P(99), qtyLots: Q(1.5) }))[0]!.orderId;
    const s2 = orders(sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: P(97), qtyLots: Q(0.5) }))[0]!.orderId;
    sim.place({ userId: b, side: 'BUY', priceTicks: P(99), qtyLots: Q(0.1) });
    const ev = sim.place({ userId: a, side: 'SELL', priceTicks: P(99), qtyLots: Q(0.1), stpMode: 'NONE' });
    // s1 sells 1 at 98 and 0.5 at 96; the price is now 96, below s2's stop of 97.
    expect(lastOf(ev, s1)).toMatchObject({ status: 'FILLED', lastPriceTicks: P(96) });
    expect(lastOf(ev, s2)).toMatchObject({ status: 'FILLED', lastPriceTicks: P(96) });
  });
});
