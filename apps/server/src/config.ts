import { DEFAULT_MARKETS, compileMarket, type MarketConfig } from '@matchbox/domain';
import { readFileSync } from 'node:fs';
import type { Storage } from './core/exchange.ts';
import { embeddedStore, type HistoryStoreConfig } from './history/store.ts';

export type Role = 'all' | 'gateway' | 'sequencer' | 'projector' | 'fanout';
const ROLES: readonly Role[] = ['all', 'gateway', 'sequencer', 'projector', 'fanout'];
/** Roles this server runs (src/roles/index.ts); projector and fanout are hooks for packages/store and packages/stream. */
const IMPLEMENTED_ROLES: readonly Role[] = ['all', 'gateway', 'sequencer', 'projector', 'fanout'];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly role: Role;
  readonly storage: Storage;
  readonly dataDir: string;
  readonly devFaucet: boolean;
  /** 32+ bytes from SERVER_KEY, or null to use (and create) DATA_DIR/server.key. */
  readonly serverKey: Buffer | null;
  readonly logLevel: string;
  readonly markets: readonly MarketConfig[];
  readonly snapshotEveryCommands: number;
  readonly snapshotEveryMs: number;
  /** KEEP_LOGS=1: never trim the command and event logs (audit to seq 1; they grow without bound). */
  readonly keepLogs: boolean;
  /** ACCEPT_LOG_LOSS=1: start even though the command log lost acknowledged commands (recovery otherwise refuses). */
  readonly acceptLogLoss: boolean;
  readonly ipWeightPerMinute: number;
  readonly ordersPer10s: number;
  readonly trustProxy: boolean;
  /** ROLE=gateway: how long a request waits for its command in the command log before -1007. */
  readonly gatewayTimeoutMs: number;
  /** ROLE=gateway: `MAXLEN ~` of the intake stream. */
  readonly intakeMaxLen: number;
  /**
   * The history store (HISTORY_STORE=1, the default): PGlite in DATA_DIR/store when embedded,
   * DATABASE_URL with Redis. Null (HISTORY_STORE=0): bounded in-memory history only.
   */
  readonly historyStore: HistoryStoreConfig | null;
  /**
   * `npm start` runs the market-maker bot in-process (ROLE=all): on by default in the embedded
   * mode, off with Redis/PostgreSQL; MARKET_MAKER=0/1 decides. Its own settings are MM_* (apps/market-maker).
   */
  readonly marketMaker: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; every problem is reported at once, with what to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return def;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${name}="${v}" must be an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const flag = (name: string, def: boolean): boolean => {
    const v = env[name];
    if (v === undefined || v === '') return def;
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    problems.push(`${name}="${v}" must be 1 or 0`);
    return def;
  };

  const port = int('PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const role = (env.ROLE || 'all') as Role;
  if (!ROLES.includes(role)) problems.push(`ROLE="${env.ROLE}" must be one of ${ROLES.join(', ')}`);
  const dataDir = env.DATA_DIR || './data';
  const redisUrl = env.REDIS_URL || '';
  const databaseUrl = env.DATABASE_URL || '';
  if ((redisUrl === '') !== (databaseUrl === '')) {
    problems.push('set both REDIS_URL and DATABASE_URL for the production topology, or neither for the embedded one');
  }
  if (redisUrl !== '' && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL="${redisUrl}" must start with redis:// or rediss://`);
  if (databaseUrl !== '' && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const prefix = env.REDIS_PREFIX || 'matchbox';
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(prefix)) problems.push(`REDIS_PREFIX="${prefix}" must be 1–64 of [A-Za-z0-9:_-]`);
  const production = redisUrl !== '' && databaseUrl !== '';
  const storage: Storage = production ? { kind: 'redis-pg', redisUrl, databaseUrl, prefix } : { kind: 'files', dataDir };

  let serverKey: Buffer | null = null;
  if (env.SERVER_KEY) {
    const k = env.SERVER_KEY;
    serverKey = /^[0-9a-fA-F]{64,}$/.test(k) ? Buffer.from(k, 'hex') : Buffer.from(k, 'base64');
    if (serverKey.length < 32) problems.push('SERVER_KEY must be at least 32 bytes, as 64+ hex digits or base64');
  } else if (production) {
    problems.push('SERVER_KEY is required with REDIS_URL/DATABASE_URL (every process must decrypt the same API secrets); generate one with `openssl rand -hex 32`');
  }

  let markets: readonly MarketConfig[] = DEFAULT_MARKETS;
  if (env.MARKETS_FILE) {
    try {
      markets = JSON.parse(readFileSync(env.MARKETS_FILE, 'utf8')) as MarketConfig[];
      markets.forEach((m, i) => compileMarket(m, i));
    } catch (err) {
      problems.push(`MARKETS_FILE="${env.MARKETS_FILE}": ${(err as Error).message}`);
    }
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push(`LOG_LEVEL="${logLevel}" is not a pino level`);

  const config: Config = {
    port, host, role, storage, dataDir, markets, logLevel, serverKey,
    devFaucet: flag('DEV_FAUCET', !production),
    snapshotEveryCommands: int('SNAPSHOT_EVERY_COMMANDS', 100_000, 100, 100_000_000),
    snapshotEveryMs: int('SNAPSHOT_EVERY_MS', 5 * 60_000, 1000, 24 * 3_600_000),
    keepLogs: flag('KEEP_LOGS', false),
    acceptLogLoss: flag('ACCEPT_LOG_LOSS', false),
    ipWeightPerMinute: int('RATE_LIMIT_WEIGHT_PER_MINUTE', 6000, 1, 10_000_000),
    ordersPer10s: int('RATE_LIMIT_ORDERS_PER_10S', 100, 1, 10_000_000),
    trustProxy: flag('TRUST_PROXY', false),
    gatewayTimeoutMs: int('GATEWAY_TIMEOUT_MS', 10_000, 100, 600_000),
    intakeMaxLen: int('INTAKE_MAXLEN', 1_000_000, 1000, 1_000_000_000),
    marketMaker: flag('MARKET_MAKER', !production) && role === 'all',
    historyStore: !flag('HISTORY_STORE', true) ? null : production ? { kind: 'pg', url: databaseUrl } : embeddedStore(dataDir),
  };
  if (ROLES.includes(role) && !IMPLEMENTED_ROLES.includes(role)) {
    problems.push(`ROLE=${role} is not runnable from apps/server yet; use ROLE=${IMPLEMENTED_ROLES.join(', ')}. See apps/server/README.md`);
  } else if (role !== 'all' && !production) {
    problems.push(`ROLE=${role} needs REDIS_URL and DATABASE_URL: the split roles talk through Redis streams (the embedded mode is ROLE=all only)`);
  }
  if (role === 'projector' && config.historyStore === null) problems.push('ROLE=projector writes the history store: remove HISTORY_STORE=0');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
