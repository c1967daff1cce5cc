import type { BalanceEvent, OrderEvent } from '@matchbox/domain';
import type { MarketFormat } from './market-format.ts';
import { units } from './market-format.ts';

/**
 * Engine order and balance events → Binance user-data events (executionReport,
 * outboundAccountPosition, balanceUpdate), the shapes ccxt.pro's watchOrders, watchMyTrades and
 * watchBalance parse.
 */

/** TRIGGERED (a stop order starting to work) is not a Binance execution type: it reads as NEW. */
function execType(o: OrderEvent): string {
  return o.execType === 'TRIGGERED' ? 'NEW' : o.execType;
}

export function executionReport(f: MarketFormat, eventMs: number, txMs: number, o: OrderEvent): Record<string, unknown> {
  const isTrade = o.execType === 'TRADE';
  const canceled = o.execType === 'CANCELED';
  const report: Record<string, unknown> = {
    e: 'executionReport', E: eventMs, s: o.symbol, c: o.clientOrderId, S: o.side, o: o.orderType, f: o.timeInForce,
    q: f.qty(o.origQtyLots), p: f.price(o.priceTicks), P: f.price(o.stopPriceTicks), F: units(0), g: -1,
    C: canceled ? o.clientOrderId : '', x: execType(o), X: o.status, r: 'NONE', i: o.orderId,
    l: f.qty(o.lastLots), z: f.qty(o.executedLots), L: f.price(o.lastPriceTicks),
    n: units(o.commissionUnits), N: isTrade && o.commissionAsset !== '' ? o.commissionAsset : null,
    T: txMs, t: isTrade ? o.tradeId : -1, I: 0, w: o.isWorking, m: isTrade && o.isMaker, M: false,
    O: o.createdTs, Z: units(o.cumQuoteUnits), Y: units(o.lastQuoteUnits), Q: units(o.origQuoteUnits),
    W: o.workingTs, V: o.stpMode,
  };
  if (o.execType === 'TRADE_PREVENTION' || (o.status === 'EXPIRED_IN_MATCH' && o.preventedMatchId !== 0)) {
    report.v = o.preventedMatchId;
    report.A = f.qty(o.preventedLots);
    report.B = f.qty(o.lastLots);
    report.U = o.counterOrderId;
  }
  return report;
}

/** Absolute balances of the assets one command changed for one user. */
export function outboundAccountPosition(eventMs: number, lastUpdateMs: number, balances: readonly BalanceEvent[]): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition', E: eventMs, u: lastUpdateMs,
    B: balances.map((b) => ({ a: b.asset, f: units(b.freeUnits), l: units(b.lockedUnits) })),
  };
}

/** Deposits and withdrawals (not trading): `d` is the signed change of the free balance. */
export function balanceUpdate(eventMs: number, txMs: number, b: BalanceEvent): Record<string, unknown> {
  return { e: 'balanceUpdate', E: eventMs, a: b.asset, d: units(b.deltaFreeUnits), T: txMs };
}

/** Balance events that a deposit or withdrawal caused get a balanceUpdate besides the position. */
export function isTransfer(b: BalanceEvent): boolean {
  return b.cause === 'deposit' || b.cause === 'withdraw';
}
