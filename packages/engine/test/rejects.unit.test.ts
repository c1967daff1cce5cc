import { DEFAULT_MARKETS, errorSpec, type Command, type ErrorName, type PlaceOrderFields } from '@matchbox/domain';
import { describe, expect, test } from 'vitest';
import { Engine } from '../src/index.ts';
import { Sim, U, ofType, rejected } from './harness.ts';

const P = (usdt: number): number => Math.round(usdt * 100);
const Q = (btc: number): number => Math.round(btc * 100_000);

describe('every reject path of place, with its Binance code', () => {
  const sim = new Sim([{ ...DEFAULT_MARKETS[0]!, maxNumOrders: 2 }, DEFAULT_MARKETS[1]!]);
  const a = sim.user('alice', { USDT: 1000 * U, BTC: 1 * U });
  const base: PlaceOrderFields = { userId: a, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', priceTicks: P(100), qtyLots: Q(0.1) };
  const cases: [string, Partial<PlaceOrderFields>, ErrorName, number][] = [
    ['unknown symbol', { symbol: 'DOGEUSDT' }, 'BAD_SYMBOL', -1121],
    ['unknown user', { userId: 999 }, 'UNKNOWN_USER', -4001],
    ['bad side', { side: 'HOLD' as never }, 'INVALID_SIDE', -1117],
    ['bad type', { type: 'ICEBERG' as never }, 'INVALID_ORDER_TYPE', -1116],
    ['bad time in force', { timeInForce: 'GTD' as never }, 'INVALID_TIF', -1115],
    ['limit without time in force', { timeInForce: undefined }, 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', -1102],
    ['market with time in force', { type: 'MARKET', priceTicks: 0 }, 'TIF_NOT_REQUIRED', -1114],
    ['market with a price', { type: 'MARKET', timeInForce: undefined }, 'PARAM_NOT_REQUIRED', -1106],
    ['market with quantity and quote amount', { type: 'MARKET', timeInForce: undefined, priceTicks: 0, quoteQtyUnits: 10 * U }, 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', -1102],
    ['market with neither', { type: 'MARKET', timeInForce: undefined, priceTicks: 0, qtyLots: 0 }, 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', -1102],
    ['limit with a quote amount', { quoteQtyUnits: 10 * U }, 'PARAM_NOT_REQUIRED', -1106],
    ['price zero', { priceTicks: 0 }, 'FILTER_PRICE', -1013],
    ['price above max', { priceTicks: 100_000_001 }, 'FILTER_PRICE', -1013],
    ['quantity zero', { qtyLots: 0 }, 'FILTER_LOT_SIZE', -1013],
    ['quantity above max', { qtyLots: 900_000_001 }, 'FILTER_LOT_SIZE', -1013],
    ['market quantity above max', { type: 'MARKET', timeInForce: undefined, priceTicks: 0, qtyLots: 900_000_001 }, 'FILTER_MARKET_LOT_SIZE', -1013],
    ['notional below min', { qtyLots: Q(0.01) }, 'FILTER_NOTIONAL', -1013],
    ['notional above max', { priceTicks: P(100_000), qtyLots: Q(100) }, 'FILTER_NOTIONAL', -1013],
    ['quote amount below min notional', { type: 'MARKET', timeInForce: undefined, priceTicks: 0, qtyLots: 0, quoteQtyUnits: 1 * U }, 'FILTER_NOTIONAL', -1013],
    ['non-integer ticks', { priceTicks: 100.5 }, 'INVALID_PARAMETER', -1130],
    ['negative lots', { qtyLots: -5 }, 'INVALID_PARAMETER', -1130],
    ['client order id too long', { clientOrderId: 'x'.repeat(37) }, 'INVALID_PARAMETER', -1130],
    ['LIMIT_MAKER with IOC', { type: 'LIMIT_MAKER', timeInForce: 'IOC' }, 'TIF_NOT_REQUIRED', -1114],
    ['insufficient quote for a buy', { priceTicks: P(10_001), qtyLots: Q(0.1) }, 'INSUFFICIENT_BALANCE', -2010],
    ['insufficient base for a sell', { side: 'SELL', qtyLots: Q(1.1) }, 'INSUFFICIENT_BALANCE', -2010],
  ];
  test.each(cases)('%s → %s (%i)', (_name, patch, error, code) => {
    const ev = sim.apply({ t: 'place', ...base, ...patch });
    expect(ev).toEqual([expect.objectContaining({ type: 'rejected', error })]);
    expect(errorSpec(error).code).toBe(code);
    // A reject changes nothing: no order, no lock, no id consumed.
    expect(sim.engine.nextOrderId).toBe(1);
    expect(sim.engine.openOrderCount()).toBe(0);
    expect(sim.balance(a, 'USDT')).toEqual({ free: 1000 * U, locked: 0 });
  });

  test('MAX_NUM_ORDERS counts open orders (stops too) per user and symbol', () => {
    sim.place({ userId: a, side: 'BUY', priceTicks: P(100), qtyLots: Q(0.1) });
    sim.place({ userId: a, side: 'SELL', type: 'TAKE_PROFIT_LIMIT', priceTicks: P(200), stopPriceTicks: P(200), qtyLots: Q(0.1) });
    expect(rejected(sim.place({ userId: a, side: 'BUY', priceTicks: P(99), qtyLots: Q(0.1) }))).toBe('FILTER_MAX_NUM_ORDERS');
    // An order that cannot rest is not limited by it, and other symbols have their own count.
    expect(rejected(sim.place({ userId: a, side: 'BUY', priceTicks: P(99), qtyLots: Q(0.1), timeInForce: 'IOC' }))).toBeUndefined();
    expect(rejected(sim.place({ userId: a, symbol: 'ETHUSDT', side: 'BUY', priceTicks: P(99), qtyLots: 1000 }))).toBeUndefined();
  });
});

describe('commands the engine does not know', () => {
  test('are rejected, never thrown', () => {
    const sim = new Sim();
    expect(rejected(sim.apply({ t: 'launchRocket' } as unknown as Command))).toBe('UNSUPPORTED_OPERATION');
  });

  test('malformed commands are rejected, never thrown (an exception would stop the sequencer)', () => {
    const sim = new Sim();
    expect(rejected(sim.apply(null as unknown as Command))).toBe('UNSUPPORTED_OPERATION');
    expect(rejected(sim.apply({ t: 'cancelReplace', userId: 1, symbol: 'BTCUSDT', mode: 'ALLOW_FAILURE' } as unknown as Command))).toBe('MANDATORY_PARAM_EMPTY_OR_MALFORMED');
  });

  test('a sequence gap is a programming error and throws', () => {
    const e = new Engine(DEFAULT_MARKETS);
    expect(() => e.apply({ t: 'createUser', username: 'x', passwordHash: 'h' }, 2, 0)).toThrow(/sequence gap/);
  });

  test('a rejected command publishes no depth and no balance change', () => {
    const sim = new Sim();
    const a = sim.user('a', { USDT: 10 * U });
    const ev = sim.place({ userId: a, priceTicks: P(100), qtyLots: Q(1) });
    expect(ev.map((e) => e.type)).toEqual(['rejected']);
    expect(ofType(ev, 'depth')).toHaveLength(0);
  });
});
