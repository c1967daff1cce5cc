import { mulPpmFloor } from '@matchbox/domain';
import type { Account } from './account.ts';
import type { BookSide } from './book/book-side.ts';
import type { Level } from './book/level.ts';
import {
  F_BY_QUOTE, F_LOCKED, F_OPEN, F_TRIGGERED, STP_EXPIRE_BOTH, STP_EXPIRE_MAKER, STP_EXPIRE_TAKER, STP_NONE, TIF_FOK, TIF_GTC,
  hasLimitPrice, isStopType, type Order,
} from './book/order.ts';
import type { MarketState } from './market-state.ts';
import type { EngineState } from './state.ts';
import { triggersOnRise } from './validate.ts';

/** Why matching stopped. */
const END_BOOK = 0;
const END_STP = 1;
const END_FUNDS = 2;

/**
 * Runs a taker order that is already accepted (NEW emitted, funds locked) to its end: FOK check,
 * matching, then rest (GTC limit) or expire the remainder. Used for new orders and for stop
 * orders when they trigger.
 */
export function execute(s: EngineState, ms: MarketState, acct: Account, t: Order): void {
  if (t.tifCode === TIF_FOK && !canFillFully(ms, t)) {
    expire(s, acct, t, 'EXPIRED');
    return;
  }
  const end = match(s, ms, acct, t);
  if (end === END_STP) {
    releaseLock(s, ms, acct, t);
    close(s, acct, t);
  } else if (t.remainingLots === 0) {
    releaseLock(s, ms, acct, t); // a quote-sized buy may keep less than one lot's worth
    close(s, acct, t);
  } else if (hasLimitPrice(t.typeCode) && t.tifCode === TIF_GTC) {
    rest(s, ms, acct, t);
  } else {
    expire(s, acct, t, 'EXPIRED');
  }
}

function match(s: EngineState, ms: MarketState, acct: Account, t: Order): number {
  const isBuy = t.isBuy;
  const book = isBuy ? ms.asks : ms.bids;
  const limit = hasLimitPrice(t.typeCode) ? t.priceTicks : 0;
  const stp = t.stpCode;
  const qpt = ms.market.quotePerTickLot;
  const byQuote = (t.flags & F_BY_QUOTE) !== 0;
  const unlocked = (t.flags & F_LOCKED) === 0;
  while (t.remainingLots > 0) {
    const level = book.best;
    if (level === null) return END_BOOK;
    const p = level.priceTicks;
    if (limit !== 0 && (isBuy ? p > limit : p < limit)) return END_BOOK;
    const lotCost = p * qpt;
    let maker = level.head;
    while (maker !== null && t.remainingLots > 0) {
      const nextMaker = maker.next;
      if (stp !== STP_NONE && maker.userId === t.userId) {
        const prevented = Math.min(t.remainingLots, maker.remainingLots);
        if (stp === STP_EXPIRE_MAKER || stp === STP_EXPIRE_BOTH) preventMaker(s, ms, book, level, maker, t, prevented);
        if (stp === STP_EXPIRE_TAKER || stp === STP_EXPIRE_BOTH) {
          s.pushOrder(t, 'TRADE_PREVENTION', 'EXPIRED_IN_MATCH', false, 0, 0, 0, 0, false, 0, '', maker.orderId, prevented, maker.orderId);
          return END_STP;
        }
        maker = nextMaker;
        continue;
      }
      let q = t.remainingLots < maker.remainingLots ? t.remainingLots : maker.remainingLots;
      if (byQuote) {
        const left = isBuy ? t.lockedUnits : t.origLots - t.cumQuoteUnits;
        q = Math.min(q, Math.floor(left / lotCost));
      }
      if (unlocked) {
        // Funded from free balance, checked at every fill: a market order never overspends.
        q = isBuy
          ? Math.min(q, Math.floor(acct.free[ms.quoteIndex]! / lotCost))
          : Math.min(q, Math.floor(acct.free[ms.baseIndex]! / ms.market.lotUnits));
      }
      if (q <= 0) return END_FUNDS;
      fill(s, ms, book, level, t, acct, maker, q, p);
      maker = nextMaker;
    }
  }
  return END_BOOK;
}

function fill(s: EngineState, ms: MarketState, book: BookSide, level: Level, t: Order, takerAcct: Account, maker: Order, q: number, p: number): void {
  const m = ms.market;
  const qi = ms.quoteIndex;
  const bi = ms.baseIndex;
  const quote = p * q * m.quotePerTickLot;
  const base = q * m.lotUnits;
  const makerAcct = s.accounts.get(maker.userId)!;
  const tradeId = ms.nextTradeId++;
  ms.lastPriceTicks = p;

  s.markLevel(ms, level, book.isBid);
  level.totalLots -= q;
  maker.remainingLots -= q;
  maker.executedLots += q;
  maker.cumQuoteUnits += quote;
  t.remainingLots -= q;
  t.executedLots += q;
  t.cumQuoteUnits += quote;

  const takerBuys = t.isBuy;
  const buyerAcct = takerBuys ? takerAcct : makerAcct;
  const sellerAcct = takerBuys ? makerAcct : takerAcct;
  const buyerFee = mulPpmFloor(base, takerBuys ? m.takerFeePpm : m.makerFeePpm);
  const sellerFee = mulPpmFloor(quote, takerBuys ? m.makerFeePpm : m.takerFeePpm);

  if (takerBuys) {
    // Buyer is the taker: pay from its lock (limit or quote budget) or its free balance.
    if ((t.flags & F_LOCKED) === 0) {
      s.debitFree(buyerAcct, qi, quote);
    } else if (hasLimitPrice(t.typeCode)) {
      const reserved = t.priceTicks * q * m.quotePerTickLot; // locked at the limit, filled at p ≤ limit
      s.debitLocked(buyerAcct, qi, reserved);
      if (reserved > quote) s.credit(buyerAcct, qi, reserved - quote);
      t.lockedUnits -= reserved;
    } else {
      s.debitLocked(buyerAcct, qi, quote);
      t.lockedUnits -= quote;
    }
    s.debitLocked(sellerAcct, bi, base);
    maker.lockedUnits -= base;
  } else {
    s.debitLocked(buyerAcct, qi, quote); // the resting buy locked exactly p per lot
    maker.lockedUnits -= quote;
    if ((t.flags & F_LOCKED) === 0) s.debitFree(sellerAcct, bi, base);
    else {
      s.debitLocked(sellerAcct, bi, base);
      t.lockedUnits -= base;
    }
  }
  s.credit(buyerAcct, bi, base - buyerFee);
  s.credit(sellerAcct, qi, quote - sellerFee);
  if (buyerFee > 0) s.credit(s.feeAccount, bi, buyerFee);
  if (sellerFee > 0) s.credit(s.feeAccount, qi, sellerFee);

  // A quote-sized order is complete (FILLED) once what is left cannot trade one more lot at the
  // price it would trade at next: this level if it still has quantity, else the next level.
  if ((t.flags & F_BY_QUOTE) !== 0) {
    const left = takerBuys ? t.lockedUnits : t.origLots - t.cumQuoteUnits;
    let nextP = p;
    if (maker.remainingLots === 0 && level.count === 1) {
      const n = book.prices.length;
      nextP = n >= 2 ? book.prices[n - 2]! : 0; // 0: the book is exhausted, the order expires
    }
    if (nextP !== 0 && left < nextP * m.quotePerTickLot) t.remainingLots = 0;
  }

  s.out.push({
    type: 'trade', symbol: m.symbol, tradeId, priceTicks: p, qtyLots: q, quoteUnits: quote,
    buyerUserId: buyerAcct.userId, sellerUserId: sellerAcct.userId,
    buyerOrderId: takerBuys ? t.orderId : maker.orderId, sellerOrderId: takerBuys ? maker.orderId : t.orderId,
    buyerIsMaker: !takerBuys, buyerFeeUnits: buyerFee, sellerFeeUnits: sellerFee, ts: s.ts,
  });
  const makerDone = maker.remainingLots === 0;
  s.pushOrder(maker, 'TRADE', makerDone ? 'FILLED' : 'PARTIALLY_FILLED', !makerDone, q, p, quote, tradeId, true,
    takerBuys ? sellerFee : buyerFee, takerBuys ? m.quoteAsset : m.baseAsset, 0, 0, t.orderId);
  s.pushOrder(t, 'TRADE', t.remainingLots === 0 ? 'FILLED' : 'PARTIALLY_FILLED', false, q, p, quote, tradeId, false,
    takerBuys ? buyerFee : sellerFee, takerBuys ? m.baseAsset : m.quoteAsset, 0, 0, maker.orderId);
  if (makerDone) {
    level.unlink(maker);
    close(s, makerAcct, maker);
    if (level.count === 0) book.remove(level);
  }
}

function preventMaker(s: EngineState, ms: MarketState, book: BookSide, level: Level, maker: Order, t: Order, prevented: number): void {
  const acct = s.accounts.get(maker.userId)!;
  s.markLevel(ms, level, book.isBid);
  level.unlink(maker);
  if (level.count === 0) book.remove(level);
  releaseLock(s, ms, acct, maker);
  s.pushOrder(maker, 'TRADE_PREVENTION', 'EXPIRED_IN_MATCH', false, 0, 0, 0, 0, true, 0, '', t.orderId, prevented, t.orderId);
  close(s, acct, maker);
}

/** FOK: whether the whole quantity can trade now, honouring the taker's self-trade prevention. */
function canFillFully(ms: MarketState, t: Order): boolean {
  const book = t.isBuy ? ms.asks : ms.bids;
  let need = t.remainingLots;
  const stp = t.stpCode;
  for (const level of book.fromBest()) {
    if (t.isBuy ? level.priceTicks > t.priceTicks : level.priceTicks < t.priceTicks) return false;
    if (stp === STP_NONE) {
      need -= level.totalLots;
      if (need <= 0) return true;
      continue;
    }
    for (let o = level.head; o !== null; o = o.next) {
      if (o.userId === t.userId) {
        if (stp === STP_EXPIRE_MAKER) continue;
        return false; // EXPIRE_TAKER / EXPIRE_BOTH would end the taker here
      }
      need -= o.remainingLots;
      if (need <= 0) return true;
    }
  }
  return false;
}

/** Cost in quote units of buying `lots` now (market by quantity), over what the book holds. */
export function marketBuyCost(ms: MarketState, lots: number): number {
  let need = lots;
  let cost = 0;
  for (const level of ms.asks.fromBest()) {
    const q = Math.min(need, level.totalLots);
    cost += level.priceTicks * q * ms.market.quotePerTickLot;
    need -= q;
    if (need === 0) break;
  }
  return cost;
}

/** Base units needed to receive `quoteUnits` now by selling (market sell by quoteOrderQty). */
export function marketSellBaseNeeded(ms: MarketState, quoteUnits: number): number {
  let left = quoteUnits;
  let lots = 0;
  for (const level of ms.bids.fromBest()) {
    const lotCost = level.priceTicks * ms.market.quotePerTickLot;
    const q = Math.min(level.totalLots, Math.floor(left / lotCost));
    lots += q;
    left -= q * lotCost;
    if (q < level.totalLots) break;
  }
  return lots * ms.market.lotUnits;
}

function rest(s: EngineState, ms: MarketState, acct: Account, t: Order): void {
  const side = ms.side(t.isBuy);
  const level = side.getOrCreate(t.priceTicks);
  s.markLevel(ms, level, t.isBuy);
  level.append(t);
  open(s, acct, t);
}

export function open(s: EngineState, acct: Account, o: Order): void {
  if ((o.flags & F_OPEN) !== 0) return;
  o.flags |= F_OPEN;
  s.orders.set(o.orderId, o);
  acct.addOpen(o, o.marketIndex);
}

function close(s: EngineState, acct: Account, o: Order): void {
  if ((o.flags & F_OPEN) === 0) return;
  o.flags &= ~F_OPEN;
  s.orders.delete(o.orderId);
  if ((o.flags & F_TRIGGERED) !== 0) s.triggeredAt.delete(o.orderId);
  acct.removeOpen(o, o.marketIndex);
}

function releaseLock(s: EngineState, ms: MarketState, acct: Account, o: Order): void {
  if (o.lockedUnits === 0) return;
  s.unlock(acct, o.isBuy ? ms.quoteIndex : ms.baseIndex, o.lockedUnits);
  o.lockedUnits = 0;
}

function expire(s: EngineState, acct: Account, t: Order, status: 'EXPIRED'): void {
  const ms = s.markets[t.marketIndex]!;
  releaseLock(s, ms, acct, t);
  s.emitOrder(t, 'EXPIRED', status, false);
  close(s, acct, t);
}

/** Takes an open order off the book (or the stop book), releases its funds, and reports it. */
export function removeOpenOrder(s: EngineState, o: Order, execType: 'CANCELED', status: 'CANCELED'): void {
  const ms = s.markets[o.marketIndex]!;
  const acct = s.accounts.get(o.userId)!;
  if (!isWorking(o)) {
    ms.stops.remove(o, triggersOnRise(o.typeCode, o.side));
  } else {
    const side = ms.side(o.isBuy);
    const level = side.get(o.priceTicks)!;
    s.markLevel(ms, level, o.isBuy);
    level.unlink(o);
    if (level.count === 0) side.remove(level);
  }
  releaseLock(s, ms, acct, o);
  s.emitOrder(o, execType, status, false);
  close(s, acct, o);
}

/** Whether an order is on the book (not an untriggered stop). */
export function isWorking(o: Order): boolean {
  return !isStopType(o.typeCode) || (o.flags & F_TRIGGERED) !== 0;
}

/** Fires stop orders whose trigger the last price has reached, until none is left. */
export function runTriggers(s: EngineState, ms: MarketState): void {
  for (;;) {
    if (ms.lastPriceTicks === 0) return;
    const hit = ms.stops.popTriggered(ms.lastPriceTicks);
    if (hit === null) return;
    const o = hit.order;
    o.flags |= F_TRIGGERED;
    s.triggeredAt.set(o.orderId, s.ts);
    s.pushOrder(o, 'TRIGGERED', 'NEW', true, 0, 0, 0, 0, false, 0, '', 0, 0, 0);
    execute(s, ms, s.accounts.get(o.userId)!, o);
  }
}
