import type {
  ApiKeyCreatedEvent, BalanceEvent, EngineEvent, MarketConfig, OrderEvent, TradeEvent, UserCreatedEvent,
} from '@matchbox/domain';
import { CandleAccumulator } from './candle-accumulator.ts';

export type Cell = string | number | boolean | null;

/** Rows of one table as plain objects keyed by column name, written with json_populate_recordset. */
export class Rows<Name extends string> {
  readonly rows: Record<Name, Cell>[] = [];
  push(row: Record<Name, Cell>): void {
    this.rows.push(row);
  }
  get length(): number {
    return this.rows.length;
  }
}

export const ORDER_EVENT_COLS = [
  'seq', 'idx', 'ts', 'user_id', 'symbol', 'order_id', 'client_order_id', 'side', 'order_type', 'time_in_force', 'stp_mode',
  'price_ticks', 'stop_price_ticks', 'orig_qty_lots', 'orig_quote_units', 'exec_type', 'status', 'executed_lots',
  'cum_quote_units', 'last_lots', 'last_price_ticks', 'last_quote_units', 'trade_id', 'is_maker', 'commission_units',
  'commission_asset', 'is_working', 'created_ts', 'working_ts', 'prevented_match_id', 'prevented_lots', 'counter_order_id',
] as const;
const ORDER_COLS = [
  'order_id', 'user_id', 'symbol', 'client_order_id', 'side', 'order_type', 'time_in_force', 'stp_mode', 'price_ticks',
  'stop_price_ticks', 'orig_qty_lots', 'orig_quote_units', 'status', 'is_open', 'is_working', 'executed_lots',
  'cum_quote_units', 'created_ts', 'working_ts', 'update_ts', 'update_seq', 'update_idx',
] as const;
export const TRADE_COLS = [
  'symbol', 'trade_id', 'seq', 'ts', 'price_ticks', 'qty_lots', 'quote_units', 'buyer_user_id', 'seller_user_id',
  'buyer_order_id', 'seller_order_id', 'buyer_is_maker', 'buyer_fee_units', 'seller_fee_units', 'agg_id',
] as const;
export const AGG_COLS = ['symbol', 'agg_id', 'last_trade_id', 'ts', 'price_ticks', 'qty_lots', 'buyer_is_maker'] as const;
export const USER_TRADE_COLS = [
  'user_id', 'symbol', 'trade_id', 'is_buyer', 'order_id', 'is_maker', 'ts', 'price_ticks', 'qty_lots', 'quote_units',
  'commission_units', 'commission_asset',
] as const;
export const LEDGER_COLS = [
  'seq', 'idx', 'ts', 'user_id', 'asset', 'free_units', 'locked_units', 'delta_free_units', 'delta_locked_units', 'cause',
] as const;
const BALANCE_COLS = ['user_id', 'asset', 'free_units', 'locked_units', 'update_seq', 'update_idx'] as const;
export const USER_COLS = ['user_id', 'username', 'password_hash', 'created_seq', 'created_ts'] as const;
const API_KEY_COLS = ['api_key', 'user_id', 'permissions', 'label', 'created_seq', 'created_ts', 'revoked_seq'] as const;

export type OrderEventCol = (typeof ORDER_EVENT_COLS)[number];
export type OrderCol = (typeof ORDER_COLS)[number];

interface AggTrade { symbol: string; aggId: number; lastTradeId: number; ts: number; priceTicks: number; qtyLots: number; buyerIsMaker: boolean; takerOrderId: number }

/**
 * The rows one projector transaction writes, built from decoded events in log order. Rows that
 * hold a current state (orders, balances) keep only the newest change per key, because one
 * INSERT … ON CONFLICT DO UPDATE may touch a row only once.
 */
export class ProjectionBatch {
  readonly orderEvents = new Rows<(typeof ORDER_EVENT_COLS)[number]>();
  readonly trades = new Rows<(typeof TRADE_COLS)[number]>();
  readonly aggTrades = new Rows<(typeof AGG_COLS)[number]>();
  readonly userTrades = new Rows<(typeof USER_TRADE_COLS)[number]>();
  readonly ledger = new Rows<(typeof LEDGER_COLS)[number]>();
  readonly users = new Rows<(typeof USER_COLS)[number]>();
  readonly candles = new CandleAccumulator();
  readonly orders = new Map<number, Record<OrderCol, Cell>>();
  readonly balances = new Map<string, Record<(typeof BALANCE_COLS)[number], Cell>>();
  readonly apiKeys = new Map<string, Record<(typeof API_KEY_COLS)[number], Cell>>();
  /** Keys revoked in this batch that were created in an earlier one: api key → revoking seq. */
  readonly revokedKeys = new Map<string, number>();
  events = 0;
  private currentAgg: AggTrade | null = null;

  constructor(private readonly marketsBySymbol: ReadonlyMap<string, MarketConfig>) {}

  static readonly orderCols = ORDER_COLS;
  static readonly balanceCols = BALANCE_COLS;
  static readonly apiKeyCols = API_KEY_COLS;

  /** Adds the events of one command. */
  addCommand(seq: number, ts: number, events: readonly EngineEvent[]): void {
    this.closeAgg();
    for (let idx = 0; idx < events.length; idx++) {
      const e = events[idx]!;
      switch (e.type) {
        case 'order': this.addOrder(seq, idx, ts, e); break;
        case 'trade': this.addTrade(seq, e); break;
        case 'balance': this.addBalance(seq, idx, ts, e); break;
        case 'userCreated': this.addUser(seq, ts, e); break;
        case 'apiKeyCreated': this.addApiKey(seq, ts, e); break;
        case 'apiKeyRevoked': {
          const pending = this.apiKeys.get(e.apiKey);
          if (pending !== undefined) pending.revoked_seq = seq;
          else this.revokedKeys.set(e.apiKey, seq);
          break;
        }
        // Depth is served live from the engine's book; rejections are answered synchronously.
        case 'depth': case 'rejected': break;
      }
    }
    this.events += events.length;
    this.closeAgg();
  }

  private addOrder(seq: number, idx: number, ts: number, e: OrderEvent): void {
    this.orderEvents.push({
      seq, idx, ts, user_id: e.userId, symbol: e.symbol, order_id: e.orderId, client_order_id: e.clientOrderId,
      side: e.side, order_type: e.orderType, time_in_force: e.timeInForce, stp_mode: e.stpMode,
      price_ticks: e.priceTicks, stop_price_ticks: e.stopPriceTicks, orig_qty_lots: e.origQtyLots,
      orig_quote_units: e.origQuoteUnits, exec_type: e.execType, status: e.status, executed_lots: e.executedLots,
      cum_quote_units: e.cumQuoteUnits, last_lots: e.lastLots, last_price_ticks: e.lastPriceTicks,
      last_quote_units: e.lastQuoteUnits, trade_id: e.tradeId, is_maker: e.isMaker, commission_units: e.commissionUnits,
      commission_asset: e.commissionAsset, is_working: e.isWorking, created_ts: e.createdTs, working_ts: e.workingTs,
      prevented_match_id: e.preventedMatchId, prevented_lots: e.preventedLots, counter_order_id: e.counterOrderId,
    });
    this.orders.set(e.orderId, {
      order_id: e.orderId, user_id: e.userId, symbol: e.symbol, client_order_id: e.clientOrderId, side: e.side,
      order_type: e.orderType, time_in_force: e.timeInForce, stp_mode: e.stpMode, price_ticks: e.priceTicks,
      stop_price_ticks: e.stopPriceTicks, orig_qty_lots: e.origQtyLots, orig_quote_units: e.origQuoteUnits,
      status: e.status, is_open: e.status === 'NEW' || e.status === 'PARTIALLY_FILLED', is_working: e.isWorking,
      executed_lots: e.executedLots, cum_quote_units: e.cumQuoteUnits, created_ts: e.createdTs, working_ts: e.workingTs,
      update_ts: ts, update_seq: seq, update_idx: idx,
    });
  }

  private addTrade(seq: number, t: TradeEvent): void {
    const m = this.marketsBySymbol.get(t.symbol);
    if (m === undefined) throw new Error(`trade on unknown symbol ${t.symbol} at seq ${seq}`);
    const takerOrderId = t.buyerIsMaker ? t.sellerOrderId : t.buyerOrderId;
    const a = this.currentAgg;
    if (a !== null && a.symbol === t.symbol && a.takerOrderId === takerOrderId && a.priceTicks === t.priceTicks && a.lastTradeId + 1 === t.tradeId) {
      a.lastTradeId = t.tradeId;
      a.qtyLots += t.qtyLots;
    } else {
      this.closeAgg();
      this.currentAgg = {
        symbol: t.symbol, aggId: t.tradeId, lastTradeId: t.tradeId, ts: t.ts, priceTicks: t.priceTicks, qtyLots: t.qtyLots,
        buyerIsMaker: t.buyerIsMaker, takerOrderId,
      };
    }
    this.trades.push({
      symbol: t.symbol, trade_id: t.tradeId, seq, ts: t.ts, price_ticks: t.priceTicks, qty_lots: t.qtyLots,
      quote_units: t.quoteUnits, buyer_user_id: t.buyerUserId, seller_user_id: t.sellerUserId,
      buyer_order_id: t.buyerOrderId, seller_order_id: t.sellerOrderId, buyer_is_maker: t.buyerIsMaker,
      buyer_fee_units: t.buyerFeeUnits, seller_fee_units: t.sellerFeeUnits, agg_id: this.currentAgg!.aggId,
    });
    const common = { symbol: t.symbol, trade_id: t.tradeId, ts: t.ts, price_ticks: t.priceTicks, qty_lots: t.qtyLots, quote_units: t.quoteUnits };
    this.userTrades.push({
      ...common, user_id: t.buyerUserId, is_buyer: true, order_id: t.buyerOrderId, is_maker: t.buyerIsMaker,
      commission_units: t.buyerFeeUnits, commission_asset: m.baseAsset,
    });
    this.userTrades.push({
      ...common, user_id: t.sellerUserId, is_buyer: false, order_id: t.sellerOrderId, is_maker: !t.buyerIsMaker,
      commission_units: t.sellerFeeUnits, commission_asset: m.quoteAsset,
    });
    this.candles.add(t);
  }

  private closeAgg(): void {
    const a = this.currentAgg;
    if (a === null) return;
    this.aggTrades.push({
      symbol: a.symbol, agg_id: a.aggId, last_trade_id: a.lastTradeId, ts: a.ts, price_ticks: a.priceTicks,
      qty_lots: a.qtyLots, buyer_is_maker: a.buyerIsMaker,
    });
    this.currentAgg = null;
  }

  private addBalance(seq: number, idx: number, ts: number, e: BalanceEvent): void {
    this.ledger.push({
      seq, idx, ts, user_id: e.userId, asset: e.asset, free_units: e.freeUnits, locked_units: e.lockedUnits,
      delta_free_units: e.deltaFreeUnits, delta_locked_units: e.deltaLockedUnits, cause: e.cause,
    });
    this.balances.set(`${e.userId}|${e.asset}`, {
      user_id: e.userId, asset: e.asset, free_units: e.freeUnits, locked_units: e.lockedUnits, update_seq: seq, update_idx: idx,
    });
  }

  private addUser(seq: number, ts: number, e: UserCreatedEvent): void {
    this.users.push({ user_id: e.userId, username: e.username, password_hash: e.passwordHash, created_seq: seq, created_ts: ts });
  }

  private addApiKey(seq: number, ts: number, e: ApiKeyCreatedEvent): void {
    // A key can be created again after a revoke: the newest creation is the current row.
    this.apiKeys.set(e.apiKey, {
      api_key: e.apiKey, user_id: e.userId, permissions: e.permissions.join(','), label: e.label,
      created_seq: seq, created_ts: ts, revoked_seq: null,
    });
  }

  /** Rows this batch will write (current-state upserts and candles included). */
  get rowCount(): number {
    return this.orderEvents.length + this.trades.length + this.aggTrades.length + this.userTrades.length + this.ledger.length
      + this.users.length + this.orders.size + this.balances.size + this.apiKeys.size + this.revokedKeys.size + this.candles.size;
  }
}
