import {
  LIMITS, MAX_UNITS,
  type CancelAll, type CancelOrder, type CancelReplace, type Command, type CreateApiKey, type CreateUser, type Deposit,
  type EngineEvent, type MarketConfig, type PlaceOrderFields, type RevokeApiKey, type Withdraw,
} from '@matchbox/domain';
import type { Account, ApiKeyRecord } from './account.ts';
import {
  F_BY_QUOTE, F_LOCKED, Order, SELL, T_LIMIT_MAKER, TIF_GTC, hasLimitPrice, isStopType,
} from './book/order.ts';
import { execute, isWorking, marketBuyCost, marketSellBaseNeeded, open, removeOpenOrder, runTriggers } from './matching.ts';
import type { MarketState } from './market-state.ts';
import { stateHash } from './snapshot-encode.ts';
import { EngineState } from './state.ts';
import { checkOrder, triggersOnRise } from './validate.ts';

const USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * The matching engine: `apply(command, seq, ts) → events`. Pure and deterministic — the same
 * commands with the same seq and ts give byte-identical events and state, which is what makes
 * recovery by snapshot + replay exact.
 */
export class Engine extends EngineState {
  constructor(markets: readonly MarketConfig[]) {
    super(markets);
  }

  apply(cmd: Command, seq: number, ts: number): EngineEvent[] {
    if (seq !== this.lastSeq + 1) throw new Error(`sequence gap: expected ${this.lastSeq + 1}, got ${seq}`);
    this.lastSeq = seq;
    this.lastTs = ts;
    this.ts = ts;
    this.serial++;
    this.out = [];
    // A malformed command is rejected, never thrown: an exception would stop the sequencer.
    if (cmd === null || typeof cmd !== 'object') {
      this.reject('unknown', 0, 'UNSUPPORTED_OPERATION');
      return this.out;
    }
    this.cause = cmd.t;
    switch (cmd.t) {
      case 'place': this.placeOrder(cmd); break;
      case 'cancel': this.cancel(cmd); break;
      case 'cancelAll': this.cancelAll(cmd); break;
      case 'cancelReplace': this.cancelReplace(cmd); break;
      case 'deposit': this.deposit(cmd); break;
      case 'withdraw': this.withdraw(cmd); break;
      case 'createUser': this.createUser(cmd); break;
      case 'createApiKey': this.createApiKey(cmd); break;
      case 'revokeApiKey': this.revokeApiKey(cmd); break;
      default: this.reject(String((cmd as { t?: unknown }).t), 0, 'UNSUPPORTED_OPERATION');
    }
    this.flush();
    return this.out;
  }

  // ---- orders

  private placeOrder(f: PlaceOrderFields, command = 'place'): Order | null {
    const ms = this.marketBySymbol.get(f.symbol);
    const cid = typeof f.clientOrderId === 'string' ? f.clientOrderId : '';
    if (ms === undefined) return this.rejectNull(command, f.userId, 'BAD_SYMBOL', f.symbol, cid);
    const acct = this.accounts.get(f.userId);
    if (acct === undefined) return this.rejectNull(command, f.userId, 'UNKNOWN_USER', f.symbol, cid);
    const c = checkOrder(ms, f);
    if (typeof c === 'string') return this.rejectNull(command, f.userId, c, f.symbol, cid);
    const m = ms.market;
    if (c.clientOrderId !== '' && acct.byClientId.has(c.clientOrderId)) return this.rejectNull(command, f.userId, 'DUPLICATE_ORDER', f.symbol, cid);
    const side = c.flags & 1;
    const isBuy = side !== SELL;
    const stop = isStopType(c.type);
    const canRest = stop || (hasLimitPrice(c.type) && ((c.flags >> 4) & 3) === TIF_GTC);
    if (canRest && acct.openCount[m.index]! >= m.maxNumOrders) return this.rejectNull(command, f.userId, 'FILTER_MAX_NUM_ORDERS', f.symbol, cid);
    if (c.type === T_LIMIT_MAKER && this.wouldTake(ms, isBuy, c.priceTicks)) return this.rejectNull(command, f.userId, 'WOULD_TAKE', f.symbol, cid);

    // Funds: lock what the order can spend, or (market orders funded from free) check up front.
    const byQuote = (c.flags & F_BY_QUOTE) !== 0;
    let lockUnits = 0;
    const lockAsset = isBuy ? ms.quoteIndex : ms.baseIndex;
    if (isBuy && hasLimitPrice(c.type)) lockUnits = c.priceTicks * c.origLots * m.quotePerTickLot;
    else if (isBuy && byQuote) lockUnits = c.origLots;
    else if (!isBuy && !byQuote) lockUnits = c.origLots * m.lotUnits;
    else if (!stop) {
      // Market buy by quantity / sell by quote amount: funded from free at each fill, checked now.
      const need = isBuy ? marketBuyCost(ms, c.origLots) : marketSellBaseNeeded(ms, c.origLots);
      if (need > acct.free[lockAsset]!) return this.rejectNull(command, f.userId, 'INSUFFICIENT_BALANCE', f.symbol, cid);
    }
    if (lockUnits > acct.free[lockAsset]!) return this.rejectNull(command, f.userId, 'INSUFFICIENT_BALANCE', f.symbol, cid);

    const o = new Order(this.nextOrderId++, f.userId, c.flags | (lockUnits > 0 ? F_LOCKED : 0), c.priceTicks, c.stopPriceTicks, c.origLots, c.clientOrderId, this.ts);
    if (byQuote) o.remainingLots = m.maxQtyLots;
    if (lockUnits > 0) {
      this.lock(acct, lockAsset, lockUnits);
      o.lockedUnits = lockUnits;
    }
    this.emitOrder(o, 'NEW', 'NEW', !stop);
    if (stop) {
      ms.stops.add(o, triggersOnRise(c.type, side));
      open(this, acct, o);
      return o;
    }
    execute(this, ms, acct, o);
    runTriggers(this, ms);
    return o;
  }

  private wouldTake(ms: MarketState, isBuy: boolean, priceTicks: number): boolean {
    const best = (isBuy ? ms.asks : ms.bids).best;
    return best !== null && (isBuy ? best.priceTicks <= priceTicks : best.priceTicks >= priceTicks);
  }

  private findOrder(acct: Account, ms: MarketState, orderId: number | undefined, clientOrderId: string | undefined): Order | undefined {
    let o: Order | undefined;
    if (orderId !== undefined) o = this.orders.get(orderId);
    else if (clientOrderId !== undefined && clientOrderId !== '') o = acct.byClientId.get(clientOrderId);
    // Another user's order, or another symbol's, is reported exactly like a missing one.
    if (o === undefined || o.userId !== acct.userId || o.marketIndex !== ms.market.index) return undefined;
    if (orderId !== undefined && clientOrderId !== undefined && clientOrderId !== '' && o.clientOrderId !== clientOrderId) return undefined;
    return o;
  }

  private cancel(cmd: CancelOrder): void {
    const ms = this.marketBySymbol.get(cmd.symbol);
    if (ms === undefined) return this.reject('cancel', cmd.userId, 'BAD_SYMBOL', cmd.symbol, cmd.clientOrderId ?? '');
    const acct = this.accounts.get(cmd.userId);
    const o = acct && this.findOrder(acct, ms, cmd.orderId, cmd.clientOrderId);
    if (o === undefined) return this.reject('cancel', cmd.userId, 'UNKNOWN_ORDER', cmd.symbol, cmd.clientOrderId ?? '');
    removeOpenOrder(this, o, 'CANCELED', 'CANCELED');
  }

  private cancelAll(cmd: CancelAll): void {
    const ms = this.marketBySymbol.get(cmd.symbol);
    if (ms === undefined) return this.reject('cancelAll', cmd.userId, 'BAD_SYMBOL', cmd.symbol);
    const acct = this.accounts.get(cmd.userId);
    const list = acct ? acct.openOrders(ms.market.index) : [];
    if (list.length === 0) return this.reject('cancelAll', cmd.userId, 'UNKNOWN_ORDER', cmd.symbol);
    for (const o of list) removeOpenOrder(this, o, 'CANCELED', 'CANCELED');
  }

  private cancelReplace(cmd: CancelReplace): void {
    const ms = this.marketBySymbol.get(cmd.symbol);
    if (cmd.order === null || typeof cmd.order !== 'object') return this.reject('cancelReplace', cmd.userId, 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', cmd.symbol);
    if (ms === undefined || cmd.order.symbol !== cmd.symbol) return this.reject('cancelReplace', cmd.userId, 'BAD_SYMBOL', cmd.symbol);
    if (cmd.order.userId !== cmd.userId) return this.reject('cancelReplace', cmd.userId, 'UNAUTHORIZED', cmd.symbol);
    const acct = this.accounts.get(cmd.userId);
    const o = acct && this.findOrder(acct, ms, cmd.cancelOrderId, cmd.cancelClientOrderId);
    if (o === undefined) {
      this.reject('cancelReplace', cmd.userId, 'UNKNOWN_ORDER', cmd.symbol, cmd.cancelClientOrderId ?? '');
      if (cmd.mode === 'STOP_ON_FAILURE') return;
    } else {
      removeOpenOrder(this, o, 'CANCELED', 'CANCELED');
    }
    this.placeOrder(cmd.order, 'cancelReplace');
  }

  // ---- funds and accounts

  private deposit(cmd: Deposit): void {
    const acct = this.accounts.get(cmd.userId);
    if (acct === undefined) return this.reject('deposit', cmd.userId, 'UNKNOWN_USER');
    const asset = this.assetIndex.get(cmd.asset);
    if (asset === undefined) return this.reject('deposit', cmd.userId, 'UNKNOWN_ASSET');
    if (!isPositiveUnits(cmd.amountUnits)) return this.reject('deposit', cmd.userId, 'INVALID_AMOUNT');
    if (acct.free[asset]! + acct.locked[asset]! + cmd.amountUnits > MAX_UNITS || this.netDeposits[asset]! + cmd.amountUnits > MAX_UNITS) {
      return this.reject('deposit', cmd.userId, 'BALANCE_OVERFLOW');
    }
    this.credit(acct, asset, cmd.amountUnits);
    this.netDeposits[asset]! += cmd.amountUnits;
  }

  private withdraw(cmd: Withdraw): void {
    const acct = this.accounts.get(cmd.userId);
    if (acct === undefined) return this.reject('withdraw', cmd.userId, 'UNKNOWN_USER');
    const asset = this.assetIndex.get(cmd.asset);
    if (asset === undefined) return this.reject('withdraw', cmd.userId, 'UNKNOWN_ASSET');
    if (!isPositiveUnits(cmd.amountUnits)) return this.reject('withdraw', cmd.userId, 'INVALID_AMOUNT');
    if (acct.free[asset]! < cmd.amountUnits) return this.reject('withdraw', cmd.userId, 'INSUFFICIENT_BALANCE');
    this.debitFree(acct, asset, cmd.amountUnits);
    this.netDeposits[asset]! -= cmd.amountUnits;
  }

  private createUser(cmd: CreateUser): void {
    if (typeof cmd.username !== 'string' || !USERNAME_RE.test(cmd.username)
      || typeof cmd.passwordHash !== 'string' || cmd.passwordHash.length > LIMITS.passwordHashMaxLength) {
      return this.reject('createUser', 0, 'INVALID_PARAMETER');
    }
    if (this.userIdByName.has(cmd.username)) return this.reject('createUser', 0, 'USERNAME_TAKEN');
    const userId = this.nextUserId++;
    this.accounts.set(userId, this.newAccount(userId, cmd.username, cmd.passwordHash));
    this.userIdByName.set(cmd.username, userId);
    this.out.push({ type: 'userCreated', userId, username: cmd.username, passwordHash: cmd.passwordHash });
  }

  private createApiKey(cmd: CreateApiKey): void {
    const acct = this.accounts.get(cmd.userId);
    if (acct === undefined) return this.reject('createApiKey', cmd.userId, 'UNKNOWN_USER');
    const valid = typeof cmd.apiKey === 'string' && /^[A-Za-z0-9]{16,128}$/.test(cmd.apiKey)
      && typeof cmd.secretEnc === 'string' && cmd.secretEnc.length > 0 && cmd.secretEnc.length <= LIMITS.secretEncMaxLength
      && typeof cmd.label === 'string' && cmd.label.length <= LIMITS.labelMaxLength
      && Array.isArray(cmd.permissions) && cmd.permissions.every((p) => p === 'READ' || p === 'TRADE');
    if (!valid) return this.reject('createApiKey', cmd.userId, 'INVALID_PARAMETER');
    if (this.apiKeys.has(cmd.apiKey)) return this.reject('createApiKey', cmd.userId, 'DUPLICATE_API_KEY');
    if (acct.apiKeys.length >= LIMITS.apiKeysPerUser) return this.reject('createApiKey', cmd.userId, 'TOO_MANY_API_KEYS');
    const permissions = [...new Set(cmd.permissions)].sort();
    const rec: ApiKeyRecord = { apiKey: cmd.apiKey, userId: cmd.userId, secretEnc: cmd.secretEnc, permissions, label: cmd.label };
    this.apiKeys.set(cmd.apiKey, rec);
    acct.apiKeys.push(cmd.apiKey);
    this.out.push({ type: 'apiKeyCreated', userId: cmd.userId, apiKey: cmd.apiKey, permissions, label: cmd.label });
  }

  private revokeApiKey(cmd: RevokeApiKey): void {
    const rec = this.apiKeys.get(cmd.apiKey);
    if (rec === undefined || rec.userId !== cmd.userId) return this.reject('revokeApiKey', cmd.userId, 'UNKNOWN_API_KEY');
    this.apiKeys.delete(cmd.apiKey);
    const acct = this.accounts.get(cmd.userId)!;
    acct.apiKeys.splice(acct.apiKeys.indexOf(cmd.apiKey), 1);
    this.out.push({ type: 'apiKeyRevoked', userId: cmd.userId, apiKey: cmd.apiKey });
  }

  private rejectNull(command: string, userId: number, error: Parameters<EngineState['reject']>[2], symbol: string, cid: string): null {
    this.reject(command, userId, error, symbol, cid);
    return null;
  }

  /** Digest of everything that matters: books, accounts, keys, counters. */
  stateHash(): string {
    return stateHash(this);
  }

  // ---- read side (used by the gateway and tests; never on the hot path of apply)

  openOrderCount(): number {
    return this.orders.size;
  }

  order(orderId: number): Order | undefined {
    return this.orders.get(orderId);
  }

  /** Open orders of a user, optionally of one symbol, in placement order. */
  openOrders(userId: number, symbol?: string): Order[] {
    const acct = this.accounts.get(userId);
    if (acct === undefined) return [];
    const markets = symbol === undefined ? this.markets : [this.marketBySymbol.get(symbol)].filter((m): m is MarketState => m !== undefined);
    return markets.flatMap((ms) => acct.openOrders(ms.market.index));
  }

  /** Depth with the book update id it corresponds to: [priceTicks, lots] from the best. */
  depth(symbol: string, limit: number): { lastUpdateId: number; bids: [number, number][]; asks: [number, number][] } | undefined {
    const ms = this.marketBySymbol.get(symbol);
    if (ms === undefined) return undefined;
    const levels = (side: MarketState['bids']): [number, number][] => [...side.fromBest(limit)].map((l) => [l.priceTicks, l.totalLots]);
    return { lastUpdateId: ms.updateId, bids: levels(ms.bids), asks: levels(ms.asks) };
  }

  balances(userId: number): { asset: string; freeUnits: number; lockedUnits: number }[] | undefined {
    const acct = userId === 0 ? this.feeAccount : this.accounts.get(userId);
    if (acct === undefined) return undefined;
    return this.assets.map((asset, i) => ({ asset, freeUnits: acct.free[i]!, lockedUnits: acct.locked[i]! }));
  }

  apiKey(key: string): ApiKeyRecord | undefined {
    return this.apiKeys.get(key);
  }

  market(symbol: string): MarketState | undefined {
    return this.marketBySymbol.get(symbol);
  }

  isWorking(o: Order): boolean {
    return isWorking(o);
  }
}

function isPositiveUnits(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}
