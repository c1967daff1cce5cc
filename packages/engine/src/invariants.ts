import type { BookSide } from './book/book-side.ts';
import { F_TRIGGERED, hasLimitPrice, isStopType, type Order } from './book/order.ts';
import type { EngineState } from './state.ts';

/**
 * Checks every engine invariant and returns what is wrong ([] when all hold). Tests call it after
 * every command; `verify` calls it after replay. O(state), never on the hot path.
 *  - no negative balance;
 *  - per asset: Σ(free + locked) over all accounts, fee account included = deposits − withdrawals;
 *  - per account and asset: locked = Σ what its open orders reserve;
 *  - the book is never crossed; levels are sorted, non-empty, and their totals add up;
 *  - within a level, orders keep placement (price-time) priority;
 *  - no order has filled more than its quantity.
 */
export function checkInvariants(s: EngineState): string[] {
  const problems: string[] = [];
  const nAssets = s.assets.length;
  const totals = new Array<number>(nAssets).fill(0);
  const reserved = new Map<number, number[]>();
  const accounts = [s.feeAccount, ...s.accounts.values()];
  for (const a of accounts) {
    reserved.set(a.userId, new Array<number>(nAssets).fill(0));
    for (let i = 0; i < nAssets; i++) {
      if (a.free[i]! < 0 || a.locked[i]! < 0) problems.push(`negative balance: user ${a.userId} ${s.assets[i]}`);
      if (!Number.isSafeInteger(a.free[i]!) || !Number.isSafeInteger(a.locked[i]!)) problems.push(`non-integer balance: user ${a.userId} ${s.assets[i]}`);
      totals[i]! += a.free[i]! + a.locked[i]!;
    }
  }
  let seen = 0;
  const checkOrder = (o: Order, where: string): void => {
    seen++;
    if (s.orders.get(o.orderId) !== o) problems.push(`${where}: order ${o.orderId} missing from the index`);
    if (o.executedLots < 0 || o.remainingLots <= 0) problems.push(`${where}: order ${o.orderId} has remaining ${o.remainingLots}`);
    if (!o.byQuote && o.executedLots + o.remainingLots !== o.origLots) problems.push(`${where}: order ${o.orderId} fill exceeds or loses quantity`);
    const ms = s.markets[o.marketIndex]!;
    const r = reserved.get(o.userId);
    if (r === undefined) return void problems.push(`${where}: order ${o.orderId} of unknown user ${o.userId}`);
    r[o.isBuy ? ms.quoteIndex : ms.baseIndex]! += o.lockedUnits;
    if (hasLimitPrice(o.typeCode)) {
      const expect = o.isBuy ? o.priceTicks * o.remainingLots * ms.market.quotePerTickLot : o.remainingLots * ms.market.lotUnits;
      if (o.lockedUnits !== expect) problems.push(`${where}: order ${o.orderId} locks ${o.lockedUnits}, expected ${expect}`);
    }
  };
  for (const ms of s.markets) {
    const sym = ms.market.symbol;
    for (const side of [ms.bids, ms.asks]) checkSide(side, `${sym} ${side.isBid ? 'bids' : 'asks'}`, problems, checkOrder);
    const bid = ms.bids.best;
    const ask = ms.asks.best;
    if (bid !== null && ask !== null && bid.priceTicks >= ask.priceTicks) problems.push(`${sym}: book crossed ${bid.priceTicks} >= ${ask.priceTicks}`);
    for (const o of [...ms.stops.rising, ...ms.stops.falling]) {
      if (!isStopType(o.typeCode) || (o.flags & F_TRIGGERED) !== 0) problems.push(`${sym}: order ${o.orderId} in stop book is not an untriggered stop`);
      checkOrder(o, `${sym} stops`);
    }
  }
  let triggered = 0;
  for (const o of s.orders.values()) if (isStopType(o.typeCode) && (o.flags & F_TRIGGERED) !== 0) triggered++;
  if (triggered !== s.triggeredAt.size) problems.push(`trigger times kept for ${s.triggeredAt.size} orders, ${triggered} triggered stops are open`);
  if (seen !== s.orders.size) problems.push(`order index holds ${s.orders.size} orders, books hold ${seen}`);
  for (const a of accounts) {
    const r = reserved.get(a.userId)!;
    for (let i = 0; i < nAssets; i++) {
      if (r[i] !== a.locked[i]) problems.push(`user ${a.userId} ${s.assets[i]}: locked ${a.locked[i]} but open orders reserve ${r[i]}`);
    }
    let open = 0;
    for (const c of a.openCount) open += c;
    if (a.userId !== 0 && open !== [...s.orders.values()].filter((o) => o.userId === a.userId).length) problems.push(`user ${a.userId}: open count mismatch`);
  }
  for (let i = 0; i < nAssets; i++) {
    if (totals[i] !== s.netDeposits[i]) problems.push(`${s.assets[i]}: Σ balances ${totals[i]} ≠ deposits − withdrawals ${s.netDeposits[i]}`);
  }
  return problems;
}

function checkSide(side: BookSide, where: string, problems: string[], checkOrder: (o: Order, where: string) => void): void {
  let prev: number | null = null;
  if (side.levels.size !== side.prices.length) problems.push(`${where}: ${side.levels.size} levels but ${side.prices.length} prices`);
  for (const level of side.fromBest()) {
    if (prev !== null && !side.better(prev, level.priceTicks)) problems.push(`${where}: levels out of order at ${level.priceTicks}`);
    prev = level.priceTicks;
    let total = 0;
    let count = 0;
    let lastPlain = 0;
    for (let o = level.head; o !== null; o = o.next) {
      total += o.remainingLots;
      count++;
      if (o.priceTicks !== level.priceTicks || o.isBuy !== side.isBid) problems.push(`${where}: order ${o.orderId} on the wrong level`);
      // Orders placed directly keep id order; triggered stops join the queue when they trigger.
      if ((o.flags & F_TRIGGERED) === 0) {
        if (o.orderId < lastPlain) problems.push(`${where}: time priority broken at order ${o.orderId}`);
        lastPlain = o.orderId;
      }
      checkOrder(o, where);
    }
    if (count === 0) problems.push(`${where}: empty level ${level.priceTicks}`);
    if (total !== level.totalLots || count !== level.count) problems.push(`${where}: level ${level.priceTicks} totals wrong`);
  }
  const best = side.best;
  const top = side.prices[side.prices.length - 1];
  if ((best === null) !== (top === undefined) || (best !== null && best.priceTicks !== top)) problems.push(`${where}: best level pointer stale`);
}
