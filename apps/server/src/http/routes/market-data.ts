import type { FastifyInstance } from 'fastify';
import { ORDER_TYPES, type Market } from '@matchbox/domain';
import { bucketEnd, isInterval } from '../../history/intervals.ts';
import { ApiError } from '../api-error.ts';
import type { Call, GatewayContext } from '../context.ts';
import { aggTrade, price, publicTrade, qty, units } from '../format.ts';
import type { RateLimitConfig } from '../rate-limits.ts';

const DAY_MS = 86_400_000;

/** Public market data: ping, time, exchangeInfo, depth, trades, klines, tickers. */
export function marketDataRoutes(app: FastifyInstance, ctx: GatewayContext, limits: RateLimitConfig): void {
  ctx.route(app, 'GET', '/api/v3/ping', { weight: 1 }, ({ p }) => { p.finish(); return {}; });
  ctx.route(app, 'GET', '/api/v3/time', { weight: 1 }, ({ p }) => { p.finish(); return { serverTime: ctx.clock() }; });

  ctx.route(app, 'GET', '/api/v3/exchangeInfo', { weight: 20 }, ({ p }) => {
    const { markets } = ctx.marketsParam(p);
    p.optional('showPermissionSets');
    p.optional('permissions');
    p.optional('symbolStatus');
    p.finish();
    return {
      timezone: 'UTC', serverTime: ctx.clock(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.ipWeightPerMinute },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: limits.ordersPerDay },
      ],
      exchangeFilters: [],
      symbols: markets.map(symbolInfo),
    };
  });

  ctx.route(app, 'GET', '/api/v3/depth', { weight: 5 }, ({ p, req }) => {
    const m = ctx.market(p);
    const limit = p.optionalInt('limit', 1, 5000) ?? 100;
    p.finish();
    const extra = limit <= 100 ? 0 : limit <= 500 ? 20 : limit <= 1000 ? 45 : 245;
    if (extra > 0) ctx.limiter.chargeIp(req.ip, extra);
    const d = ctx.engine.depth(m.symbol, limit)!;
    const side = (levels: [number, number][]): string[][] => levels.map(([t, l]) => [price(m, t), qty(m, l)]);
    return { lastUpdateId: d.lastUpdateId, bids: side(d.bids), asks: side(d.asks) };
  });

  ctx.route(app, 'GET', '/api/v3/trades', { weight: 25 }, async ({ p }) => {
    const m = ctx.market(p);
    const limit = p.optionalInt('limit', 1, 1000) ?? 500;
    p.finish();
    return (await ctx.history.trades(m.symbol, { limit })).map((t) => publicTrade(m, t));
  });

  ctx.route(app, 'GET', '/api/v3/historicalTrades', { weight: 25 }, async ({ p }) => {
    const m = ctx.market(p);
    const limit = p.optionalInt('limit', 1, 1000) ?? 500;
    const fromId = p.optionalInt('fromId');
    p.finish();
    return (await ctx.history.trades(m.symbol, { limit, ...(fromId !== undefined ? { fromId } : {}) })).map((t) => publicTrade(m, t));
  });

  ctx.route(app, 'GET', '/api/v3/aggTrades', { weight: 2 }, async ({ p }) => {
    const m = ctx.market(p);
    const limit = p.optionalInt('limit', 1, 1000) ?? 500;
    const fromId = p.optionalInt('fromId');
    const startTime = p.optionalInt('startTime');
    const endTime = p.optionalInt('endTime');
    p.finish();
    return (await ctx.history.trades(m.symbol, { limit, ...opt({ fromId, startTime, endTime }) })).map((t) => aggTrade(m, t));
  });

  const klines = async ({ p }: Call): Promise<unknown> => {
    const m = ctx.market(p);
    const interval = p.required('interval');
    if (!isInterval(interval)) throw new ApiError('BAD_INTERVAL');
    const limit = p.optionalInt('limit', 1, 1000) ?? 500;
    const startTime = p.optionalInt('startTime');
    const endTime = p.optionalInt('endTime');
    p.optional('timeZone');
    p.finish();
    return (await ctx.history.klines(m.symbol, interval, { limit, ...opt({ startTime, endTime }) })).map((c) => [
      c.openTime, price(m, c.open), price(m, c.high), price(m, c.low), price(m, c.close), qty(m, c.volumeLots),
      bucketEnd(interval, c.openTime), units(c.quoteUnits), c.count, qty(m, c.takerBuyLots), units(c.takerBuyQuoteUnits), '0',
    ]);
  };
  ctx.route(app, 'GET', '/api/v3/klines', { weight: 2 }, klines);
  ctx.route(app, 'GET', '/api/v3/uiKlines', { weight: 2 }, klines);

  ctx.route(app, 'GET', '/api/v3/avgPrice', { weight: 2 }, ({ p }) => {
    const m = ctx.market(p);
    p.finish();
    const now = ctx.clock();
    const w = ctx.history.window(m.symbol, now - 5 * 60_000);
    return { mins: 5, price: w ? avgPrice(m, w.quoteUnits, w.volumeLots) : units(0), closeTime: now };
  });

  ctx.route(app, 'GET', '/api/v3/ticker/24hr', { weight: 2 }, ({ p, req }) => {
    const { markets, single } = ctx.marketsParam(p);
    const type = p.oneOf('type', ['FULL', 'MINI'], new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'type'."));
    p.finish();
    if (!single && markets.length > 20) ctx.limiter.chargeIp(req.ip, markets.length > 100 ? 78 : 38);
    const all = markets.map((m) => ticker24h(ctx, m, type === 'MINI'));
    return single ? all[0] : all;
  });

  ctx.route(app, 'GET', '/api/v3/ticker/price', { weight: 2 }, ({ p }) => {
    const { markets, single } = ctx.marketsParam(p);
    p.finish();
    const all = markets.map((m) => {
      const last = ctx.history.lastTrade(m.symbol);
      return { symbol: m.symbol, price: price(m, last?.priceTicks ?? 0) };
    });
    return single ? all[0] : all;
  });

  ctx.route(app, 'GET', '/api/v3/ticker/bookTicker', { weight: 2 }, ({ p }) => {
    const { markets, single } = ctx.marketsParam(p);
    p.finish();
    const all = markets.map((m) => ({ symbol: m.symbol, ...bestPrices(ctx, m) }));
    return single ? all[0] : all;
  });
}

function opt<T extends Record<string, number | undefined>>(o: T): { [K in keyof T]?: number } {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: number };
}

function symbolInfo(m: Market): Record<string, unknown> {
  const c = m.config;
  return {
    symbol: m.symbol, status: 'TRADING', baseAsset: m.baseAsset, baseAssetPrecision: 8, quoteAsset: m.quoteAsset,
    quotePrecision: 8, quoteAssetPrecision: 8, baseCommissionPrecision: 8, quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES], icebergAllowed: false, ocoAllowed: false, otoAllowed: false, quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false, cancelReplaceAllowed: true, isSpotTradingAllowed: true, isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: price(m, m.minPriceTicks), maxPrice: price(m, m.maxPriceTicks), tickSize: units(m.tickUnits) },
      { filterType: 'LOT_SIZE', minQty: qty(m, m.minQtyLots), maxQty: qty(m, m.maxQtyLots), stepSize: units(m.lotUnits) },
      { filterType: 'MARKET_LOT_SIZE', minQty: qty(m, m.minQtyLots), maxQty: qty(m, m.maxQtyLots), stepSize: units(m.lotUnits) },
      { filterType: 'NOTIONAL', minNotional: units(m.minNotionalUnits), applyMinToMarket: false, maxNotional: units(m.maxNotionalUnits), applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: m.maxNumOrders },
    ],
    permissions: ['SPOT'], permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: c.defaultStpMode, allowedSelfTradePreventionModes: [...c.allowedStpModes],
  };
}

function bestPrices(ctx: GatewayContext, m: Market): { bidPrice: string; bidQty: string; askPrice: string; askQty: string } {
  const d = ctx.engine.depth(m.symbol, 1)!;
  const [bp, bq] = d.bids[0] ?? [0, 0];
  const [ap, aq] = d.asks[0] ?? [0, 0];
  return { bidPrice: price(m, bp), bidQty: qty(m, bq), askPrice: price(m, ap), askQty: qty(m, aq) };
}

/** quote / base as a price, exact integer division (no floating point on money). */
function avgPrice(m: Market, quoteUnits: number, lots: number): string {
  if (lots === 0) return units(0);
  return units(Number((BigInt(quoteUnits) * 100_000_000n) / BigInt(lots * m.lotUnits)));
}

/** (a − b) / b in percent with 3 decimals, by integer arithmetic. */
function percent(change: number, base: number): string {
  if (base === 0) return '0.000';
  const scaled = (BigInt(change) * 100_000n) / BigInt(base);
  const neg = scaled < 0n;
  const abs = (neg ? -scaled : scaled).toString().padStart(4, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -3)}.${abs.slice(-3)}`;
}

/** Rolling 24 h statistics (minute resolution); no `time` field, which ccxt would take for futures. */
function ticker24h(ctx: GatewayContext, m: Market, mini: boolean): Record<string, unknown> {
  const now = ctx.clock();
  const openTime = now - DAY_MS;
  const w = ctx.history.window(m.symbol, openTime);
  const last = ctx.history.lastTrade(m.symbol);
  const lastTicks = last?.priceTicks ?? 0;
  const openTicks = w?.open ?? lastTicks;
  const base = {
    symbol: m.symbol, openPrice: price(m, openTicks), highPrice: price(m, w?.high ?? lastTicks), lowPrice: price(m, w?.low ?? lastTicks),
    lastPrice: price(m, lastTicks), volume: qty(m, w?.volumeLots ?? 0), quoteVolume: units(w?.quoteUnits ?? 0),
    openTime, closeTime: now, firstId: w?.firstId ?? -1, lastId: w?.lastId ?? -1, count: w?.count ?? 0,
  };
  if (mini) return base;
  return {
    symbol: m.symbol, priceChange: price(m, lastTicks - openTicks), priceChangePercent: percent(lastTicks - openTicks, openTicks),
    weightedAvgPrice: avgPrice(m, w?.quoteUnits ?? 0, w?.volumeLots ?? 0), prevClosePrice: price(m, ctx.history.closeBefore(m.symbol, openTime) ?? 0),
    lastPrice: base.lastPrice, lastQty: qty(m, last?.qtyLots ?? 0), ...bestPrices(ctx, m),
    openPrice: base.openPrice, highPrice: base.highPrice, lowPrice: base.lowPrice, volume: base.volume, quoteVolume: base.quoteVolume,
    openTime, closeTime: now, firstId: base.firstId, lastId: base.lastId, count: base.count,
  };
}
