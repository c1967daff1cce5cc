import { DEFAULT_MARKETS, compileMarket, type Command, type MarketConfig } from '@matchbox/domain';
import { DISTANCE_MAX_TICKS, DISTANCE_MIN_TICKS, LIMIT_MAX_LOTS, MARKET_MAX_LOTS, MID_TICKS } from './workload.ts';

/**
 * Bench markets: copies of the default BTCUSDT, ETHUSDT and SOLUSDT that differ only where the
 * workload needs it, so that no place command is ever rejected (order ids stay predictable):
 * - minNotional 1 unit: a 1-lot order near 100 USDT is worth 0.001 USDT on BTCUSDT, far under
 *   the default 5 USDT;
 * - maxNumOrders 100,000: 1,000,000 resting orders over 100 users is 10,000 each;
 * - self-trade prevention NONE: the peer has none, and with 100 users 1% of matches would be
 *   self-trades that EXPIRE_MAKER turns into expiries, so the two books would drift apart.
 */
export function benchMarkets(symbolCount: number): MarketConfig[] {
  if (symbolCount < 1 || symbolCount > DEFAULT_MARKETS.length) throw new Error(`symbolCount must be 1..${DEFAULT_MARKETS.length}`);
  const markets = DEFAULT_MARKETS.slice(0, symbolCount).map((m) => ({
    ...m, minNotional: '0.00000001', maxNumOrders: 100_000, defaultStpMode: 'NONE' as const,
  }));
  assertWorkloadFits(markets);
  return markets;
}

/** Every price and size the workload can draw passes PRICE_FILTER, LOT_SIZE and NOTIONAL. */
function assertWorkloadFits(markets: readonly MarketConfig[]): void {
  const lowTicks = MID_TICKS - DISTANCE_MAX_TICKS - 1;
  const highTicks = MID_TICKS + DISTANCE_MAX_TICKS + 1;
  markets.forEach((config, i) => {
    const m = compileMarket(config, i);
    const fits = lowTicks >= m.minPriceTicks && highTicks <= m.maxPriceTicks
      && m.minQtyLots <= 1 && m.maxQtyLots >= Math.max(LIMIT_MAX_LOTS, MARKET_MAX_LOTS)
      && m.quotePerTickLot * lowTicks >= m.minNotionalUnits
      && m.quotePerTickLot * (MID_TICKS - DISTANCE_MIN_TICKS + 1) * MARKET_MAX_LOTS <= m.maxNotionalUnits;
    if (!fits) throw new Error(`bench market ${m.symbol} would reject part of the workload`);
  });
}

/** Units each user gets of every asset: ample for any stream here, and 100 users × this plus
 * fees stays far below 2^53 per balance. */
export const DEPOSIT_UNITS = 10_000_000_000_000; // 1e13 units = 100,000 of the asset

/** Users 1..userCount, each funded with every asset of the markets. */
export function setupCommands(markets: readonly MarketConfig[], userCount: number): Command[] {
  const assets = [...new Set(markets.flatMap((m) => [m.baseAsset, m.quoteAsset]))];
  const commands: Command[] = [];
  for (let u = 1; u <= userCount; u++) commands.push({ t: 'createUser', username: `u${u}`, passwordHash: 'x' });
  for (let u = 1; u <= userCount; u++) {
    for (const asset of assets) commands.push({ t: 'deposit', userId: u, asset, amountUnits: DEPOSIT_UNITS });
  }
  return commands;
}
