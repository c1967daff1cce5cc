/**
 * Numbered migrations, applied in order by `migrate()` and recorded in `schema_migrations`.
 * Never edit a released migration: add the next number. The SQL is plain PostgreSQL that both
 * drivers (node-postgres and PGlite) run unchanged.
 *
 * Money and quantities are BIGINT integer units (ticks, lots, 10^-8 units), exactly as the engine
 * emits them; sums that can outgrow int8 (candle and ticker volumes) are NUMERIC. Times are
 * BIGINT milliseconds since the epoch (the engine's clock), so nothing depends on the session
 * time zone. No column is floating point.
 *
 * Natural keys make every write idempotent: append-only tables are keyed by the event's position
 * in the log, (seq, idx) — the command's sequence number and the event's index within that
 * command's events — or by an id the engine assigned (trade id per symbol, order id).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const CORE = `
CREATE TABLE projector_cursor (
  name text PRIMARY KEY,
  seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every state change of every order: the executionReport stream, kept.
CREATE TABLE order_events (
  seq bigint NOT NULL,
  idx int NOT NULL,
  ts bigint NOT NULL,
  user_id bigint NOT NULL,
  symbol text NOT NULL,
  order_id bigint NOT NULL,
  client_order_id text NOT NULL,
  side text NOT NULL,
  order_type text NOT NULL,
  time_in_force text NOT NULL,
  stp_mode text NOT NULL,
  price_ticks bigint NOT NULL,
  stop_price_ticks bigint NOT NULL,
  orig_qty_lots bigint NOT NULL,
  orig_quote_units bigint NOT NULL,
  exec_type text NOT NULL,
  status text NOT NULL,
  executed_lots bigint NOT NULL,
  cum_quote_units bigint NOT NULL,
  last_lots bigint NOT NULL,
  last_price_ticks bigint NOT NULL,
  last_quote_units bigint NOT NULL,
  trade_id bigint NOT NULL,
  is_maker boolean NOT NULL,
  commission_units bigint NOT NULL,
  commission_asset text NOT NULL,
  is_working boolean NOT NULL,
  created_ts bigint NOT NULL,
  working_ts bigint NOT NULL,
  prevented_match_id bigint NOT NULL,
  prevented_lots bigint NOT NULL,
  counter_order_id bigint NOT NULL,
  PRIMARY KEY (seq, idx)
);
CREATE INDEX order_events_by_order ON order_events (order_id, seq);
CREATE INDEX order_events_by_user ON order_events (user_id, symbol, ts);

-- The current state of each order (the last order event), including closed ones.
CREATE TABLE orders (
  order_id bigint PRIMARY KEY,
  user_id bigint NOT NULL,
  symbol text NOT NULL,
  client_order_id text NOT NULL,
  side text NOT NULL,
  order_type text NOT NULL,
  time_in_force text NOT NULL,
  stp_mode text NOT NULL,
  price_ticks bigint NOT NULL,
  stop_price_ticks bigint NOT NULL,
  orig_qty_lots bigint NOT NULL,
  orig_quote_units bigint NOT NULL,
  status text NOT NULL,
  is_open boolean NOT NULL,
  is_working boolean NOT NULL,
  executed_lots bigint NOT NULL,
  cum_quote_units bigint NOT NULL,
  created_ts bigint NOT NULL,
  working_ts bigint NOT NULL,
  update_ts bigint NOT NULL,
  update_seq bigint NOT NULL,
  update_idx int NOT NULL
) WITH (fillfactor = 80);
-- Updates touch no indexed column, so with free space on the page they are HOT (no index writes).
-- Open orders are served from the engine; the store finds them through orders_by_user.
CREATE INDEX orders_by_user ON orders (user_id, symbol, order_id);
CREATE INDEX orders_by_client_id ON orders (user_id, symbol, client_order_id, order_id);

-- Public trades, one row per match.
CREATE TABLE trades (
  symbol text NOT NULL,
  trade_id bigint NOT NULL,
  seq bigint NOT NULL,
  ts bigint NOT NULL,
  price_ticks bigint NOT NULL,
  qty_lots bigint NOT NULL,
  quote_units bigint NOT NULL,
  buyer_user_id bigint NOT NULL,
  seller_user_id bigint NOT NULL,
  buyer_order_id bigint NOT NULL,
  seller_order_id bigint NOT NULL,
  buyer_is_maker boolean NOT NULL,
  buyer_fee_units bigint NOT NULL,
  seller_fee_units bigint NOT NULL,
  agg_id bigint NOT NULL,
  PRIMARY KEY (symbol, trade_id)
);

-- Binance aggregate trades: consecutive fills of one taker order at one price. The aggregate id
-- is the id of its first trade, so it is stable under rebuilds and increasing per symbol.
CREATE TABLE agg_trades (
  symbol text NOT NULL,
  agg_id bigint NOT NULL,
  last_trade_id bigint NOT NULL,
  ts bigint NOT NULL,
  price_ticks bigint NOT NULL,
  qty_lots bigint NOT NULL,
  buyer_is_maker boolean NOT NULL,
  PRIMARY KEY (symbol, agg_id)
);
CREATE INDEX agg_trades_by_time ON agg_trades (symbol, ts);

-- Each side of each trade, for myTrades: both sides, with the fee each paid.
CREATE TABLE user_trades (
  user_id bigint NOT NULL,
  symbol text NOT NULL,
  trade_id bigint NOT NULL,
  is_buyer boolean NOT NULL,
  order_id bigint NOT NULL,
  is_maker boolean NOT NULL,
  ts bigint NOT NULL,
  price_ticks bigint NOT NULL,
  qty_lots bigint NOT NULL,
  quote_units bigint NOT NULL,
  commission_units bigint NOT NULL,
  commission_asset text NOT NULL,
  PRIMARY KEY (user_id, symbol, trade_id, is_buyer)
);
CREATE INDEX user_trades_by_order ON user_trades (order_id);

-- Every balance change with its cause and the command that made it.
CREATE TABLE balance_ledger (
  seq bigint NOT NULL,
  idx int NOT NULL,
  ts bigint NOT NULL,
  user_id bigint NOT NULL,
  asset text NOT NULL,
  free_units bigint NOT NULL,
  locked_units bigint NOT NULL,
  delta_free_units bigint NOT NULL,
  delta_locked_units bigint NOT NULL,
  cause text NOT NULL,
  PRIMARY KEY (seq, idx)
);
CREATE INDEX balance_ledger_by_user ON balance_ledger (user_id, asset, seq);

CREATE TABLE balances (
  user_id bigint NOT NULL,
  asset text NOT NULL,
  free_units bigint NOT NULL,
  locked_units bigint NOT NULL,
  update_seq bigint NOT NULL,
  update_idx int NOT NULL,
  PRIMARY KEY (user_id, asset)
) WITH (fillfactor = 80);

-- Candles for every Binance interval, maintained incrementally from trades. last_trade_id guards
-- the merge: a batch whose trades are already counted is skipped, so a replay cannot double them.
CREATE TABLE candles (
  symbol text NOT NULL,
  interval text NOT NULL,
  open_time bigint NOT NULL,
  close_time bigint NOT NULL,
  open_ticks bigint NOT NULL,
  high_ticks bigint NOT NULL,
  low_ticks bigint NOT NULL,
  close_ticks bigint NOT NULL,
  volume_lots numeric NOT NULL,
  quote_units numeric NOT NULL,
  trades bigint NOT NULL,
  taker_buy_lots numeric NOT NULL,
  taker_buy_quote_units numeric NOT NULL,
  first_trade_id bigint NOT NULL,
  last_trade_id bigint NOT NULL,
  PRIMARY KEY (symbol, interval, open_time)
);

CREATE TABLE users (
  user_id bigint PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_seq bigint NOT NULL,
  created_ts bigint NOT NULL
);

CREATE TABLE api_keys (
  api_key text PRIMARY KEY,
  user_id bigint NOT NULL,
  permissions text NOT NULL,
  label text NOT NULL,
  created_seq bigint NOT NULL,
  created_ts bigint NOT NULL,
  revoked_seq bigint
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);
`;

/**
 * TimescaleDB, only where the extension is available (it is not on the development machines, so
 * the plain path is what the tests exercise). Candles become a hypertable on open_time; the
 * incremental maintenance stays the same SQL on both paths, which keeps the results identical.
 * The append tables keep plain keys: a hypertable needs its time column in every unique index,
 * and their idempotency keys are log positions, not times.
 */
const TIMESCALE = `
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    PERFORM create_hypertable('candles', 'open_time', chunk_time_interval => 2592000000, migrate_data => true);
  END IF;
END
$$;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core tables', sql: CORE },
  { version: 2, name: 'timescaledb hypertables when available', sql: TIMESCALE },
];

/** Tables a rebuild drops, children first. */
export const PROJECTION_TABLES = [
  'order_events', 'orders', 'trades', 'agg_trades', 'user_trades', 'balance_ledger', 'balances', 'candles', 'users', 'api_keys',
] as const;
