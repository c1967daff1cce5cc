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
    expect(h.size).toEqual({ orders: 10, clientOrderIds: 10 });
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
});
