import {
  FEE_ACCOUNT_ID, MAX_UNITS, assetsOf, compileMarket,
  type EngineEvent, type ErrorName, type ExecType, type MarketConfig, type OrderStatus,
} from '@matchbox/domain';
import { Account, type ApiKeyRecord } from './account.ts';
import type { Level } from './book/level.ts';
import { F_BY_QUOTE, F_TRIGGERED, isStopType, type Order } from './book/order.ts';
import { OrderIndex } from './book/order-index.ts';
import { MarketState } from './market-state.ts';


/**
 * Everything the engine knows, plus the per-command scratch used to build events. The engine is a
 * single-threaded state machine: one command at a time, no I/O, no clock (time is `ts`, stamped
 * into the command by the sequencer).
 */
export class EngineState {
  readonly markets: MarketState[] = [];
  readonly marketBySymbol = new Map<string, MarketState>();
  readonly assets: string[];
  readonly assetIndex = new Map<string, number>();
  readonly accounts = new Map<number, Account>();
  readonly feeAccount: Account;
  readonly userIdByName = new Map<string, number>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  /** Open orders (resting and untriggered stops) by id. */
  readonly orders = new OrderIndex();
  /** Trigger time of stop orders that have triggered and are still open (others work from creation). */
  readonly triggeredAt = new Map<number, number>();
  /** Per asset: deposits minus withdrawals, the right-hand side of the conservation invariant. */
  readonly netDeposits: number[];
  nextOrderId = 1;
  nextUserId = 1;
  lastSeq = 0;
  lastTs = 0;

  // Per-command scratch.
  ts = 0;
  serial = 0;
  cause = '';
  out: EngineEvent[] = [];
  // Scratch lists with explicit counts: slots are overwritten, never truncated (cheaper in V8).
  private readonly touchedAccounts: Account[] = [];
  private readonly touchedAssets: number[] = [];
  private touchedCount = 0;
  private readonly dirtyMarkets: MarketState[] = [];
  private dirtyMarketCount = 0;

  constructor(readonly marketConfigs: readonly MarketConfig[]) {
    if (marketConfigs.length === 0) throw new Error('at least one market is required');
    this.assets = assetsOf(marketConfigs);
    this.assets.forEach((a, i) => this.assetIndex.set(a, i));
    marketConfigs.forEach((cfg, i) => {
      if (this.marketBySymbol.has(cfg.symbol)) throw new Error(`duplicate market ${cfg.symbol}`);
      const ms = new MarketState(compileMarket(cfg, i), this.assetIndex.get(cfg.baseAsset)!, this.assetIndex.get(cfg.quoteAsset)!);
      this.markets.push(ms);
      this.marketBySymbol.set(cfg.symbol, ms);
    });
    this.netDeposits = new Array<number>(this.assets.length).fill(0);
    this.feeAccount = new Account(FEE_ACCOUNT_ID, '', '', this.assets.length, this.markets.length);
  }

  newAccount(userId: number, username: string, passwordHash: string): Account {
    return new Account(userId, username, passwordHash, this.assets.length, this.markets.length);
  }

  // ---- balances: every movement goes through these so change tracking and checks are central.

  private touch(acct: Account, asset: number): void {
    if (acct.stamp[asset] !== this.serial) {
      acct.stamp[asset] = this.serial;
      acct.free0[asset] = acct.free[asset]!;
      acct.locked0[asset] = acct.locked[asset]!;
      this.touchedAccounts[this.touchedCount] = acct;
      this.touchedAssets[this.touchedCount++] = asset;
    }
  }

  credit(acct: Account, asset: number, units: number): void {
    this.touch(acct, asset);
    const v = acct.free[asset]! + units;
    if (v > MAX_UNITS) throw new Error(`balance overflow: user ${acct.userId} asset ${asset}`);
    acct.free[asset] = v;
  }

  debitFree(acct: Account, asset: number, units: number): void {
    this.touch(acct, asset);
    const v = acct.free[asset]! - units;
    if (v < 0) throw new Error(`negative free balance: user ${acct.userId} asset ${asset}`);
    acct.free[asset] = v;
  }

  lock(acct: Account, asset: number, units: number): void {
    this.touch(acct, asset);
    const v = acct.free[asset]! - units;
    if (v < 0) throw new Error(`lock beyond free balance: user ${acct.userId} asset ${asset}`);
    acct.free[asset] = v;
    acct.locked[asset]! += units;
  }

  /** Moves locked back to free. */
  unlock(acct: Account, asset: number, units: number): void {
    this.touch(acct, asset);
    const v = acct.locked[asset]! - units;
    if (v < 0) throw new Error(`unlock beyond locked balance: user ${acct.userId} asset ${asset}`);
    acct.locked[asset] = v;
    acct.free[asset]! += units;
  }

  /** Spends from locked (the units leave this account). */
  debitLocked(acct: Account, asset: number, units: number): void {
    this.touch(acct, asset);
    const v = acct.locked[asset]! - units;
    if (v < 0) throw new Error(`spend beyond locked balance: user ${acct.userId} asset ${asset}`);
    acct.locked[asset] = v;
  }

  // ---- depth change tracking

  markLevel(ms: MarketState, level: Level, isBid: boolean): void {
    if (level.stamp === this.serial) return;
    level.stamp = this.serial;
    level.startLots = level.totalLots;
    if (ms.dirtyStamp !== this.serial) {
      ms.dirtyStamp = this.serial;
      this.dirtyMarkets[this.dirtyMarketCount++] = ms;
    }
    if (isBid) ms.dirtyBids[ms.dirtyBidCount++] = level;
    else ms.dirtyAsks[ms.dirtyAskCount++] = level;
  }

  // ---- events

  reject(command: string, userId: number, error: ErrorName, symbol = '', clientOrderId = ''): void {
    this.out.push({ type: 'rejected', command, userId, error, symbol, clientOrderId });
  }

  emitOrder(o: Order, execType: ExecType, status: OrderStatus, isWorking: boolean): void {
    this.pushOrder(o, execType, status, isWorking, 0, 0, 0, 0, false, 0, '', 0, 0, 0);
  }

  pushOrder(
    o: Order, execType: ExecType, status: OrderStatus, isWorking: boolean,
    lastLots: number, lastPriceTicks: number, lastQuoteUnits: number, tradeId: number, isMaker: boolean,
    commissionUnits: number, commissionAsset: string, preventedMatchId: number, preventedLots: number, counterOrderId: number,
  ): void {
    const ms = this.markets[o.marketIndex]!;
    const byQuote = (o.flags & F_BY_QUOTE) !== 0;
    this.out.push({
      type: 'order', userId: o.userId, symbol: ms.market.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId,
      side: o.sideName, orderType: o.typeName, timeInForce: o.tifName, stpMode: o.stpName,
      priceTicks: o.priceTicks, stopPriceTicks: o.stopPriceTicks,
      origQtyLots: byQuote ? o.executedLots : o.origLots, origQuoteUnits: byQuote ? o.origLots : 0,
      execType, status, executedLots: o.executedLots, cumQuoteUnits: o.cumQuoteUnits,
      lastLots, lastPriceTicks, lastQuoteUnits, tradeId, isMaker, commissionUnits, commissionAsset,
      isWorking, createdTs: o.createdTs, workingTs: this.workingTs(o), preventedMatchId, preventedLots, counterOrderId,
    });
  }

  /** When an order started working: its creation, its trigger for stops, -1 before that. */
  workingTs(o: Order): number {
    if (!isStopType(o.typeCode)) return o.createdTs;
    return (o.flags & F_TRIGGERED) === 0 ? -1 : this.triggeredAt.get(o.orderId) ?? this.ts;
  }

  /** Ends a command: one depth event per changed market, one balance event per touched balance. */
  flush(): void {
    const out = this.out;
    for (let m = 0; m < this.dirtyMarketCount; m++) {
      const ms = this.dirtyMarkets[m]!;
      const bids = changedLevels(ms.dirtyBids, ms.dirtyBidCount);
      const asks = changedLevels(ms.dirtyAsks, ms.dirtyAskCount);
      ms.dirtyBidCount = 0;
      ms.dirtyAskCount = 0;
      if (bids.length + asks.length > 0) {
        ms.updateId++;
        out.push({ type: 'depth', symbol: ms.market.symbol, updateId: ms.updateId, bids, asks });
      }
    }
    this.dirtyMarketCount = 0;
    const accts = this.touchedAccounts;
    const assets = this.touchedAssets;
    for (let i = 0; i < this.touchedCount; i++) {
      const a = accts[i]!;
      const asset = assets[i]!;
      const dFree = a.free[asset]! - a.free0[asset]!;
      const dLocked = a.locked[asset]! - a.locked0[asset]!;
      if (dFree !== 0 || dLocked !== 0) {
        out.push({
          type: 'balance', userId: a.userId, asset: this.assets[asset]!, freeUnits: a.free[asset]!, lockedUnits: a.locked[asset]!,
          deltaFreeUnits: dFree, deltaLockedUnits: dLocked, cause: this.cause,
        });
      }
    }
    this.touchedCount = 0;
  }
}

function changedLevels(levels: Level[], count: number): number[] {
  const flat: number[] = [];
  for (let i = 0; i < count; i++) {
    const l = levels[i]!;
    if (l.totalLots !== l.startLots) flat.push(l.priceTicks, l.totalLots);
  }
  return flat;
}
