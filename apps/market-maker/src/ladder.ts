import type { SymbolRules } from '@matchbox/client';

export type Side = 'BUY' | 'SELL';

export interface Quote {
  readonly side: Side;
  readonly priceTicks: number;
  readonly lots: number;
}

export interface LadderParams {
  readonly levels: number;
  /** Distance from the reference to the best quote on each side. */
  readonly halfSpreadTicks: number;
  /** Distance between levels; quotes sit on multiples of it, so a small move re-quotes one level a side. */
  readonly stepTicks: number;
  /** Quote notional per level, in quote-asset units (10^-8). */
  readonly levelNotionalUnits: number;
  /** Shift of both sides toward reducing inventory (positive = long base = quote lower). */
  readonly skewTicks: number;
  /** Do not add to the inventory in that direction (too long: no bids; too short: no asks). */
  readonly quoteBids: boolean;
  readonly quoteAsks: boolean;
}

/**
 * The quotes a maker wants resting around `refTicks`: `levels` a side on a grid of `stepTicks`,
 * skewed against inventory, sized to `levelNotionalUnits` (at least the symbol's minimum lot and
 * notional), deeper levels larger. Pure integer arithmetic; the best ask is always above the best bid.
 */
export function desiredQuotes(refTicks: number, p: LadderParams, rules: SymbolRules): Quote[] {
  const step = Math.max(1, p.stepTicks);
  const center = refTicks - p.skewTicks;
  const bestBid = Math.floor((center - p.halfSpreadTicks) / step) * step;
  let bestAsk = Math.ceil((center + p.halfSpreadTicks) / step) * step;
  if (bestAsk <= bestBid) bestAsk = bestBid + step;
  const out: Quote[] = [];
  for (let i = 0; i < p.levels; i++) {
    const bid = bestBid - i * step;
    const ask = bestAsk + i * step;
    if (p.quoteBids && bid >= rules.minPriceTicks) out.push({ side: 'BUY', priceTicks: bid, lots: lotsAt(bid, i, p, rules) });
    if (p.quoteAsks && ask <= rules.maxPriceTicks) out.push({ side: 'SELL', priceTicks: ask, lots: lotsAt(ask, i, p, rules) });
  }
  return out;
}

function lotsAt(ticks: number, level: number, p: LadderParams, rules: SymbolRules): number {
  const perLot = Math.max(1, rules.notionalUnits(ticks, 1));
  const base = Math.max(rules.minLotsAt(ticks), Math.floor(p.levelNotionalUnits / perLot));
  // Deeper levels are larger (1×, 1.5×, 2×, …), like a real book.
  return Math.min(rules.maxQtyLots, base + Math.floor((base * level) / 2));
}

/** One open order as the maker tracks it. */
export interface Resting {
  readonly orderId: number;
  readonly side: Side;
  readonly priceTicks: number;
}

/**
 * What to change to go from the open orders to the wanted quotes: cancel every order whose
 * (side, price) is not wanted or is a duplicate, place every wanted quote that is missing. A
 * partially filled order at a wanted price stays (its queue position is worth more than its size).
 */
export function reconcile(open: readonly Resting[], wanted: readonly Quote[]): { cancel: Resting[]; place: Quote[] } {
  const key = (side: Side, ticks: number): string => `${side}:${ticks}`;
  const wantedKeys = new Set(wanted.map((q) => key(q.side, q.priceTicks)));
  const kept = new Set<string>();
  const cancel: Resting[] = [];
  for (const o of open) {
    const k = key(o.side, o.priceTicks);
    if (wantedKeys.has(k) && !kept.has(k)) kept.add(k);
    else cancel.push(o);
  }
  return { cancel, place: wanted.filter((q) => !kept.has(key(q.side, q.priceTicks))) };
}
