import type { SqlExecutor, SqlParam } from '../driver/sql-driver.ts';
import type { Candle } from './candle-accumulator.ts';
import { Columns, ProjectionBatch } from './projection-batch.ts';

const TEXT_COLS = new Set([
  'symbol', 'client_order_id', 'side', 'order_type', 'time_in_force', 'stp_mode', 'exec_type', 'status', 'commission_asset',
  'asset', 'cause', 'username', 'password_hash', 'api_key', 'permissions', 'label', 'interval',
]);
const INT_COLS = new Set(['idx', 'update_idx']);
const BOOL_COLS = new Set(['is_maker', 'is_working', 'is_open', 'is_buyer', 'buyer_is_maker']);

/** SQL array type of a projection column; everything not listed is a BIGINT id, amount or time. */
function sqlType(col: string): string {
  if (TEXT_COLS.has(col)) return 'text[]';
  if (INT_COLS.has(col)) return 'int[]';
  if (BOOL_COLS.has(col)) return 'boolean[]';
  return 'bigint[]';
}

function unnestInsert(table: string, names: readonly string[], onConflict: string): string {
  const params = names.map((n, i) => `$${i + 1}::${sqlType(n)}`).join(', ');
  return `INSERT INTO ${table} AS t (${names.join(', ')}) SELECT * FROM unnest(${params}) ${onConflict}`;
}

async function insertColumns<N extends string>(tx: SqlExecutor, table: string, c: Columns<N>, onConflict = 'ON CONFLICT DO NOTHING'): Promise<void> {
  if (c.length === 0) return;
  await tx.query(unnestInsert(table, c.names, onConflict), c.arrays() as SqlParam[]);
}

async function upsertRows<N extends string>(
  tx: SqlExecutor, table: string, names: readonly N[], rows: Iterable<Record<N, string | number | boolean | null>>, onConflict: string,
): Promise<void> {
  const c = new Columns(names);
  for (const r of rows) c.push(r);
  await insertColumns(tx, table, c, onConflict);
}

const ORDER_UPSERT = `ON CONFLICT (order_id) DO UPDATE SET ${
  ProjectionBatch.orderCols.filter((c) => c !== 'order_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')
} WHERE (t.update_seq, t.update_idx) < (EXCLUDED.update_seq, EXCLUDED.update_idx)`;

const BALANCE_UPSERT = `ON CONFLICT (user_id, asset) DO UPDATE SET free_units = EXCLUDED.free_units,
  locked_units = EXCLUDED.locked_units, update_seq = EXCLUDED.update_seq, update_idx = EXCLUDED.update_idx
  WHERE (t.update_seq, t.update_idx) < (EXCLUDED.update_seq, EXCLUDED.update_idx)`;

const API_KEY_UPSERT = `ON CONFLICT (api_key) DO UPDATE SET ${
  ProjectionBatch.apiKeyCols.filter((c) => c !== 'api_key').map((c) => `${c} = EXCLUDED.${c}`).join(', ')
} WHERE t.created_seq < EXCLUDED.created_seq`;

const CANDLE_COLS = [
  'symbol', 'interval', 'open_time', 'close_time', 'open_ticks', 'high_ticks', 'low_ticks', 'close_ticks', 'volume_lots',
  'quote_units', 'trades', 'taker_buy_lots', 'taker_buy_quote_units', 'first_trade_id', 'last_trade_id',
] as const;

/**
 * Merges partial candles into the stored ones. The WHERE makes the merge idempotent: a partial
 * whose first trade is not newer than the stored candle's last trade was already counted.
 */
const CANDLE_MERGE = `INSERT INTO candles AS t (${CANDLE_COLS.join(', ')})
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
    $8::bigint[], $9::numeric[], $10::numeric[], $11::bigint[], $12::numeric[], $13::numeric[], $14::bigint[], $15::bigint[])
  ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
    high_ticks = GREATEST(t.high_ticks, EXCLUDED.high_ticks),
    low_ticks = LEAST(t.low_ticks, EXCLUDED.low_ticks),
    close_ticks = EXCLUDED.close_ticks,
    volume_lots = t.volume_lots + EXCLUDED.volume_lots,
    quote_units = t.quote_units + EXCLUDED.quote_units,
    trades = t.trades + EXCLUDED.trades,
    taker_buy_lots = t.taker_buy_lots + EXCLUDED.taker_buy_lots,
    taker_buy_quote_units = t.taker_buy_quote_units + EXCLUDED.taker_buy_quote_units,
    last_trade_id = EXCLUDED.last_trade_id
  WHERE t.last_trade_id < EXCLUDED.first_trade_id`;

async function mergeCandles(tx: SqlExecutor, candles: readonly Candle[]): Promise<void> {
  if (candles.length === 0) return;
  const cols: (string | number)[][] = CANDLE_COLS.map(() => []);
  for (const c of candles) {
    const row = [c.symbol, c.interval, c.openTime, c.closeTime, c.openTicks, c.highTicks, c.lowTicks, c.closeTicks,
      c.volumeLots.toString(), c.quoteUnits.toString(), c.trades, c.takerBuyLots.toString(), c.takerBuyQuoteUnits.toString(),
      c.firstTradeId, c.lastTradeId];
    for (let i = 0; i < row.length; i++) cols[i]!.push(row[i]!);
  }
  await tx.query(CANDLE_MERGE, cols);
}

/** Writes every row of `batch` in the caller's transaction. Each statement is idempotent. */
export async function writeBatch(tx: SqlExecutor, batch: ProjectionBatch): Promise<void> {
  await insertColumns(tx, 'order_events', batch.orderEvents);
  await upsertRows(tx, 'orders', ProjectionBatch.orderCols, batch.orders.values(), ORDER_UPSERT);
  await insertColumns(tx, 'trades', batch.trades);
  await insertColumns(tx, 'agg_trades', batch.aggTrades);
  await insertColumns(tx, 'user_trades', batch.userTrades);
  await insertColumns(tx, 'balance_ledger', batch.ledger);
  await upsertRows(tx, 'balances', ProjectionBatch.balanceCols, batch.balances.values(), BALANCE_UPSERT);
  await mergeCandles(tx, batch.candles.candles());
  await insertColumns(tx, 'users', batch.users);
  // Revocations of keys created in earlier batches first, then this batch's creations, so a key
  // revoked and created again within one batch ends as the new, live key.
  if (batch.revokedKeys.size > 0) {
    await tx.query(
      `UPDATE api_keys SET revoked_seq = v.seq FROM unnest($1::text[], $2::bigint[]) AS v(api_key, seq)
        WHERE api_keys.api_key = v.api_key AND api_keys.revoked_seq IS NULL AND api_keys.created_seq < v.seq`,
      [[...batch.revokedKeys.keys()], [...batch.revokedKeys.values()]],
    );
  }
  await upsertRows(tx, 'api_keys', ProjectionBatch.apiKeyCols, batch.apiKeys.values(), API_KEY_UPSERT);
}
