import type { MarketConfig } from '@matchbox/domain';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { balances, ledger, myTrades, type BalanceView, type LedgerEntry, type MyTrade, type MyTradesQuery } from './account.ts';
import { klines, type KlineRow, type KlinesQuery } from './klines.ts';
import { MarketFormats } from './market-format.ts';
import { allOrders, findOrder, openOrders, type AllOrdersQuery, type OrderLookup, type OrderView } from './orders.ts';
import { ticker24h, type TradeTicker } from './ticker.ts';
import { aggTrades, recentTrades, type AggTrade, type AggTradesQuery, type PublicTrade } from './trades.ts';

/** The store's read models in one place, as the gateway uses them. Answers are Binance-shaped. */
export class HistoryReader {
  readonly formats: MarketFormats;
  constructor(private readonly db: SqlExecutor, readonly markets: readonly MarketConfig[]) {
    this.formats = new MarketFormats(markets);
  }

  klines(q: KlinesQuery): Promise<KlineRow[]> { return klines(this.db, this.formats, q); }
  trades(q: { symbol: string; limit?: number; fromId?: number }): Promise<PublicTrade[]> { return recentTrades(this.db, this.formats, q); }
  aggTrades(q: AggTradesQuery): Promise<AggTrade[]> { return aggTrades(this.db, this.formats, q); }
  ticker24h(symbol: string, nowMs: number): Promise<TradeTicker> { return ticker24h(this.db, this.formats, symbol, nowMs); }
  order(q: OrderLookup): Promise<OrderView | null> { return findOrder(this.db, this.formats, q); }
  allOrders(q: AllOrdersQuery): Promise<OrderView[]> { return allOrders(this.db, this.formats, q); }
  openOrders(q: { userId: number; symbol?: string }): Promise<OrderView[]> { return openOrders(this.db, this.formats, q); }
  myTrades(q: MyTradesQuery): Promise<MyTrade[]> { return myTrades(this.db, this.formats, q); }
  balances(userId: number): Promise<BalanceView[]> { return balances(this.db, userId); }
  ledger(q: { userId: number; asset?: string; beforeSeq?: number; limit?: number }): Promise<LedgerEntry[]> { return ledger(this.db, q); }

  async apiKey(apiKey: string): Promise<{ userId: number; permissions: string[]; label: string; revoked: boolean } | null> {
    const rows = await this.db.query<{ user_id: number; permissions: string; label: string; revoked_seq: number | null }>(
      'SELECT user_id, permissions, label, revoked_seq FROM api_keys WHERE api_key = $1', [apiKey]);
    const r = rows[0];
    return r === undefined ? null : { userId: r.user_id, permissions: r.permissions === '' ? [] : r.permissions.split(','), label: r.label, revoked: r.revoked_seq !== null };
  }
}
