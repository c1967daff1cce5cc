import { ASSET_SCALE, compileMarket, formatUnits, type Market, type MarketConfig } from '@matchbox/domain';

/** Decimal strings at the API edge: prices and quantities at the market's precision, amounts at 10^-8. */
export class MarketFormat {
  readonly market: Market;
  private readonly priceDiv: number;
  private readonly qtyDiv: number;

  constructor(config: MarketConfig, index = 0) {
    this.market = compileMarket(config, index);
    // tickSize has priceDecimals places, so ticks·tickUnits is a whole multiple of this divisor.
    this.priceDiv = 10 ** (ASSET_SCALE - this.market.priceDecimals);
    this.qtyDiv = 10 ** (ASSET_SCALE - this.market.qtyDecimals);
  }

  get symbol(): string { return this.market.symbol; }

  price(ticks: number): string {
    return formatUnits((ticks * this.market.tickUnits) / this.priceDiv, this.market.priceDecimals);
  }

  qty(lots: number): string {
    return formatUnits((lots * this.market.lotUnits) / this.qtyDiv, this.market.qtyDecimals);
  }

  /** A quantity sum stored as NUMERIC (may exceed 2^53 lots·units). */
  qtySum(lots: string | number): string {
    return formatBigUnits((BigInt(lots) * BigInt(this.market.lotUnits)) / BigInt(this.qtyDiv), this.market.qtyDecimals);
  }

  /** Asset amounts (quote volumes, commissions, balances) in 10^-8 units. */
  amount(units: number): string {
    return formatUnits(units, ASSET_SCALE);
  }

  amountSum(units: string | number): string {
    return formatBigUnits(BigInt(units), ASSET_SCALE);
  }
}

/** formatUnits for BigInt values (sums that outgrow a double). */
export function formatBigUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const cut = padded.length - scale;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** Formatters per symbol. */
export class MarketFormats {
  private readonly bySymbol: ReadonlyMap<string, MarketFormat>;
  constructor(markets: readonly MarketConfig[]) {
    this.bySymbol = new Map(markets.map((m, i) => [m.symbol, new MarketFormat(m, i)]));
  }
  get(symbol: string): MarketFormat {
    const f = this.bySymbol.get(symbol);
    if (f === undefined) throw new UnknownSymbolError(symbol);
    return f;
  }
}

export class UnknownSymbolError extends Error {
  constructor(readonly symbol: string) {
    super(`unknown symbol ${symbol}`);
    this.name = 'UnknownSymbolError';
  }
}

/** Binance-style limit: default when absent, clamped to 1..max. */
export function clampLimit(limit: number | undefined, defaultLimit: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultLimit;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}
