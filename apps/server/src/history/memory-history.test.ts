import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '@matchbox/domain';
import { MemoryHistory } from './memory-history.ts';

function orderEvent(over: Partial<OrderEvent> & Pick<OrderEvent, 'orderId' | 'clientOrderId'>): OrderEvent {
  return {
    type: 'order', userId: 1, symbol: 'BTCUSDT', side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC', stpMode: 'NONE',
    priceTicks: 3_000_000, stopPriceTicks: 0, origQtyLots: 1000, origQuoteUnits: 0, execType: 'NEW', status: 'NEW',
    executedLots: 0, cumQuoteUnits: 0, lastLots: 0, lastPriceTicks: 0, lastQuoteUnits: 0, tradeId: -1, isMaker: false,
    commissionUnits: 0, commissionAsset: '', isWorking: true, createdTs: 1000, workingTs: 1000,
    preventedMatchId: -1, preventedLots: 0, counterOrderId: -1, ...over,
  };
}

describe('MemoryHistory', () => {
  it('stays within its order cap, and keeps no client order id of an order it dropped — also one dropped on its first event', () => {
    const h = new MemoryHistory({ ordersPerUser: 5 });
    let seq = 0;
    // Five open orders, which are never dropped: at the cap, an order that arrives closed goes at once.
    for (let id = 1; id <= 5; id++) h.apply(++seq, 1000, [orderEvent({ orderId: id, clientOrderId: `open${id}` })]);
    // Replaying a trimmed event log: the first event seen of an order may already close it.
    for (let id = 6; id <= 200; id++) {
      h.apply(++seq, 1000 + id, [orderEvent({ orderId: id, clientOrderId: `c${id}`, execType: 'CANCELED', status: 'CANCELED', isWorking: false })]);
    }
    expect(h.size.orders).toBeLessThanOrEqual(6);
    expect(h.size.clientOrderIds).toBeLessThanOrEqual(h.size.orders);
    expect(h.orderByClientId(1, 'open1')).toBeDefined();
    expect(h.orderByClientId(1, 'c100')).toBeUndefined();
    // Below the cap again, closed orders are kept (and found by client id) until the cap pushes them out.
    const roomy = new MemoryHistory({ ordersPerUser: 5 });
    for (let id = 1; id <= 50; id++) {
      roomy.apply(id, 1000, [orderEvent({ orderId: id, clientOrderId: `c${id}`, execType: 'CANCELED', status: 'CANCELED', isWorking: false })]);
    }
    expect(roomy.orderByClientId(1, 'c50')).toBeDefined();
    expect(roomy.orderByClientId(1, 'c1')).toBeUndefined();
    expect(roomy.size.clientOrderIds).toBe(roomy.size.orders);
  });

  it('never drops an open order, and indexes each client order id once', () => {
    const h = new MemoryHistory({ ordersPerUser: 3 });
    let seq = 0;
    for (let id = 1; id <= 10; id++) h.apply(++seq, 1000, [orderEvent({ orderId: id, clientOrderId: `o${id}` })]);
    expect(h.size).toEqual({ orders: 10, clientOrderIds: 10, userTrades: 0 });
    expect(h.openOrders(1).map((v) => v.last.orderId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("reports an order's working time as the engine does (the store keeps the same): a stop's trigger, -1 before", () => {
    const h = new MemoryHistory();
    const stop = { orderId: 7, clientOrderId: 's7', orderType: 'STOP_LOSS_LIMIT' as const, stopPriceTicks: 2_900_000 };
    h.apply(1, 1000, [orderEvent({ ...stop, isWorking: false, workingTs: -1 })]);
    expect(h.order(1, 'BTCUSDT', 7)!.workingTime).toBe(-1);
    h.apply(2, 2500, [orderEvent({ ...stop, execType: 'TRIGGERED', isWorking: true, workingTs: 2500 })]);
    expect(h.order(1, 'BTCUSDT', 7)!.workingTime).toBe(2500);
    h.apply(3, 3000, [orderEvent({ ...stop, execType: 'CANCELED', status: 'CANCELED', isWorking: false, workingTs: 2500 })]);
    expect(h.order(1, 'BTCUSDT', 7)!.workingTime).toBe(2500);
  });

  it('keeps at most its closed-order cap across all users, oldest closed dropped first, open orders never', () => {
    const h = new MemoryHistory({ closedOrdersTotal: 50 });
    let seq = 0;
    const closed = (userId: number, orderId: number) => orderEvent({ userId, orderId, clientOrderId: `c${orderId}`, execType: 'CANCELED', status: 'CANCELED', isWorking: false });
    // User 1: an open order that stays open and one closed order; then 100 users close 10 orders each.
    h.apply(++seq, 1000, [orderEvent({ userId: 1, orderId: 1, clientOrderId: 'open1' })]);
    h.apply(++seq, 1000, [orderEvent({ userId: 1, orderId: 2, clientOrderId: 'c2' })]);
    h.apply(++seq, 1001, [closed(1, 2)]);
    let id = 2;
    for (let u = 2; u <= 101; u++) {
      for (let i = 0; i < 10; i++) {
        h.apply(++seq, 1000, [orderEvent({ userId: u, orderId: ++id, clientOrderId: `c${id}` })]);
        h.apply(++seq, 1001, [closed(u, id)]);
      }
    }
    // 1 open + at most 50 closed (each user's own cap of 10,000 never came into play).
    expect(h.size.orders).toBeLessThanOrEqual(51);
    expect(h.size.clientOrderIds).toBe(h.size.orders);
    expect(h.orderByClientId(1, 'open1')?.last.status).toBe('NEW');
    expect(h.openOrders(1).map((v) => v.last.orderId)).toEqual([1]);
    expect(h.orderByClientId(1, 'c2')).toBeUndefined();
    expect(h.order(101, 'BTCUSDT', id)?.last.status).toBe('CANCELED');
    // Who lost orders is known (memory alone no longer answers for them); the newest users lost none.
    expect(h.droppedOrders(1)).toBe(true);
    expect(h.droppedOrders(2)).toBe(true);
    expect(h.droppedOrders(101)).toBe(false);
    // A user's order list skips what the global cap dropped.
    expect(h.orders(1, 'BTCUSDT', { limit: 1000 }).map((v) => v.last.orderId)).toEqual([1]);
    expect(h.orders(101, 'BTCUSDT', { limit: 1000 })).toHaveLength(10);
  });

  it('keeps at most its user-trade cap across all users, and drops only trades its users still hold', () => {
    // Each user's ring holds 3; 10 across all users.
    const h = new MemoryHistory({ tradesPerUser: 3, userTradesTotal: 10 });
    let seq = 0;
    let tradeId = 0;
    const trade = (userId: number) => orderEvent({
      userId, orderId: 1000 + userId, clientOrderId: `t${userId}`, execType: 'TRADE', status: 'PARTIALLY_FILLED', tradeId: ++tradeId, lastLots: 1, lastPriceTicks: 3_000_000,
    });
    // User 1 trades 8 times: its own ring keeps its newest 3.
    for (let i = 0; i < 8; i++) h.apply(++seq, 1000 + i, [trade(1)]);
    const mine = () => h.userTrades(1, 'BTCUSDT', { limit: 1000 }).map((t) => t.id);
    expect(mine()).toEqual([6, 7, 8]);
    expect(h.droppedTrades(1)).toBe(true);
    // Users 2 and 3 trade 3 times each: 14 trades recorded, the global cap (10) pops user 1's
    // oldest entries, which its ring had already dropped: user 1 keeps its newest 3.
    for (let i = 0; i < 3; i++) h.apply(++seq, 2000 + i, [trade(2)]);
    for (let i = 0; i < 3; i++) h.apply(++seq, 3000 + i, [trade(3)]);
    expect(mine()).toEqual([6, 7, 8]);
    expect(h.size.userTrades).toBe(9);
    expect(h.droppedTrades(2)).toBe(false);
    // Ten more by user 4: now the oldest held trades go, user 1's first.
    for (let i = 0; i < 3; i++) h.apply(++seq, 4000 + i, [trade(4)]);
    expect(h.size.userTrades).toBeLessThanOrEqual(10);
    expect(mine().length).toBeLessThan(3);
    expect(h.userTrades(4, 'BTCUSDT', { limit: 1000 }).map((t) => t.id)).toEqual([15, 16, 17]);
    for (let i = 0; i < 30; i++) h.apply(++seq, 5000 + i, [trade(5)]);
    expect(h.size.userTrades).toBeLessThanOrEqual(10);
    expect(mine()).toEqual([]);
    expect(h.droppedTrades(2)).toBe(true);
  });
});
