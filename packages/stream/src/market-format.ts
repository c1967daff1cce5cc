import { ASSET_SCALE, compileMarket, formatUnits, type Market, type MarketConfig } from '@matchbox/domain';

/**
 * Integer ticks, lots and units → Binance decimal strings. Same rendering as the REST gateway
 * (8 decimals, "0.01000000"), so a price level has the same key in REST depth and in the diffs.
 */
export class MarketFormat {
  readonly symbol: string;
  /** Lower-case symbol, as it appears in stream names. */
  readonly streamSymbol: string;

  constructor(readonly market: Market) {
    this.symbol = market.symbol;
    this.streamSymbol = market.symbol.toLowerCase();
  }

  static fromConfigs(configs: readonly MarketConfig[]): Map<string, MarketFormat> {
    return new Map(configs.map((c, i) => [c.symbol, new MarketFormat(compileMarket(c, i))]));
  }

  price(priceTicks: number): string {
    return formatUnits(priceTicks * this.market.tickUnits, ASSET_SCALE);
  }

  qty(qtyLots: number): string {
    return formatUnits(qtyLots * this.market.lotUnits, ASSET_SCALE);
  }

  /** Base-asset units of `qtyLots` (for volume sums). */
  baseUnits(qtyLots: number): number {
    return qtyLots * this.market.lotUnits;
  }

  /** Flat [p, q, p, q…] in ticks/lots → [["p","q"], …]. */
  levelsFlat(flat: readonly number[]): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push([this.price(flat[i]!), this.qty(flat[i + 1]!)]);
    return out;
  }

  levels(pairs: readonly (readonly [number, number])[]): [string, string][] {
    return pairs.map(([p, q]) => [this.price(p), this.qty(q)]);
  }
}

export const units = (u: number): string => formatUnits(u, ASSET_SCALE);
