import { MatchboxApiError, MatchboxClient, SymbolRules, type Account, type Credentials, type DevAccount } from '@matchbox/client';
import type { Logger } from 'pino';
import { TokenBucket } from './budget.ts';
import type { MakerConfig } from './config.ts';
import { Prng } from '@matchbox/domain';
import { SymbolQuoter } from './symbol-quoter.ts';
import { restOrderEntry, wsOrderEntry, type OrderEntry } from './order-entry.ts';
import { emptyState, loadState, saveState, type SavedAccount } from './state.ts';

/** Funding per account from the dev faucet, as multiples of one level's notional. */
const MAKER_QUOTE_LEVELS = 2000;
const TAKER_QUOTE_LEVELS = 400;
const STATS_EVERY_MS = 10_000;
/** Answers meaning "this exchange does not know that key": bad format, unknown key, bad signature. */
const UNKNOWN_KEY_CODES: readonly number[] = [-2014, -2015, -1022];

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
    const trading = info.symbols.filter((s) => s.status === 'TRADING');
    const symbols = trading.filter((s) => config.symbols.length === 0 || config.symbols.includes(s.symbol));
    if (symbols.length === 0) throw new Error(`no tradable symbols at ${config.url} match ${config.symbols.join(',') || '(all)'}`);
    if (config.takerEveryMs > 0 && config.takerBandBps * 2 <= config.spreadBps) {
      log.warn({ takerBandBps: config.takerBandBps, spreadBps: config.spreadBps }, 'taker band is inside the half-spread: taker orders will not reach the quotes');
    }
    const weight = new TokenBucket(config.maxWeightPerSec, config.maxWeightPerSec * 2);
    const rng = new Prng(config.seed);
    const entryFor = (c: Credentials): OrderEntry => (config.orderEntry === 'ws' ? wsOrderEntry(config.url, c) : restOrderEntry(client.withCredentials(c)));

    // The previous run's accounts: keep those this exchange still knows and cancel all their orders
    // (after a crash its quotes are still resting), before anything is quoted.
    const saved = config.stateFile === undefined ? emptyState() : loadState(config.stateFile, log);
    const state = emptyState();
    const persist = (): void => {
      if (config.stateFile !== undefined) saveState(config.stateFile, state);
    };
    const tradingNames = trading.map((s) => s.symbol);
    const reusedMakers = new Map<string, { entry: OrderEntry; account: Account }>();
    for (const [symbol, acc] of Object.entries(saved.makers)) {
      const entry = entryFor(acc);
      const account = await ifAuthenticated(() => entry.account());
      if (account === undefined) {
        await entry.close();
        log.info({ symbol, userId: acc.userId }, 'saved maker account is unknown to this exchange: replacing it');
        continue;
      }
      const canceled = await cancelEverywhere(entry, tradingNames, weight);
      log.info({ symbol, userId: acc.userId, canceled }, 'reusing maker account; canceled its open orders');
      state.makers[symbol] = acc;
      if (config.makerCredentials === undefined && symbols.some((s) => s.symbol === symbol)) reusedMakers.set(symbol, { entry, account });
      else await entry.close();
    }
    let reusedTaker: Account | undefined;
    if (saved.taker !== undefined) {
      const c = client.withCredentials(saved.taker);
      reusedTaker = await ifAuthenticated(() => c.account());
      if (reusedTaker === undefined) {
        log.info({ userId: saved.taker.userId }, 'saved taker account is unknown to this exchange: replacing it');
      } else {
        const canceled = await cancelEverywhere(restOrderEntry(c), tradingNames, weight);
        log.info({ userId: saved.taker.userId, canceled }, 'reusing taker account; canceled its open orders');
        state.taker = saved.taker;
      }
    }
    persist();

    let taker: Credentials | undefined;
    if (config.takerEveryMs > 0) {
      if (config.takerCredentials !== undefined) {
        taker = config.takerCredentials;
      } else if (config.makerCredentials === undefined) {
        const deposits = await takerDeposits(client, symbols.map((s) => new SymbolRules(s)), config);
        if (state.taker !== undefined && reusedTaker !== undefined) {
          await topUp(client, state.taker.userId, reusedTaker, deposits, log);
          taker = state.taker;
        } else {
          state.taker = await faucetAccount(client, deposits);
          taker = state.taker;
          persist();
        }
      }
    }
    const quoters: SymbolQuoter[] = [];
    for (const s of symbols) {
      const rules = new SymbolRules(s);
      const startTicks = await startPrice(client, rules, config);
      const deposits = makerDeposits(rules, startTicks, config, MAKER_QUOTE_LEVELS);
      const reused = reusedMakers.get(s.symbol);
      let maker: OrderEntry;
      let baseUnits: number;
      if (reused !== undefined) {
        maker = reused.entry;
        const added = await topUp(client, state.makers[s.symbol]!.userId, reused.account, deposits, log);
        baseUnits = held(reused.account, rules.baseAsset) + (added[rules.baseAsset] ?? 0);
      } else {
        if (config.makerCredentials !== undefined) {
          maker = entryFor(config.makerCredentials);
          // What an earlier run left on this symbol (the first cycle would cancel it too).
          await maker.cancelAll(s.symbol);
        } else {
          const created = await client.devAccount(deposits, undefined);
          state.makers[s.symbol] = savedAccount(created);
          persist();
          maker = entryFor(created);
        }
        baseUnits = held(await maker.account(), rules.baseAsset);
      }
      quoters.push(new SymbolQuoter({
        rules, maker, taker: taker === undefined ? undefined : client.withCredentials(taker), config, startTicks, targetBaseUnits: baseUnits,
        weight, orders: new TokenBucket(config.maxOrdersPerSec, config.maxOrdersPerSec * 2), rng: new Prng(rng.int(0, 2 ** 31)), log: log.child({ symbol: s.symbol }),
      }));
      log.info({ symbol: s.symbol, startPrice: rules.priceOf(startTicks), orderEntry: config.orderEntry }, 'quoting');
    }
    return new MarketMaker(quoters, client, config, log);
  }

  start(): void {
    for (const q of this.quoters) {
      let last = Date.now();
      let takerRunning = false;
      this.loop(this.config.refreshMs, async () => {
        const now = Date.now();
        await q.cycle(now - last);
        last = now;
        // Taker flow starts once this symbol's ladder is up, so it first meets the bot's own quotes.
        if (!takerRunning && q.quoting && this.config.takerEveryMs > 0) {
          takerRunning = true;
          this.loop(this.config.takerEveryMs, () => q.takerTick(), true);
        }
      });
    }
    this.loop(STATS_EVERY_MS, async () => {
      for (const q of this.quoters) this.log.info({ symbol: q.symbol, reference: q.reference.priceTicks, ...q.stats }, 'stats');
    });
  }

  /**
   * Ends the loops, waits for requests in flight and cancels every quote. `cancelQuotes: false`
   * leaves them resting, as a crash would (the next start with the same state file cancels them).
   */
  async stop(opts: { readonly cancelQuotes?: boolean } = {}): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    await Promise.allSettled(this.quoters.map((q) => (opts.cancelQuotes === false ? q.close() : q.cancelAll())));
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

/** What the taker gets from the faucet: base for every symbol, quote for all of them. */
async function takerDeposits(client: MatchboxClient, rules: readonly SymbolRules[], config: MakerConfig): Promise<Record<string, string>> {
  const deposits: Record<string, string> = {};
  for (const r of rules) {
    const startTicks = await startPrice(client, r, config);
    Object.assign(deposits, makerDeposits(r, startTicks, config, TAKER_QUOTE_LEVELS));
    deposits[r.quoteAsset] = SymbolRules.amountOf(config.levelNotionalUnits * TAKER_QUOTE_LEVELS * rules.length);
  }
  return deposits;
}

/** A new funded account from the dev faucet; undefined where the exchange has none. */
async function faucetAccount(client: MatchboxClient, deposits: Record<string, string>): Promise<SavedAccount | undefined> {
  try {
    return savedAccount(await client.devAccount(deposits));
  } catch (err) {
    if (err instanceof MatchboxApiError && err.status === 404) return undefined;
    throw err;
  }
}

function savedAccount(a: DevAccount | SavedAccount): SavedAccount {
  return { userId: a.userId, apiKey: a.apiKey, secretKey: a.secretKey };
}

/** Free + locked units of `asset`. */
function held(account: Account, asset: string): number {
  const b = account.balances.find((x) => x.asset === asset);
  return b === undefined ? 0 : SymbolRules.unitsOf(b.free) + SymbolRules.unitsOf(b.locked);
}

/** `fn`'s answer, or undefined when the exchange does not know the key (a fresh exchange, another data dir). */
async function ifAuthenticated<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MatchboxApiError && (err.status === 401 || UNKNOWN_KEY_CODES.includes(err.code))) return undefined;
    throw err;
  }
}

/** Cancels the account's open orders on every symbol (DELETE openOrders per symbol); returns how many. */
async function cancelEverywhere(entry: OrderEntry, symbols: readonly string[], weight: TokenBucket): Promise<number> {
  const answers = await Promise.all(symbols.map(async (s) => {
    while (!weight.tryTake(1)) await new Promise((r) => setTimeout(r, 50));
    return entry.cancelAll(s);
  }));
  return answers.reduce<number>((n, a) => n + (Array.isArray(a) ? a.length : 0), 0);
}

/**
 * Tops a reused faucet account up to `deposits` in every asset where it holds less than half of
 * them, so accounts kept across restarts do not run dry; returns the units added per asset.
 */
async function topUp(client: MatchboxClient, userId: number, account: Account, deposits: Record<string, string>, log: Logger): Promise<Record<string, number>> {
  const added: Record<string, number> = {};
  for (const [asset, amount] of Object.entries(deposits)) {
    const want = SymbolRules.unitsOf(amount);
    const have = held(account, asset);
    if (have * 2 < want) added[asset] = want - have;
  }
  if (Object.keys(added).length === 0) return {};
  try {
    await client.devDeposit(userId, Object.fromEntries(Object.entries(added).map(([a, u]) => [a, SymbolRules.amountOf(u)])));
    log.info({ userId, deposited: Object.keys(added) }, 'topped up a reused account');
    return added;
  } catch (err) {
    if (err instanceof MatchboxApiError && err.status === 404) return {};
    throw err;
  }
}
