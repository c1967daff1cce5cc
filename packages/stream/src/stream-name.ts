import { isKlineInterval, type KlineInterval } from './intervals.ts';

/** What a market stream name asks for. `symbol` is the upper-case engine symbol. */
export type StreamSpec =
  | { readonly kind: 'depth'; readonly symbol: string; readonly speedMs: 100 | 1000 }
  | { readonly kind: 'partialDepth'; readonly symbol: string; readonly levels: 5 | 10 | 20; readonly speedMs: 100 | 1000 }
  | { readonly kind: 'trade' | 'aggTrade' | 'miniTicker' | 'ticker' | 'bookTicker'; readonly symbol: string }
  | { readonly kind: 'kline'; readonly symbol: string; readonly interval: KlineInterval }
  | { readonly kind: 'allMiniTickers' | 'allTickers' };

const MAX_STREAM_NAME_LENGTH = 64;
const SIMPLE = new Set(['trade', 'aggTrade', 'miniTicker', 'ticker', 'bookTicker']);

function speedOf(suffix: string | undefined): 100 | 1000 | undefined {
  if (suffix === undefined || suffix === '1000ms') return 1000;
  if (suffix === '100ms') return 100;
  return undefined;
}

/**
 * Parses a Binance stream name (`btcusdt@depth@100ms`, `btcusdt@kline_1m`, `!miniTicker@arr`).
 * Symbols are lower case in names, as on Binance. Returns the reason as a string when invalid.
 */
export function parseStreamName(name: string, isSymbol: (upper: string) => boolean): StreamSpec | string {
  if (name.length === 0 || name.length > MAX_STREAM_NAME_LENGTH) return `Invalid stream name length: ${name.length}`;
  if (name === '!miniTicker@arr') return { kind: 'allMiniTickers' };
  if (name === '!ticker@arr') return { kind: 'allTickers' };
  const parts = name.split('@');
  const [sym, channel, suffix, extra] = parts;
  if (sym === undefined || channel === undefined || extra !== undefined) return `Invalid stream name: ${name}`;
  if (sym !== sym.toLowerCase()) return `Invalid stream name (symbols are lower case): ${name}`;
  const symbol = sym.toUpperCase();
  if (!isSymbol(symbol)) return `Invalid symbol: ${sym}`;
  if (channel === 'depth') {
    const speedMs = speedOf(suffix);
    return speedMs === undefined ? `Invalid update speed: ${name}` : { kind: 'depth', symbol, speedMs };
  }
  const partial = /^depth(5|10|20)$/.exec(channel);
  if (partial) {
    const speedMs = speedOf(suffix);
    if (speedMs === undefined) return `Invalid update speed: ${name}`;
    return { kind: 'partialDepth', symbol, levels: Number(partial[1]) as 5 | 10 | 20, speedMs };
  }
  if (suffix !== undefined) return `Invalid stream name: ${name}`;
  if (channel.startsWith('kline_')) {
    const interval = channel.slice('kline_'.length);
    return isKlineInterval(interval) ? { kind: 'kline', symbol, interval } : `Invalid kline interval: ${interval}`;
  }
  if (SIMPLE.has(channel)) return { kind: channel as 'trade', symbol };
  return `Invalid stream name: ${name}`;
}
