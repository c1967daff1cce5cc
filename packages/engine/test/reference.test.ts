import { DEFAULT_MARKETS, type EngineEvent, type MarketConfig, type Side, type StpMode, type TimeInForce } from '@matchbox/domain';
import fc from 'fast-check';
import { beforeEach, describe, expect, test } from 'vitest';
import { Sim, U, ofType, orders } from './harness.ts';
import { ReferenceBook, type RefOrderType, type RefTrade } from './reference-book.ts';

/*
 * The fast engine against the naive reference book on random command streams on BTCUSDT: same
 * trades (price, quantity, maker and taker, buyer-is-maker) command by command, same accepted
 * ids and rejects, same depth after every command, same final status and executed quantity for
 * every order. Funds are ample, so they never limit an order; prices sit in a narrow band so
 * orders cross often, and four users trade with each other and with themselves under every
 * self-trade-prevention mode.
 */

const SYMBOL = 'BTCUSDT';
const BASE_PRICE = 1_000_000; // 10,000.00 USDT in ticks of 0.01
const USERS = 4;

type Kind = 'GTC' | 'IOC' | 'FOK' | 'MARKET' | 'LIMIT_MAKER';
type Intent =
  | { k: 'place'; u: number; side: Side; kind: Kind; dp: number; qty: number; stp: StpMode | undefined }
  | { k: 'cancel'; u: number; own: boolean; pick: number };

const placeArb: fc.Arbitrary<Intent> = fc.record({
  k: fc.constant('place' as const),
  u: fc.integer({ min: 0, max: USERS - 1 }),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  kind: fc.constantFrom<Kind>('GTC', 'GTC', 'GTC', 'IOC', 'FOK', 'MARKET', 'LIMIT_MAKER'),
  dp: fc.integer({ min: -6, max: 6 }),
  // At ~10,000 USDT a lot (0.00001 BTC) is worth 0.1 USDT: 60 lots clears minNotional (5 USDT).
  qty: fc.integer({ min: 60, max: 400 }),
  stp: fc.constantFrom<StpMode | undefined>(undefined, 'NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'),
});
const cancelArb: fc.Arbitrary<Intent> = fc.record({
  k: fc.constant('cancel' as const),
  u: fc.integer({ min: 0, max: USERS - 1 }),
  own: fc.boolean(),
  pick: fc.nat({ max: 1000 }),
});
const streamArb = (maxLength: number): fc.Arbitrary<Intent[]> =>
  fc.array(fc.oneof({ arbitrary: placeArb, weight: 4 }, { arbitrary: cancelArb, weight: 1 }), { minLength: 1, maxLength, size: 'max' });

interface Outcome { status: string; executed: number }

function engineTrades(ev: EngineEvent[]): RefTrade[] {
  return ofType(ev, 'trade').map((t) => ({
    priceTicks: t.priceTicks,
    qtyLots: t.qtyLots,
    makerOrderId: t.buyerIsMaker ? t.buyerOrderId : t.sellerOrderId,
    takerOrderId: t.buyerIsMaker ? t.sellerOrderId : t.buyerOrderId,
    buyerIsMaker: t.buyerIsMaker,
  }));
}

/** Runs one stream through both books, asserting agreement after every command. */
function compare(intents: Intent[], market: MarketConfig): void {
  const sim = new Sim([market]);
  const ref = new ReferenceBook(market.maxNumOrders);
  const userIds: number[] = [];
  for (let i = 0; i < USERS; i++) userIds.push(sim.user(`u${i}`, { BTC: 10_000 * U, USDT: 10_000_000 * U }));
  const outcomes = new Map<number, Outcome>();

  intents.forEach((it, step) => {
    const userId = userIds[it.u]!;
    let ev: EngineEvent[];
    let expectedTrades: RefTrade[] = [];
    let expectedError: string | undefined;
    let expectedId: number | null = null;
    if (it.k === 'place') {
      const type: RefOrderType = it.kind === 'MARKET' ? 'MARKET' : it.kind === 'LIMIT_MAKER' ? 'LIMIT_MAKER' : 'LIMIT';
      const tif: TimeInForce | undefined = type === 'LIMIT' ? (it.kind as TimeInForce) : undefined;
      const priceTicks = type === 'MARKET' ? 0 : BASE_PRICE + it.dp;
      const r = ref.place({ userId, side: it.side, type, tif, priceTicks, qtyLots: it.qty, stpMode: it.stp ?? market.defaultStpMode });
      expectedTrades = r.trades;
      expectedError = r.error ?? undefined;
      expectedId = r.orderId;
      ev = sim.place({ userId, symbol: SYMBOL, side: it.side, type, timeInForce: tif, priceTicks, qtyLots: it.qty, stpMode: it.stp });
    } else {
      const own = ref.openOrders(userId);
      const orderId = it.own && own.length > 0 ? own[it.pick % own.length]!.id : (it.pick % (ref.nextId + 1)) + 1;
      expectedError = ref.cancel(userId, orderId) ? undefined : 'UNKNOWN_ORDER';
      ev = sim.apply({ t: 'cancel', userId, symbol: SYMBOL, orderId });
    }
    const where = `step ${step}: ${JSON.stringify(it)}`;
    expect(ofType(ev, 'rejected').map((r) => r.error), where).toEqual(expectedError === undefined ? [] : [expectedError]);
    expect(engineTrades(ev), where).toEqual(expectedTrades);
    const fresh = [...new Set(orders(ev).map((o) => o.orderId).filter((id) => !outcomes.has(id)))];
    expect(fresh, where).toEqual(expectedId === null ? [] : [expectedId]);
    for (const o of orders(ev)) outcomes.set(o.orderId, { status: o.status, executed: o.executedLots });
    const depth = sim.engine.depth(SYMBOL, 1_000_000)!;
    expect({ bids: depth.bids, asks: depth.asks }, where).toEqual(ref.depth());
  });

  const expected = new Map<number, Outcome>();
  for (const [id, o] of ref.orders) expected.set(id, { status: o.status, executed: o.executed });
  expect(outcomes).toEqual(expected);
  for (const userId of userIds) {
    expect(sim.engine.openOrders(userId, SYMBOL).map((o) => [o.orderId, o.remainingLots]))
      .toEqual(ref.openOrders(userId).map((o) => [o.id, o.remaining]));
  }
}

const BTC = DEFAULT_MARKETS.find((m) => m.symbol === SYMBOL)!;

describe('engine ≡ reference book', () => {
  // A turn of the event loop between these long synchronous tests (vitest's worker RPC times out
  // when a worker stays synchronous for 60 s; see property.test.ts).
  beforeEach(() => new Promise((r) => setTimeout(r, 0)));

  test('random streams: identical trades, rejects, ids, depth and order outcomes', () => {
    fc.assert(fc.property(streamArb(120), (intents) => compare(intents, BTC)), { numRuns: 1000 });
  });

  test('random streams with MAX_NUM_ORDERS = 3', () => {
    const tight: MarketConfig = { ...BTC, maxNumOrders: 3 };
    fc.assert(fc.property(streamArb(80), (intents) => compare(intents, tight)), { numRuns: 600 });
  });

  test('long streams build deep books', () => {
    fc.assert(fc.property(streamArb(400), (intents) => compare(intents, BTC)), { numRuns: 100 });
  });

  test('the reference itself: a FOK that cannot fill leaves the book untouched', () => {
    const ref = new ReferenceBook();
    ref.place({ userId: 1, side: 'SELL', type: 'LIMIT', tif: 'GTC', priceTicks: 100, qtyLots: 5, stpMode: 'NONE' });
    ref.place({ userId: 2, side: 'SELL', type: 'LIMIT', tif: 'GTC', priceTicks: 101, qtyLots: 5, stpMode: 'NONE' });
    const r = ref.place({ userId: 3, side: 'BUY', type: 'LIMIT', tif: 'FOK', priceTicks: 101, qtyLots: 11, stpMode: 'NONE' });
    expect(r).toEqual({ orderId: 3, error: null, trades: [] });
    expect(ref.depth()).toEqual({ bids: [], asks: [[100, 5], [101, 5]] });
    expect(ref.orders.get(3)!.status).toBe('EXPIRED');
  });
});
