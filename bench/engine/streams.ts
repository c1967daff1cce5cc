import type { Command, MarketConfig } from '@matchbox/domain';
import { KIND_CANCEL, KIND_LIMIT, SIDE_BUY, type Workload } from './workload.ts';

/** Engine commands for a workload, built before timing (one object per command). */
export function engineCommands(w: Workload, markets: readonly MarketConfig[]): Command[] {
  const symbols = markets.map((m) => m.symbol);
  const out: Command[] = new Array<Command>(w.count);
  for (let i = 0; i < w.count; i++) {
    const userId = w.userId[i]!;
    const symbol = symbols[w.symbolIndex[i]!]!;
    const kind = w.kind[i];
    if (kind === KIND_CANCEL) {
      out[i] = { t: 'cancel', userId, symbol, orderId: w.orderId[i]! };
      continue;
    }
    const side = w.side[i] === SIDE_BUY ? 'BUY' : 'SELL';
    out[i] = kind === KIND_LIMIT
      ? { t: 'place', userId, symbol, side, type: 'LIMIT', timeInForce: 'GTC', priceTicks: w.priceTicks[i]!, qtyLots: w.qtyLots[i]!, clientOrderId: '' }
      : { t: 'place', userId, symbol, side, type: 'MARKET', qtyLots: w.qtyLots[i]!, clientOrderId: '' };
  }
  return out;
}

/** One nodejs-order-book call, pre-built so the timed loop only dispatches. */
export type PeerOp =
  | { readonly k: 0; readonly book: number; readonly id: string; readonly side: 'buy' | 'sell'; readonly size: number; readonly price: number }
  | { readonly k: 1; readonly book: number; readonly side: 'buy' | 'sell'; readonly size: number }
  | { readonly k: 2; readonly book: number; readonly id: string };

/** Peer operations for a workload; ids are the engine's order ids as strings, one book per symbol. */
export function peerOps(w: Workload): PeerOp[] {
  const out: PeerOp[] = new Array<PeerOp>(w.count);
  for (let i = 0; i < w.count; i++) {
    const book = w.symbolIndex[i]!;
    const kind = w.kind[i];
    if (kind === KIND_CANCEL) {
      out[i] = { k: 2, book, id: String(w.orderId[i]) };
      continue;
    }
    const side = w.side[i] === SIDE_BUY ? 'buy' : 'sell';
    out[i] = kind === KIND_LIMIT
      ? { k: 0, book, id: String(w.orderId[i]), side, size: w.qtyLots[i]!, price: w.priceTicks[i]! }
      : { k: 1, book, side, size: w.qtyLots[i]! };
  }
  return out;
}
