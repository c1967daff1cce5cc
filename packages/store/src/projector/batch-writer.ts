import type { SqlExecutor } from '../driver/sql-driver.ts';
import type { Candle } from './candle-accumulator.ts';
import { ProjectionBatch } from './projection-batch.ts';

/**
 * One multi-row statement per table: the rows travel as one JSON array parameter and
 * json_populate_recordset turns it into rows of the table's own type (every column by name), which
 * is faster than one array parameter per column and keeps the SQL identical on both drivers. The
 * JSON goes as UTF-8 bytes in binary format (`SqlParam`): neither driver then walks the text.
 */
async function insertRows(tx: SqlExecutor, table: string, rows: readonly object[], onConflict = 'ON CONFLICT DO NOTHING'): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(`INSERT INTO ${table} AS t SELECT * FROM json_populate_recordset(NULL::${table}, $1::json) ${onConflict}`, [Buffer.from(JSON.stringify(rows), 'utf8')]);
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

/**
 * Merges partial candles into the stored ones. The WHERE makes the merge idempotent: a partial
 * whose first trade is not newer than the stored candle's last trade was already counted.
 */
const CANDLE_MERGE = `ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
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

function candleRow(c: Candle): object {
  return {
    symbol: c.symbol, interval: c.interval, open_time: c.openTime, close_time: c.closeTime, open_ticks: c.openTicks,
    high_ticks: c.highTicks, low_ticks: c.lowTicks, close_ticks: c.closeTicks, volume_lots: c.volumeLots.toString(),
    quote_units: c.quoteUnits.toString(), trades: c.trades, taker_buy_lots: c.takerBuyLots.toString(),
    taker_buy_quote_units: c.takerBuyQuoteUnits.toString(), first_trade_id: c.firstTradeId, last_trade_id: c.lastTradeId,
  };
}

/** Writes every row of `batch` in the caller's transaction. Each statement is idempotent. */
export async function writeBatch(tx: SqlExecutor, batch: ProjectionBatch): Promise<void> {
  await insertRows(tx, 'order_events', batch.orderEvents.rows);
  await insertRows(tx, 'orders', [...batch.orders.values()], ORDER_UPSERT);
  await insertRows(tx, 'trades', batch.trades.rows);
  await insertRows(tx, 'agg_trades', batch.aggTrades.rows);
  await insertRows(tx, 'user_trades', batch.userTrades.rows);
  await insertRows(tx, 'balance_ledger', batch.ledger.rows);
  await insertRows(tx, 'balances', [...batch.balances.values()], BALANCE_UPSERT);
  await insertRows(tx, 'candles', batch.candles.candles().map(candleRow), CANDLE_MERGE);
  await insertRows(tx, 'users', batch.users.rows);
  // Revocations of keys created in earlier batches first, then this batch's creations, so a key
  // revoked and created again within one batch ends as the new, live key.
  if (batch.revokedKeys.size > 0) {
    await tx.query(
      `UPDATE api_keys SET revoked_seq = v.seq FROM unnest($1::text[], $2::bigint[]) AS v(api_key, seq)
        WHERE api_keys.api_key = v.api_key AND api_keys.revoked_seq IS NULL AND api_keys.created_seq < v.seq`,
      [[...batch.revokedKeys.keys()], [...batch.revokedKeys.values()]],
    );
  }
  await insertRows(tx, 'api_keys', [...batch.apiKeys.values()], API_KEY_UPSERT);
}
