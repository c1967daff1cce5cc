import { formatUnits, parseUnits } from '@matchbox/domain';
import type { SymbolInfo } from './types.ts';

/** Every asset amount on the wire has at most 8 decimals (Binance's precision). */
const WIRE_SCALE = 8;

function units(text: string, what: string): number {
  const r = parseUnits(text, WIRE_SCALE, { allowZero: true });
  if (!r.ok) throw new Error(`${what}: "${text}" is not a decimal with ≤ ${WIRE_SCALE} places (${r.error})`);
  return r.units;
}

function filter(info: SymbolInfo, type: string): Record<string, unknown> {
  const f = info.filters.find((x) => x.filterType === type);
  if (f === undefined) throw new Error(`${info.symbol}: exchangeInfo has no ${type} filter`);
  return f;
}

/**
 * A symbol's trading rules from exchangeInfo, in integers: prices as ticks (multiples of
 * tickSize) and quantities as lots (multiples of stepSize). A bot computes in ticks and lots and
 * converts to decimal strings only at the edge, so no float ever touches a price or quantity.
 */
export class SymbolRules {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Units of 10^-8 per tick / per lot. */
  readonly tickUnits: number;
  readonly lotUnits: number;
  readonly minPriceTicks: number;
  readonly maxPriceTicks: number;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  /** Minimum notional in quote units (10^-8). */
  readonly minNotionalUnits: number;

  constructor(info: SymbolInfo) {
    this.symbol = info.symbol;
    this.baseAsset = info.baseAsset;
    this.quoteAsset = info.quoteAsset;
    const price = filter(info, 'PRICE_FILTER');
    const lot = filter(info, 'LOT_SIZE');
    this.tickUnits = units(String(price.tickSize), 'tickSize');
    this.lotUnits = units(String(lot.stepSize), 'stepSize');
    if (this.tickUnits <= 0 || this.lotUnits <= 0) throw new Error(`${info.symbol}: tickSize and stepSize must be positive`);
    this.minPriceTicks = Math.max(1, Math.ceil(units(String(price.minPrice), 'minPrice') / this.tickUnits));
    this.maxPriceTicks = Math.floor(units(String(price.maxPrice), 'maxPrice') / this.tickUnits);
    this.minQtyLots = Math.max(1, Math.ceil(units(String(lot.minQty), 'minQty') / this.lotUnits));
    this.maxQtyLots = Math.floor(units(String(lot.maxQty), 'maxQty') / this.lotUnits);
    const notional = info.filters.find((x) => x.filterType === 'NOTIONAL' || x.filterType === 'MIN_NOTIONAL');
    this.minNotionalUnits = notional === undefined ? 0 : units(String(notional.minNotional), 'minNotional');
  }

  priceOf(ticks: number): string {
    return formatUnits(ticks * this.tickUnits, WIRE_SCALE);
  }

  qtyOf(lots: number): string {
    return formatUnits(lots * this.lotUnits, WIRE_SCALE);
  }

  /** Ticks in a decimal price; throws when the price is not on the tick grid. */
  ticksOf(price: string): number {
    const u = units(price, 'price');
    if (u % this.tickUnits !== 0) throw new Error(`${this.symbol}: price ${price} is not a multiple of the tick`);
    return u / this.tickUnits;
  }

  /** Lots in a decimal quantity; throws when the quantity is not on the step grid. */
  lotsOf(qty: string): number {
    const u = units(qty, 'quantity');
    if (u % this.lotUnits !== 0) throw new Error(`${this.symbol}: quantity ${qty} is not a multiple of the step`);
    return u / this.lotUnits;
  }

  /** Quote units (10^-8) of `lots` at `ticks`, floored; exact integer arithmetic below 2^53. */
  notionalUnits(ticks: number, lots: number): number {
    const tl = ticks * lots;
    const perTickLot = this.tickUnits * this.lotUnits;
    if (!Number.isSafeInteger(tl) || !Number.isSafeInteger(perTickLot)) throw new RangeError('notional overflows');
    const scale = 10 ** WIRE_SCALE;
    // (tl · perTickLot) / 1e8 without overflow: divide the factor that is divisible first.
    if (perTickLot % scale === 0) return tl * (perTickLot / scale);
    return Number((BigInt(tl) * BigInt(perTickLot)) / BigInt(scale));
  }

  /** Smallest lot count whose notional at `ticks` reaches the minimum notional. */
  minLotsAt(ticks: number): number {
    let lots = this.minQtyLots;
    if (this.minNotionalUnits > 0) {
      const perLot = Math.max(1, this.notionalUnits(ticks, 1));
      lots = Math.max(lots, Math.ceil(this.minNotionalUnits / perLot));
    }
    return lots;
  }

  /** Decimal amount of an asset (8 decimals) as integer units, e.g. a balance. */
  static unitsOf(amount: string): number {
    return units(amount, 'amount');
  }

  static amountOf(assetUnits: number): string {
    return formatUnits(assetUnits, WIRE_SCALE);
  }
}
