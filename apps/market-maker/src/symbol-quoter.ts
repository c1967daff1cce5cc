import { MatchboxApiError, SymbolRules, type MatchboxClient } from '@matchbox/client';
import type { OrderEntry } from './order-entry.ts';
import type { Logger } from 'pino';
import type { TokenBucket } from './budget.ts';
import { desiredQuotes, reconcile, type Quote, type Resting } from './ladder.ts';
import { Prng } from '@matchbox/domain';
import { ReferencePrice } from './random-walk.ts';
import type { MakerConfig } from './config.ts';

export interface QuoterStats {
  placed: number;
  canceled: number;
  rejected: number;
  takerOrders: number;
  takerFilledLots: number;
  skippedForBudget: number;
}

export interface QuoterDeps {
  readonly rules: SymbolRules;
  /** The maker's own account, over REST or the WebSocket API. */
  readonly maker: OrderEntry;
  /** A second account for taker flow (never the maker's: self-trade prevention would expire quotes). */
  readonly taker: MatchboxClient | undefined;
  readonly config: MakerConfig;
  readonly startTicks: number;
  /** Base units the maker holds at the start: inventory is measured against it. */
  readonly targetBaseUnits: number;
  readonly weight: TokenBucket;
  readonly orders: TokenBucket;
  readonly rng: Prng;
  readonly log: Logger;
}

const OPEN_ORDERS_WEIGHT = 6;
const ACCOUNT_WEIGHT = 20;
const ORDER_WEIGHT = 1;

/** Quotes one symbol: random-walk reference, a skewed ladder, reconciliation against open orders, taker flow. */
export class SymbolQuoter {
  readonly stats: QuoterStats = { placed: 0, canceled: 0, rejected: 0, takerOrders: 0, takerFilledLots: 0, skippedForBudget: 0 };
  readonly reference: ReferencePrice;
  private inventoryUnits = 0;
  private cycles = 0;
  private ladderUp = false;
  private readonly stepTicks: number;
  private readonly halfSpreadTicks: number;
  private readonly maxInventoryUnits: number;

  constructor(private readonly d: QuoterDeps) {
    const r = d.rules;
    this.reference = new ReferencePrice(d.startTicks, d.config.volatilityBps, r.minPriceTicks, r.maxPriceTicks, d.rng);
    this.stepTicks = Math.max(1, Math.floor((d.startTicks * d.config.stepBps) / 10_000));
    this.halfSpreadTicks = Math.max(1, Math.floor((d.startTicks * d.config.spreadBps) / 20_000));
    // Inventory limit: the base bought by filling every bid level twice.
    const perLevelLots = Math.max(r.minLotsAt(d.startTicks), Math.floor(d.config.levelNotionalUnits / Math.max(1, r.notionalUnits(d.startTicks, 1))));
    this.maxInventoryUnits = 2 * d.config.levels * perLevelLots * r.lotUnits;
  }

  get symbol(): string {
    return this.d.rules.symbol;
  }

  /** One quoting round: move the reference, refresh inventory now and then, reconcile the ladder. */
  async cycle(dtMs: number): Promise<void> {
    const { rules, maker, config } = this.d;
    this.reference.step(dtMs);
    if (this.cycles++ % config.inventoryEveryCycles === 0 && this.d.weight.tryTake(ACCOUNT_WEIGHT)) await this.refreshInventory();
    if (!this.d.weight.tryTake(OPEN_ORDERS_WEIGHT)) {
      this.stats.skippedForBudget++;
      return;
    }
    const fetched = await this.call(() => maker.openOrders(rules.symbol));
    const open: Resting[] = (fetched ?? []).map((o) => ({ orderId: o.orderId, side: o.side, priceTicks: rules.ticksOf(o.price) }));
    const ratio = Math.max(-1, Math.min(1, this.inventoryUnits / this.maxInventoryUnits));
    const wanted = desiredQuotes(this.reference.priceTicks, {
      levels: config.levels, halfSpreadTicks: this.halfSpreadTicks, stepTicks: this.stepTicks, levelNotionalUnits: config.levelNotionalUnits,
      skewTicks: Math.round(ratio * 2 * this.halfSpreadTicks), quoteBids: ratio < 1, quoteAsks: ratio > -1,
    }, rules);
    const { cancel, place } = reconcile(open, wanted);
    // Cancels first: they free funds and cost no order count.
    await Promise.all(cancel.map((o) => this.cancel(o)));
    const placed = await Promise.all(place.map((q) => this.place(q)));
    // Every wanted quote is resting (or the exchange refused it, e.g. post-only against an order inside the ladder).
    if (fetched !== undefined && placed.every((p) => p !== 'skipped')) this.ladderUp = true;
  }

  /** True once a cycle has put the whole ladder on the book; the taker loop waits for it. */
  get quoting(): boolean {
    return this.ladderUp;
  }

  /**
   * One taker order on a random side: LIMIT IOC at the reference ± `takerBandBps`, so trades,
   * tickers and candles move but only against liquidity near the reference. (A MARKET order
   * would sweep whatever rests, e.g. a user's bid 10% below the market while the book is thin.)
   */
  async takerTick(): Promise<void> {
    const { rules, taker, config, rng } = this.d;
    if (taker === undefined || !this.d.weight.tryTake(ORDER_WEIGHT)) return;
    const side = rng.next() < 0.5 ? 'BUY' : 'SELL';
    const ref = this.reference.priceTicks;
    const band = Math.max(1, Math.floor((ref * config.takerBandBps) / 10_000));
    const limit = side === 'BUY' ? Math.min(rules.maxPriceTicks, ref + band) : Math.max(rules.minPriceTicks, ref - band);
    const perLot = Math.max(1, rules.notionalUnits(limit, 1));
    const minLots = rules.minLotsAt(limit);
    const lots = rng.int(minLots, Math.max(minLots, Math.floor(config.takerNotionalUnits / perLot)));
    const r = await this.call(() => taker.newOrder({
      symbol: rules.symbol, side, type: 'LIMIT', timeInForce: 'IOC', price: rules.priceOf(limit), quantity: rules.qtyOf(lots), newOrderRespType: 'RESULT',
    }));
    this.stats.takerOrders++;
    if (r !== undefined) this.stats.takerFilledLots += rules.lotsOf(r.executedQty);
  }

  /** Cancels everything this maker has on the symbol (shutdown). */
  async cancelAll(): Promise<void> {
    await this.call(() => this.d.maker.cancelAll(this.d.rules.symbol));
    await this.d.maker.close();
  }

  /** Closes the maker's connection and leaves its quotes on the book. */
  async close(): Promise<void> {
    await this.d.maker.close();
  }

  private async refreshInventory(): Promise<void> {
    const acc = await this.call(() => this.d.maker.account());
    const b = acc?.balances.find((x) => x.asset === this.d.rules.baseAsset);
    if (b !== undefined) this.inventoryUnits = SymbolRules.unitsOf(b.free) + SymbolRules.unitsOf(b.locked) - this.d.targetBaseUnits;
  }

  private async cancel(o: Resting): Promise<void> {
    if (!this.d.weight.tryTake(ORDER_WEIGHT)) {
      this.stats.skippedForBudget++;
      return;
    }
    if (await this.call(() => this.d.maker.cancelOrder(this.d.rules.symbol, o.orderId), [-2011, -2013]) !== undefined) this.stats.canceled++;
  }

  private async place(q: Quote): Promise<'placed' | 'rejected' | 'skipped'> {
    if (!this.d.orders.tryTake(1) || !this.d.weight.tryTake(ORDER_WEIGHT)) {
      this.stats.skippedForBudget++;
      return 'skipped';
    }
    const { rules } = this.d;
    const r = await this.call(() => this.d.maker.newOrder({
      // Post-only: the maker never takes, also when someone else's order sits inside its ladder.
      symbol: rules.symbol, side: q.side, type: 'LIMIT_MAKER', price: rules.priceOf(q.priceTicks), quantity: rules.qtyOf(q.lots), newOrderRespType: 'ACK',
    }), [-2010]);
    if (r === undefined) this.stats.rejected++;
    else this.stats.placed++;
    return r === undefined ? 'rejected' : 'placed';
  }

  /**
   * Runs a request; API errors are logged and return undefined (the next cycle reconciles).
   * Rate-limit answers pause the weight bucket for Retry-After. `quiet` codes are expected races.
   */
  private async call<T>(fn: () => Promise<T>, quiet: readonly number[] = []): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MatchboxApiError) {
        if (err.isRateLimited) {
          this.d.weight.drainUntil(Date.now() + (err.retryAfterSec ?? 5) * 1000);
          this.d.log.warn({ symbol: this.symbol, code: err.code, retryAfterSec: err.retryAfterSec }, 'rate limited: pausing');
        } else if (!quiet.includes(err.code)) {
          this.d.log.warn({ symbol: this.symbol, status: err.status, code: err.code, msg: err.msg }, 'request rejected');
        }
        return undefined;
      }
      this.d.log.error({ symbol: this.symbol, err: (err as Error).message }, 'request failed');
      return undefined;
    }
  }
}
