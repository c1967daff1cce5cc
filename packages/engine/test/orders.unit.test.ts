import { describe, expect, test } from 'vitest';
import { Sim, U, lastOf, ofType, orders, rejected } from './harness.ts';

/** BTCUSDT: price in USDT → ticks (0.01), quantity in BTC → lots (0.00001). */
const P = (usdt: number): number => Math.round(usdt * 100);
const Q = (btc: number): number => Math.round(btc * 100_000);

function setup(): { sim: Sim; a: number; b: number; c: number } {
  const sim = new Sim();
  const a = sim.user('alice', { USDT: 1_000_000 * U, BTC: 100 * U });
  const b = sim.user('bob', { USDT: 1_000_000 * U, BTC: 100 * U });
  const c = sim.user('carol', { USDT: 1_000_000 * U, BTC: 100 * U });
  return { sim, a, b, c };
}

describe('limit orders', () => {
  test('a resting buy locks exactly price × quantity and publishes a depth change', () => {
    const { sim, a } = setup();
    const ev = sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(2) });
    expect(orders(ev)).toEqual([expect.objectContaining({ execType: 'NEW', status: 'NEW', orderId: 1, isWorking: true })]);
    expect(sim.balance(a, 'USDT')).toEqual({ free: 999_800 * U, locked: 200 * U });
    expect(ofType(ev, 'depth')).toEqual([{ type: 'depth', symbol: 'BTCUSDT', updateId: 1, bids: [P(100), Q(2)], asks: [] }]);
    expect(sim.engine.depth('BTCUSDT', 10)).toEqual({ lastUpdateId: 1, bids: [[P(100), Q(2)]], asks: [] });
  });

  test('a crossing order trades at the maker price; fees are taken in the asset received', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'BUY', priceTicks: P(101), qtyLots: Q(1) });
    const [trade] = ofType(ev, 'trade');
    expect(trade).toMatchObject({ priceTicks: P(100), qtyLots: Q(1), quoteUnits: 100 * U, buyerIsMaker: false, buyerUserId: b, sellerUserId: a, buyerFeeUnits: 0.001 * U, sellerFeeUnits: 0.1 * U });
    // The buyer locked 101 USDT and paid 100: the better price is released at once.
    expect(sim.balance(b, 'USDT')).toEqual({ free: 999_900 * U, locked: 0 });
    expect(sim.balance(b, 'BTC')).toEqual({ free: 100 * U + 0.999 * U, locked: 0 });
    expect(sim.balance(a, 'USDT')).toEqual({ free: 1_000_000 * U + 99.9 * U, locked: 0 });
    expect(sim.balance(0, 'USDT').free).toBe(0.1 * U);
    expect(sim.balance(0, 'BTC').free).toBe(0.001 * U);
    expect(lastOf(ev, 2)).toMatchObject({ status: 'FILLED', execType: 'TRADE', isMaker: false, commissionUnits: 0.001 * U, commissionAsset: 'BTC' });
    expect(lastOf(ev, 1)).toMatchObject({ status: 'FILLED', execType: 'TRADE', isMaker: true, commissionUnits: 0.1 * U, commissionAsset: 'USDT' });
  });

  test('a partial fill leaves the rest resting with the lock of the rest', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'BUY', priceTicks: P(100), qtyLots: Q(3) });
    expect(lastOf(ev, 2)).toMatchObject({ status: 'PARTIALLY_FILLED', executedLots: Q(1) });
    expect(sim.balance(b, 'USDT').locked).toBe(200 * U);
    expect(sim.engine.depth('BTCUSDT', 5)!.bids).toEqual([[P(100), Q(2)]]);
  });

  test('price-time priority: better price first, then first come first served', () => {
    const { sim, a, b, c } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(101), qtyLots: Q(1) }); // 1
    sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) }); // 2
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) }); // 3
    const ev = sim.place({ userId: c, side: 'BUY', priceTicks: P(101), qtyLots: Q(2.5) });
    expect(ofType(ev, 'trade').map((t) => [t.sellerOrderId, t.priceTicks, t.qtyLots])).toEqual([
      [2, P(100), Q(1)], [3, P(100), Q(1)], [1, P(101), Q(0.5)],
    ]);
  });

  test('IOC trades what it can and expires the rest', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'BUY', priceTicks: P(100), qtyLots: Q(2), timeInForce: 'IOC' });
    expect(lastOf(ev, 2)).toMatchObject({ status: 'EXPIRED', execType: 'EXPIRED', executedLots: Q(1) });
    expect(sim.balance(b, 'USDT')).toEqual({ free: 999_900 * U, locked: 0 });
    expect(sim.engine.depth('BTCUSDT', 5)).toMatchObject({ bids: [], asks: [] });
  });

  test('FOK fills completely or not at all', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    sim.place({ userId: a, side: 'SELL', priceTicks: P(102), qtyLots: Q(1) });
    const miss = sim.place({ userId: b, side: 'BUY', priceTicks: P(101), qtyLots: Q(2), timeInForce: 'FOK' });
    expect(ofType(miss, 'trade')).toHaveLength(0);
    expect(lastOf(miss, 3)).toMatchObject({ status: 'EXPIRED', executedLots: 0 });
    expect(sim.balance(b, 'USDT').locked).toBe(0);
    const hit = sim.place({ userId: b, side: 'BUY', priceTicks: P(102), qtyLots: Q(2), timeInForce: 'FOK' });
    expect(ofType(hit, 'trade')).toHaveLength(2);
    expect(lastOf(hit, 4)).toMatchObject({ status: 'FILLED' });
  });

  test('LIMIT_MAKER rests when it would not take and is rejected when it would', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    expect(rejected(sim.place({ userId: b, side: 'BUY', type: 'LIMIT_MAKER', timeInForce: undefined, priceTicks: P(100), qtyLots: Q(1) }))).toBe('WOULD_TAKE');
    const ok = sim.place({ userId: b, side: 'BUY', type: 'LIMIT_MAKER', timeInForce: undefined, priceTicks: P(99.99), qtyLots: Q(1) });
    expect(orders(ok)[0]).toMatchObject({ status: 'NEW', orderType: 'LIMIT_MAKER' });
    expect(sim.balance(b, 'USDT').locked).toBe(99.99 * U);
  });
});

describe('market orders', () => {
  test('a market buy by quantity walks the book and is charged what it paid', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    sim.place({ userId: a, side: 'SELL', priceTicks: P(110), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'BUY', type: 'MARKET', timeInForce: undefined, qtyLots: Q(1.5) });
    expect(ofType(ev, 'trade').map((t) => [t.priceTicks, t.qtyLots])).toEqual([[P(100), Q(1)], [P(110), Q(0.5)]]);
    expect(lastOf(ev, 3)).toMatchObject({ status: 'FILLED', cumQuoteUnits: 155 * U });
    expect(sim.balance(b, 'USDT')).toEqual({ free: 1_000_000 * U - 155 * U, locked: 0 });
  });

  test('a market buy by quantity beyond free funds is rejected up front', () => {
    const { sim, a } = setup();
    const poor = sim.user('poor', { USDT: 50 * U });
    sim.place({ userId: a, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    const ev = sim.place({ userId: poor, side: 'BUY', type: 'MARKET', timeInForce: undefined, qtyLots: Q(1) });
    expect(rejected(ev)).toBe('INSUFFICIENT_BALANCE');
    expect(sim.balance(poor, 'USDT')).toEqual({ free: 50 * U, locked: 0 });
  });

  test('a market order on an empty or thin book expires the rest', () => {
    const { sim, a, b } = setup();
    const empty = sim.place({ userId: b, side: 'SELL', type: 'MARKET', timeInForce: undefined, qtyLots: Q(1) });
    expect(lastOf(empty, 1)).toMatchObject({ status: 'EXPIRED', executedLots: 0 });
    expect(sim.balance(b, 'BTC')).toEqual({ free: 100 * U, locked: 0 });
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(0.4) });
    const thin = sim.place({ userId: b, side: 'SELL', type: 'MARKET', timeInForce: undefined, qtyLots: Q(1) });
    expect(lastOf(thin, 3)).toMatchObject({ status: 'EXPIRED', executedLots: Q(0.4) });
    expect(sim.balance(b, 'BTC')).toEqual({ free: 99.6 * U, locked: 0 });
  });

  test('a market buy by quoteOrderQty spends at most that amount and reports FILLED', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'SELL', priceTicks: P(300), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'BUY', type: 'MARKET', timeInForce: undefined, quoteQtyUnits: 100 * U });
    const last = lastOf(ev, 2)!;
    // 100 USDT buys 0.33333 BTC at 300 (99.999 USDT); the last 0.001 USDT cannot buy a lot.
    expect(last).toMatchObject({ status: 'FILLED', executedLots: 33_333, cumQuoteUnits: 99.999 * U, origQtyLots: 33_333, origQuoteUnits: 100 * U });
    expect(sim.balance(b, 'USDT')).toEqual({ free: 1_000_000 * U - 99.999 * U, locked: 0 });
  });

  test('a market sell by quoteOrderQty sells just enough to receive that amount', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(200), qtyLots: Q(1) });
    const ev = sim.place({ userId: b, side: 'SELL', type: 'MARKET', timeInForce: undefined, quoteQtyUnits: 50 * U });
    expect(lastOf(ev, 2)).toMatchObject({ status: 'FILLED', executedLots: Q(0.25), cumQuoteUnits: 50 * U });
  });

  test('a quote-quantity market sell beyond the free base is rejected', () => {
    const { sim, a } = setup();
    const poor = sim.user('poor', { BTC: 0.1 * U });
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    expect(rejected(sim.place({ userId: poor, side: 'SELL', type: 'MARKET', timeInForce: undefined, quoteQtyUnits: 20 * U }))).toBe('INSUFFICIENT_BALANCE');
  });
});

describe('cancel', () => {
  test('by order id and by client order id; funds come back', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1), clientOrderId: 'mine-1' });
    sim.place({ userId: a, side: 'SELL', priceTicks: P(200), qtyLots: Q(1) });
    const byId = sim.apply({ t: 'cancel', userId: a, symbol: 'BTCUSDT', orderId: 2 });
    expect(orders(byId)[0]).toMatchObject({ orderId: 2, status: 'CANCELED', execType: 'CANCELED' });
    const byCid = sim.apply({ t: 'cancel', userId: a, symbol: 'BTCUSDT', clientOrderId: 'mine-1' });
    expect(orders(byCid)[0]).toMatchObject({ orderId: 1, status: 'CANCELED', clientOrderId: 'mine-1' });
    expect(sim.balance(a, 'USDT')).toEqual({ free: 1_000_000 * U, locked: 0 });
    expect(sim.balance(a, 'BTC')).toEqual({ free: 100 * U, locked: 0 });
    expect(ofType(byCid, 'depth')[0]).toMatchObject({ bids: [P(100), 0], asks: [] });
  });

  test('unknown orders, other users\' orders and other symbols are all "Unknown order sent."', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1), clientOrderId: 'x' });
    expect(rejected(sim.apply({ t: 'cancel', userId: a, symbol: 'BTCUSDT', orderId: 99 }))).toBe('UNKNOWN_ORDER');
    expect(rejected(sim.apply({ t: 'cancel', userId: b, symbol: 'BTCUSDT', orderId: 1 }))).toBe('UNKNOWN_ORDER');
    expect(rejected(sim.apply({ t: 'cancel', userId: b, symbol: 'BTCUSDT', clientOrderId: 'x' }))).toBe('UNKNOWN_ORDER');
    expect(rejected(sim.apply({ t: 'cancel', userId: a, symbol: 'ETHUSDT', orderId: 1 }))).toBe('UNKNOWN_ORDER');
    expect(rejected(sim.apply({ t: 'cancel', userId: a, symbol: 'BTCUSDT', orderId: 1, clientOrderId: 'y' }))).toBe('UNKNOWN_ORDER');
    expect(rejected(sim.apply({ t: 'cancel', userId: a, symbol: 'NOPE', orderId: 1 }))).toBe('BAD_SYMBOL');
    expect(rejected(sim.apply({ t: 'cancelAll', userId: b, symbol: 'BTCUSDT' }))).toBe('UNKNOWN_ORDER');
    expect(sim.engine.openOrders(a)).toHaveLength(1);
    expect(sim.balance(a, 'USDT').locked).toBe(100 * U);
  });

  test('cancel all open orders of one symbol, in placement order, leaving other symbols', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    sim.place({ userId: a, side: 'SELL', priceTicks: P(200), qtyLots: Q(1) });
    sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS_LIMIT', priceTicks: P(90), stopPriceTicks: P(91), qtyLots: Q(1) });
    sim.place({ userId: a, symbol: 'ETHUSDT', side: 'BUY', priceTicks: P(10), qtyLots: 10_000 });
    const ev = sim.apply({ t: 'cancelAll', userId: a, symbol: 'BTCUSDT' });
    expect(orders(ev).map((o) => [o.orderId, o.status])).toEqual([[1, 'CANCELED'], [2, 'CANCELED'], [3, 'CANCELED']]);
    expect(sim.engine.openOrders(a).map((o) => o.orderId)).toEqual([4]);
  });

  test('cancel-replace cancels then places; STOP_ON_FAILURE places nothing when the cancel fails', () => {
    const { sim, a } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    const order = { userId: a, symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, timeInForce: 'GTC' as const, priceTicks: P(101), qtyLots: Q(2) };
    const ok = sim.apply({ t: 'cancelReplace', userId: a, symbol: 'BTCUSDT', cancelOrderId: 1, mode: 'STOP_ON_FAILURE', order });
    expect(orders(ok).map((o) => [o.orderId, o.status])).toEqual([[1, 'CANCELED'], [2, 'NEW']]);
    expect(sim.balance(a, 'USDT').locked).toBe(202 * U);
    const fail = sim.apply({ t: 'cancelReplace', userId: a, symbol: 'BTCUSDT', cancelOrderId: 1, mode: 'STOP_ON_FAILURE', order });
    expect(rejected(fail)).toBe('UNKNOWN_ORDER');
    expect(orders(fail)).toHaveLength(0);
    const allow = sim.apply({ t: 'cancelReplace', userId: a, symbol: 'BTCUSDT', cancelOrderId: 1, mode: 'ALLOW_FAILURE', order });
    expect(rejected(allow)).toBe('UNKNOWN_ORDER');
    expect(orders(allow)[0]).toMatchObject({ orderId: 3, status: 'NEW' });
  });

  test('cancel-replace refuses to act for another user', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) });
    const order = { userId: a, symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, timeInForce: 'GTC' as const, priceTicks: P(101), qtyLots: Q(2) };
    expect(rejected(sim.apply({ t: 'cancelReplace', userId: b, symbol: 'BTCUSDT', cancelOrderId: 1, mode: 'ALLOW_FAILURE', order }))).toBe('UNAUTHORIZED');
    expect(rejected(sim.apply({ t: 'cancelReplace', userId: b, symbol: 'BTCUSDT', cancelOrderId: 1, mode: 'ALLOW_FAILURE', order: { ...order, userId: b } }))).toBe('UNKNOWN_ORDER');
    expect(sim.engine.order(1)).toBeDefined();
  });
});

describe('client order ids', () => {
  test('a duplicate among open orders is rejected; reuse after the order ends is fine', () => {
    const { sim, a, b } = setup();
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1), clientOrderId: 'dup' });
    expect(rejected(sim.place({ userId: a, side: 'BUY', priceTicks: P(99), qtyLots: Q(1), clientOrderId: 'dup' }))).toBe('DUPLICATE_ORDER');
    // Another user may use the same id.
    expect(rejected(sim.place({ userId: b, side: 'BUY', priceTicks: P(99), qtyLots: Q(1), clientOrderId: 'dup' }))).toBeUndefined();
    sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(1) });
    expect(rejected(sim.place({ userId: a, side: 'BUY', priceTicks: P(98), qtyLots: Q(1), clientOrderId: 'dup' }))).toBeUndefined();
  });
});

describe('quote-quantity market orders end FILLED when the rest cannot buy a lot at the next price', () => {
  test('the same execution reports the same status whatever the unusable remainder', () => {
    for (const budget of [505_000_000, 510_000_005]) {
      const sim = new Sim();
      const a = sim.user('a', { BTC: 1 * U });
      const b = sim.user('b', { USDT: 100 * U });
      sim.place({ userId: a, side: 'SELL', priceTicks: 1_000_000, qtyLots: 50 });
      sim.place({ userId: a, side: 'SELL', priceTicks: 1_000_001, qtyLots: 100 });
      const ev = sim.place({ userId: b, side: 'BUY', type: 'MARKET', timeInForce: undefined, quoteQtyUnits: budget });
      expect(lastOf(ev, 3)).toMatchObject({ status: 'FILLED', executedLots: 50, cumQuoteUnits: 500_000_000 });
      expect(sim.balance(b, 'USDT')).toEqual({ free: 100 * U - 500_000_000, locked: 0 });
    }
  });

  test('workingTs is the placement time for orders and the trigger time for stops', () => {
    const sim = new Sim();
    const a = sim.user('a', { BTC: 10 * U, USDT: 10_000 * U });
    const b = sim.user('b', { BTC: 10 * U, USDT: 10_000 * U });
    const placed = orders(sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(1) }))[0]!;
    const fill = sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(0.5) });
    expect(lastOf(fill, placed.orderId)!.workingTs).toBe(placed.createdTs);
    sim.place({ userId: b, side: 'SELL', priceTicks: P(100), qtyLots: Q(0.5) }); // the bid is gone, last price 100
    const stop = orders(sim.place({ userId: a, side: 'SELL', type: 'STOP_LOSS', timeInForce: undefined, stopPriceTicks: P(99), qtyLots: Q(0.1) }))[0]!;
    expect(stop.workingTs).toBe(-1);
    sim.place({ userId: b, side: 'BUY', priceTicks: P(99), qtyLots: Q(0.1) });
    const trig = sim.place({ userId: b, side: 'SELL', priceTicks: P(99), qtyLots: Q(0.1), stpMode: 'NONE' });
    expect(orders(trig).find((o) => o.orderId === stop.orderId && o.execType === 'TRIGGERED')!.workingTs).toBe(sim.ts);
  });
});
