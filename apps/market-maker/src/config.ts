import path from 'node:path';
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
  /**
   * Taker orders are LIMIT IOC at the reference price ± this many basis points, so they only
   * trade with liquidity near the reference (never with a far-away resting order on a thin book).
   */
  readonly takerBandBps: number;
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
  /**
   * JSON file (mode 0600) with the faucet accounts' credentials: a restarted bot reuses them and
   * cancels what its previous run left on the book. Undefined: new accounts on every start.
   */
  readonly stateFile: string | undefined;
}

export const DEFAULT_START_PRICES: Readonly<Record<string, string>> = { BTCUSDT: '65000', ETHUSDT: '3500', SOLUSDT: '150' };

export const DEFAULTS: MakerConfig = {
  url: 'http://127.0.0.1:8080', symbols: [], levels: 5, spreadBps: 10, stepBps: 5,
  levelNotionalUnits: SymbolRules.unitsOf('500'), takerNotionalUnits: SymbolRules.unitsOf('150'),
  volatilityBps: 8, refreshMs: 1000, takerEveryMs: 1500, takerBandBps: 30, inventoryEveryCycles: 5, seed: 1,
  maxWeightPerSec: 50, maxOrdersPerSec: 8, startPrices: DEFAULT_START_PRICES,
  makerCredentials: undefined, takerCredentials: undefined, logLevel: 'info', orderEntry: 'rest',
  stateFile: undefined,
};

/**
 * The standalone bot's state file: `data/market-maker-<host>_<port>.json` under the working
 * directory (`data/` is the exchange's default DATA_DIR and git-ignored), one per exchange URL.
 */
export function defaultStateFile(url: string): string {
  let name = 'exchange';
  try {
    const u = new URL(url);
    name = `${u.hostname}_${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    // Not a URL: commander already took it; the client will fail on it with a clearer message.
  }
  return path.join('data', `market-maker-${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export interface ParseOptions {
  /** State file when neither --state-file nor MM_STATE_FILE is given (the standalone bot's default). */
  readonly defaultStateFile?: (url: string) => string;
}

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
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, opts: ParseOptions = {}): MakerConfig {
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
    .option('--taker-band-bps <n>', 'taker orders are LIMIT IOC at reference ± this, bps (MM_TAKER_BAND_BPS)', int(1), Number(e('MM_TAKER_BAND_BPS') ?? DEFAULTS.takerBandBps))
    .option('--seed <n>', 'random seed (MM_SEED)', int(0), Number(e('MM_SEED') ?? DEFAULTS.seed))
    .option('--max-weight-per-sec <n>', 'request weight budget (MM_MAX_WEIGHT_PER_SEC)', int(1), Number(e('MM_MAX_WEIGHT_PER_SEC') ?? DEFAULTS.maxWeightPerSec))
    .option('--max-orders-per-sec <n>', 'new orders per second per maker account (MM_MAX_ORDERS_PER_SEC)', int(1), Number(e('MM_MAX_ORDERS_PER_SEC') ?? DEFAULTS.maxOrdersPerSec))
    .option('--start-prices <list>', 'SYMBOL=price,… for empty markets (MM_START_PRICES)', e('MM_START_PRICES') ?? '')
    .option('--order-entry <rest|ws>', 'makers place/cancel over REST or the WebSocket API (MM_ORDER_ENTRY)', e('MM_ORDER_ENTRY') ?? DEFAULTS.orderEntry)
    .option('--state-file <path>', 'accounts of the bot, reused across restarts; "none" = new accounts each start (MM_STATE_FILE)', e('MM_STATE_FILE'))
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
  const url = String(o.url);
  const stateFile = o.stateFile === undefined || o.stateFile === '' ? opts.defaultStateFile?.(url) : o.stateFile === 'none' ? undefined : String(o.stateFile);
  const envAmount = (name: string, def: number): number => (e(name) === undefined ? def : amount(e(name)!));
  return {
    url, symbols: String(o.symbols).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
    levels: Number(o.levels), spreadBps: Number(o.spreadBps), stepBps: Number(o.stepBps),
    levelNotionalUnits: (o.levelNotional as number | undefined) ?? envAmount('MM_LEVEL_NOTIONAL', DEFAULTS.levelNotionalUnits),
    takerNotionalUnits: (o.takerNotional as number | undefined) ?? envAmount('MM_TAKER_NOTIONAL', DEFAULTS.takerNotionalUnits),
    volatilityBps: Number(o.volatilityBps), refreshMs: Number(o.refreshMs), takerEveryMs: Number(o.takerEveryMs),
    takerBandBps: Number(o.takerBandBps), inventoryEveryCycles: DEFAULTS.inventoryEveryCycles, seed: Number(o.seed),
    maxWeightPerSec: Number(o.maxWeightPerSec), maxOrdersPerSec: Number(o.maxOrdersPerSec), startPrices,
    makerCredentials: creds(e('MM_API_KEY'), e('MM_SECRET_KEY')), takerCredentials: creds(e('MM_TAKER_API_KEY'), e('MM_TAKER_SECRET_KEY')),
    logLevel: String(o.logLevel), orderEntry: o.orderEntry, stateFile,
  };
}
