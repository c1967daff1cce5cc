import { MatchboxApiError, MatchboxClient, SymbolRules, type Credentials } from '@matchbox/client';
import type { Logger } from 'pino';
import { TokenBucket } from './budget.ts';
import type { MakerConfig } from './config.ts';
import { Prng } from '@matchbox/domain';
import { SymbolQuoter } from './symbol-quoter.ts';
import { restOrderEntry, wsOrderEntry } from './order-entry.ts';

/** Funding per account from the dev faucet, as multiples of one level's notional. */
const MAKER_QUOTE_LEVELS = 2000;
const TAKER_QUOTE_LEVELS = 400;
const STATS_EVERY_MS = 10_000;

/**
 * The bot: one maker account per symbol (new-order limits are per account), one taker account,
 * all through @matchbox/client. `start()` runs the quoting and taker loops on timers; `stop()`
 * ends them, waits for requests in flight and cancels every quote.
 */
export class MarketMaker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  private constructor(readonly quoters: readonly SymbolQuoter[], private readonly client: MatchboxClient, private readonly config: MakerConfig, private readonly log: Logger) {}

  static async create(config: MakerConfig, log: Logger): Promise<MarketMaker> {
    const client = new MatchboxClient(config.url, { maxSockets: 32 });
    const info = await client.exchangeInfo();
    const symbols = info.symbols.filter((s) => s.status === 'TRADING' && (config.symbols.length === 0 || config.symbols.includes(s.symbol)));
    if (symbols.length === 0) throw new Error(`no tradable symbols at ${config.url} match ${config.symbols.join(',') || '(all)'}`);
    const weight = new TokenBucket(config.maxWeightPerSec, config.maxWeightPerSec * 2);
    const rng = new Prng(config.seed);
    const taker = config.takerEveryMs === 0 ? undefined
      : config.takerCredentials ?? (config.makerCredentials === undefined ? await faucetTaker(client, symbols.map((s) => new SymbolRules(s)), config) : undefined);
    const quoters: SymbolQuoter[] = [];
    for (const s of symbols) {
      const rules = new SymbolRules(s);
      const startTicks = await startPrice(client, rules, config);
      const makerCreds = config.makerCredentials ?? await client.devAccount(makerDeposits(rules, startTicks, config, MAKER_QUOTE_LEVELS), undefined);
      const maker = config.orderEntry === 'ws' ? wsOrderEntry(config.url, makerCreds) : restOrderEntry(client.withCredentials(makerCreds));
      const base = (await maker.account()).balances.find((b) => b.asset === rules.baseAsset);
      quoters.push(new SymbolQuoter({
        rules, maker, taker: taker === undefined ? undefined : client.withCredentials(taker), config, startTicks,
        targetBaseUnits: base === undefined ? 0 : SymbolRules.unitsOf(base.free) + SymbolRules.unitsOf(base.locked),
        weight, orders: new TokenBucket(config.maxOrdersPerSec, config.maxOrdersPerSec * 2), rng: new Prng(rng.int(0, 2 ** 31)), log: log.child({ symbol: s.symbol }),
      }));
      log.info({ symbol: s.symbol, startPrice: rules.priceOf(startTicks), orderEntry: config.orderEntry }, 'quoting');
    }
    return new MarketMaker(quoters, client, config, log);
  }

  start(): void {
    for (const q of this.quoters) {
      let last = Date.now();
      this.loop(this.config.refreshMs, async () => {
        const now = Date.now();
        await q.cycle(now - last);
        last = now;
      });
      if (this.config.takerEveryMs > 0) this.loop(this.config.takerEveryMs, () => q.takerTick(), true);
    }
    this.loop(STATS_EVERY_MS, async () => {
      for (const q of this.quoters) this.log.info({ symbol: q.symbol, reference: q.reference.priceTicks, ...q.stats }, 'stats');
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    await Promise.allSettled(this.quoters.map((q) => q.cancelAll()));
    this.client.close();
  }

  /** Runs `fn` every `everyMs` (jittered ±50% when `jitter`), never two at once, until stop. */
  private loop(everyMs: number, fn: () => Promise<void>, jitter = false): void {
    const schedule = (): void => {
      if (this.stopped) return;
      const delay = jitter ? Math.round(everyMs * (0.5 + Math.random())) : everyMs;
      const t = setTimeout(() => {
        this.timers.delete(t);
        const run = fn().catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'loop failed'));
        this.running.add(run);
        void run.finally(() => {
          this.running.delete(run);
          schedule();
        });
      }, delay);
      this.timers.add(t);
    };
    schedule();
  }
}

async function startPrice(client: MatchboxClient, rules: SymbolRules, config: MakerConfig): Promise<number> {
  const t = await client.ticker24h(rules.symbol).catch(() => undefined);
  const last = t === undefined ? 0 : SymbolRules.unitsOf(t.lastPrice);
  if (last > 0) return Math.max(rules.minPriceTicks, Math.floor(last / rules.tickUnits));
  const configured = config.startPrices[rules.symbol] ?? '100';
  return Math.min(rules.maxPriceTicks, Math.max(rules.minPriceTicks, Math.floor(SymbolRules.unitsOf(configured) / rules.tickUnits)));
}

/** Quote for `levels` level-notionals, and base worth the same at the start price. */
function makerDeposits(rules: SymbolRules, startTicks: number, config: MakerConfig, levels: number): Record<string, string> {
  const quoteUnits = config.levelNotionalUnits * levels;
  const baseLots = Math.ceil(quoteUnits / Math.max(1, rules.notionalUnits(startTicks, 1)));
  return { [rules.quoteAsset]: SymbolRules.amountOf(quoteUnits), [rules.baseAsset]: rules.qtyOf(baseLots) };
}

async function faucetTaker(client: MatchboxClient, rules: readonly SymbolRules[], config: MakerConfig): Promise<Credentials | undefined> {
  const deposits: Record<string, string> = {};
  for (const r of rules) {
    const startTicks = await startPrice(client, r, config);
    Object.assign(deposits, makerDeposits(r, startTicks, config, TAKER_QUOTE_LEVELS));
    deposits[r.quoteAsset] = SymbolRules.amountOf(config.levelNotionalUnits * TAKER_QUOTE_LEVELS * rules.length);
  }
  try {
    return await client.devAccount(deposits);
  } catch (err) {
    if (err instanceof MatchboxApiError && err.status === 404) return undefined;
    throw err;
  }
}
