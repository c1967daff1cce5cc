import { MAX_UNITS, parseUnits } from './decimal.ts';

/** Every asset is held in integer units of 10^-8, like Binance's 8-decimal precision. */
export const ASSET_SCALE = 8;
const UNIT = 10 ** ASSET_SCALE;

export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'] as const;
export type StpMode = (typeof STP_MODES)[number];

/** Market configuration as an operator writes it: decimal strings, like exchangeInfo shows. */
export interface MarketConfig {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly minPrice: string;
  readonly maxPrice: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minNotional: string;
  readonly maxNotional: string;
  /** Fees in parts per million of the amount received: 1000 = 0.1%. */
  readonly makerFeePpm: number;
  readonly takerFeePpm: number;
  readonly allowedStpModes: readonly StpMode[];
  readonly defaultStpMode: StpMode;
  /** MAX_NUM_ORDERS: open orders (including untriggered stops) per user on this symbol. */
  readonly maxNumOrders: number;
}

/** A market with every limit converted to integers, as the engine uses it. */
export interface Market {
  readonly config: MarketConfig;
  readonly index: number;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Quote units in one price tick. */
  readonly tickUnits: number;
  /** Base units in one quantity lot (stepSize). */
  readonly lotUnits: number;
  /** Quote units paid for one lot at a price of one tick: tickUnits · lotUnits / 10^8. */
  readonly quotePerTickLot: number;
  readonly minPriceTicks: number;
  readonly maxPriceTicks: number;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  readonly minNotionalUnits: number;
  readonly maxNotionalUnits: number;
  readonly makerFeePpm: number;
  readonly takerFeePpm: number;
  readonly allowedStpModes: readonly StpMode[];
  readonly defaultStpMode: StpMode;
  readonly maxNumOrders: number;
  /** Decimals shown for prices and quantities (from tickSize and stepSize). */
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
}

const ALL_STP: readonly StpMode[] = STP_MODES;

function market(symbol: string, base: string, tickSize: string, stepSize: string, minQty: string, maxQty: string, maxPrice: string): MarketConfig {
  return {
    symbol, baseAsset: base, quoteAsset: 'USDT', tickSize, minPrice: tickSize, maxPrice, stepSize, minQty, maxQty,
    minNotional: '5', maxNotional: '9000000', makerFeePpm: 1000, takerFeePpm: 1000,
    allowedStpModes: ALL_STP, defaultStpMode: 'EXPIRE_MAKER', maxNumOrders: 200,
  };
}

export const DEFAULT_MARKETS: readonly MarketConfig[] = [
  market('BTCUSDT', 'BTC', '0.01', '0.00001', '0.00001', '9000', '1000000'),
  market('ETHUSDT', 'ETH', '0.01', '0.0001', '0.0001', '9000', '1000000'),
  market('SOLUSDT', 'SOL', '0.01', '0.001', '0.001', '90000', '100000'),
];

function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.length - dot - 1;
}

function units(text: string, field: string, symbol: string): number {
  const r = parseUnits(text, ASSET_SCALE);
  if (!r.ok) throw new Error(`market ${symbol}: ${field} "${text}" is not a positive decimal with ≤ 8 places (${r.error})`);
  return r.units;
}

/** Validates a configuration and converts it to integer limits; throws with a clear message. */
export function compileMarket(config: MarketConfig, index: number): Market {
  const s = config.symbol;
  if (!/^[A-Z0-9]{2,20}$/.test(s)) throw new Error(`market symbol "${s}" must be 2–20 upper-case letters or digits`);
  if (config.baseAsset + config.quoteAsset !== s) throw new Error(`market ${s}: symbol must be baseAsset + quoteAsset`);
  const tickUnits = units(config.tickSize, 'tickSize', s);
  const lotUnits = units(config.stepSize, 'stepSize', s);
  if ((tickUnits * lotUnits) % UNIT !== 0) {
    throw new Error(`market ${s}: tickSize × stepSize must be a whole number of 10^-8 quote units`);
  }
  const ticks = (field: 'minPrice' | 'maxPrice'): number => {
    const u = units(config[field], field, s);
    if (u % tickUnits !== 0) throw new Error(`market ${s}: ${field} must be a multiple of tickSize`);
    return u / tickUnits;
  };
  const lots = (field: 'minQty' | 'maxQty'): number => {
    const u = units(config[field], field, s);
    if (u % lotUnits !== 0) throw new Error(`market ${s}: ${field} must be a multiple of stepSize`);
    return u / lotUnits;
  };
  const quotePerTickLot = (tickUnits * lotUnits) / UNIT;
  const maxPriceTicks = ticks('maxPrice');
  const maxQtyLots = lots('maxQty');
  const maxNotionalUnits = units(config.maxNotional, 'maxNotional', s);
  if (maxNotionalUnits > MAX_UNITS / 8) throw new Error(`market ${s}: maxNotional too large to keep arithmetic exact`);
  for (const m of [config.makerFeePpm, config.takerFeePpm]) {
    if (!Number.isInteger(m) || m < 0 || m > 100_000) throw new Error(`market ${s}: fees must be integer ppm in 0..100000`);
  }
  if (!config.allowedStpModes.includes(config.defaultStpMode)) throw new Error(`market ${s}: defaultStpMode must be allowed`);
  if (!Number.isInteger(config.maxNumOrders) || config.maxNumOrders < 1 || config.maxNumOrders > 100_000) {
    throw new Error(`market ${s}: maxNumOrders must be an integer in 1..100000`);
  }
  return {
    config, index, symbol: s, baseAsset: config.baseAsset, quoteAsset: config.quoteAsset,
    tickUnits, lotUnits, quotePerTickLot,
    minPriceTicks: ticks('minPrice'), maxPriceTicks,
    minQtyLots: lots('minQty'), maxQtyLots,
    minNotionalUnits: units(config.minNotional, 'minNotional', s), maxNotionalUnits,
    makerFeePpm: config.makerFeePpm, takerFeePpm: config.takerFeePpm,
    allowedStpModes: config.allowedStpModes, defaultStpMode: config.defaultStpMode,
    maxNumOrders: config.maxNumOrders,
    priceDecimals: decimalsOf(config.tickSize), qtyDecimals: decimalsOf(config.stepSize),
  };
}

/** Assets in a stable order: each market's base then quote, first appearance wins. */
export function assetsOf(markets: readonly MarketConfig[]): string[] {
  const seen: string[] = [];
  for (const m of markets) for (const a of [m.baseAsset, m.quoteAsset]) if (!seen.includes(a)) seen.push(a);
  return seen;
}
