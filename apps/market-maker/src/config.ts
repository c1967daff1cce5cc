import { Command, InvalidArgumentError } from 'commander';
import { SymbolRules, type Credentials } from '@matchbox/client';

export interface MakerConfig {
  readonly url: string;
  /** Empty: every TRADING symbol in exchangeInfo. */
  readonly symbols: readonly string[];
  readonly levels: number;
  readonly spreadBps: number;
  readonly stepBps: number;
  /** Quote notional per level and per taker order, in quote units (10^-8). */
  readonly levelNotionalUnits: number;
  readonly takerNotionalUnits: number;
  /** Reference-price volatility in basis points per √second. */
  readonly volatilityBps: number;
  readonly refreshMs: number;
  /** Mean interval between taker orders per symbol; 0 turns taker flow off. */
  readonly takerEveryMs: number;
  readonly inventoryEveryCycles: number;
  readonly seed: number;
  /** Request weight per second the bot may use (server default: 6000/min per IP = 100/s). */
  readonly maxWeightPerSec: number;
  /** New orders per second per maker account (server default: 100 per 10 s). */
  readonly maxOrdersPerSec: number;
  /** Starting reference prices when the market has no last price ("BTCUSDT" → "65000"). */
  readonly startPrices: Readonly<Record<string, string>>;
  /** Accounts to use; without them the bot funds itself through the dev faucet. */
  readonly makerCredentials: Credentials | undefined;
  readonly takerCredentials: Credentials | undefined;
  readonly logLevel: string;
  /** How the makers place and cancel: signed REST, or the WebSocket API (per-key limits, one socket each). */
  readonly orderEntry: 'rest' | 'ws';
}

export const DEFAULT_START_PRICES: Readonly<Record<string, string>> = { BTCUSDT: '65000', ETHUSDT: '3500', SOLUSDT: '150' };

export const DEFAULTS: MakerConfig = {
  url: 'http://127.0.0.1:8080', symbols: [], levels: 5, spreadBps: 10, stepBps: 5,
  levelNotionalUnits: SymbolRules.unitsOf('500'), takerNotionalUnits: SymbolRules.unitsOf('150'),
  volatilityBps: 8, refreshMs: 1000, takerEveryMs: 1500, inventoryEveryCycles: 5, seed: 1,
  maxWeightPerSec: 50, maxOrdersPerSec: 8, startPrices: DEFAULT_START_PRICES,
  makerCredentials: undefined, takerCredentials: undefined, logLevel: 'info', orderEntry: 'rest',
};

const int = (min: number) => (v: string): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
  return n;
};
const amount = (v: string): number => {
  try {
    return SymbolRules.unitsOf(v);
  } catch {
    throw new InvalidArgumentError('expected a decimal amount');
  }
};

function creds(key: string | undefined, secret: string | undefined): Credentials | undefined {
  return key && secret ? { apiKey: key, secretKey: secret } : undefined;
}

/** Flags first, then MM_* environment variables, then defaults. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): MakerConfig {
  const e = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const cmd = new Command('market-maker')
    .description('Quotes every Matchbox symbol around a random-walk reference price and sends taker flow.')
    .option('--url <url>', 'exchange base URL (MM_URL)', e('MM_URL') ?? DEFAULTS.url)
    .option('--symbols <list>', 'comma-separated symbols (MM_SYMBOLS; default: all)', e('MM_SYMBOLS') ?? '')
    .option('--levels <n>', 'quote levels per side (MM_LEVELS)', int(1), Number(e('MM_LEVELS') ?? DEFAULTS.levels))
    .option('--spread-bps <n>', 'spread between best bid and ask, bps (MM_SPREAD_BPS)', int(1), Number(e('MM_SPREAD_BPS') ?? DEFAULTS.spreadBps))
    .option('--step-bps <n>', 'distance between levels, bps (MM_STEP_BPS)', int(1), Number(e('MM_STEP_BPS') ?? DEFAULTS.stepBps))
    .option('--level-notional <quote>', 'quote amount per level (MM_LEVEL_NOTIONAL)', amount)
    .option('--taker-notional <quote>', 'max quote amount per taker order (MM_TAKER_NOTIONAL)', amount)
    .option('--volatility-bps <n>', 'reference volatility, bps per √s (MM_VOLATILITY_BPS)', int(0), Number(e('MM_VOLATILITY_BPS') ?? DEFAULTS.volatilityBps))
    .option('--refresh-ms <n>', 'quoting cycle (MM_REFRESH_MS)', int(50), Number(e('MM_REFRESH_MS') ?? DEFAULTS.refreshMs))
    .option('--taker-every-ms <n>', 'mean interval of taker orders per symbol, 0 = off (MM_TAKER_EVERY_MS)', int(0), Number(e('MM_TAKER_EVERY_MS') ?? DEFAULTS.takerEveryMs))
    .option('--seed <n>', 'random seed (MM_SEED)', int(0), Number(e('MM_SEED') ?? DEFAULTS.seed))
    .option('--max-weight-per-sec <n>', 'request weight budget (MM_MAX_WEIGHT_PER_SEC)', int(1), Number(e('MM_MAX_WEIGHT_PER_SEC') ?? DEFAULTS.maxWeightPerSec))
    .option('--max-orders-per-sec <n>', 'new orders per second per maker account (MM_MAX_ORDERS_PER_SEC)', int(1), Number(e('MM_MAX_ORDERS_PER_SEC') ?? DEFAULTS.maxOrdersPerSec))
    .option('--start-prices <list>', 'SYMBOL=price,… for empty markets (MM_START_PRICES)', e('MM_START_PRICES') ?? '')
    .option('--order-entry <rest|ws>', 'makers place/cancel over REST or the WebSocket API (MM_ORDER_ENTRY)', e('MM_ORDER_ENTRY') ?? DEFAULTS.orderEntry)
    .option('--log-level <level>', 'pino level (LOG_LEVEL)', e('LOG_LEVEL') ?? DEFAULTS.logLevel)
    .exitOverride();
  cmd.parse([...argv], { from: 'user' });
  const o = cmd.opts<Record<string, string | number | undefined>>();
  const startPrices: Record<string, string> = { ...DEFAULT_START_PRICES };
  for (const pair of String(o.startPrices).split(',').filter(Boolean)) {
    const [sym, price] = pair.split('=');
    if (sym === undefined || price === undefined) throw new InvalidArgumentError(`--start-prices: "${pair}" is not SYMBOL=price`);
    amount(price);
    startPrices[sym.toUpperCase()] = price;
  }
  if (o.orderEntry !== 'rest' && o.orderEntry !== 'ws') throw new InvalidArgumentError(`--order-entry: "${String(o.orderEntry)}" is not rest or ws`);
  const envAmount = (name: string, def: number): number => (e(name) === undefined ? def : amount(e(name)!));
  return {
    url: String(o.url), symbols: String(o.symbols).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
    levels: Number(o.levels), spreadBps: Number(o.spreadBps), stepBps: Number(o.stepBps),
    levelNotionalUnits: (o.levelNotional as number | undefined) ?? envAmount('MM_LEVEL_NOTIONAL', DEFAULTS.levelNotionalUnits),
    takerNotionalUnits: (o.takerNotional as number | undefined) ?? envAmount('MM_TAKER_NOTIONAL', DEFAULTS.takerNotionalUnits),
    volatilityBps: Number(o.volatilityBps), refreshMs: Number(o.refreshMs), takerEveryMs: Number(o.takerEveryMs),
    inventoryEveryCycles: DEFAULTS.inventoryEveryCycles, seed: Number(o.seed),
    maxWeightPerSec: Number(o.maxWeightPerSec), maxOrdersPerSec: Number(o.maxOrdersPerSec), startPrices,
    makerCredentials: creds(e('MM_API_KEY'), e('MM_SECRET_KEY')), takerCredentials: creds(e('MM_TAKER_API_KEY'), e('MM_TAKER_SECRET_KEY')),
    logLevel: String(o.logLevel), orderEntry: o.orderEntry,
  };
}
