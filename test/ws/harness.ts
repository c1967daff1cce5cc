import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MARKETS, compileMarket, formatUnits, ASSET_SCALE } from '@matchbox/domain';
import { attachWebSocketServer, createMarketDataHub, type AttachedWebSocketServer, type MarketDataHub, type WebSocketServerOptions } from '@matchbox/stream';
import { EngineFeed, ONE } from '../../packages/stream/src/testing/sim.ts';
import WebSocket from 'ws';

/**
 * A real engine, the in-process hub fed with every command's events, and a real HTTP + WebSocket
 * server on 127.0.0.1:0. The HTTP side answers exactly what the stream clients need from REST
 * (exchangeInfo for ccxt's loadMarkets, depth for the local-book snapshot, time, ping) — built
 * from the same engine, in the gateway's number format.
 */
export interface TestExchange {
  readonly feed: EngineFeed;
  readonly hub: MarketDataHub;
  readonly http: Server;
  readonly ws: AttachedWebSocketServer;
  readonly base: string;
  readonly wsBase: string;
  readonly alice: number;
  readonly bob: number;
  /** Alice's API key (TRADE + READ), known to the server's `apiKeys` lookup. */
  readonly aliceKey: { readonly apiKey: string; readonly secret: string };
  close(): Promise<void>;
}

const MARKETS = DEFAULT_MARKETS.map((c, i) => compileMarket(c, i));
const fmt = (u: number): string => formatUnits(u, ASSET_SCALE);

export async function startExchange(opts: WebSocketServerOptions & { hubTimers?: boolean } = {}): Promise<TestExchange> {
  const ref: { hub?: MarketDataHub } = {};
  const feed = new EngineFeed((p) => ref.hub?.publish(p.seq, p.tsMs, p.events));
  const hub = (ref.hub = createMarketDataHub({
    markets: DEFAULT_MARKETS, depthSnapshot: (s, limit) => feed.engine.depth(s, limit), timers: opts.hubTimers ?? true,
  }));
  const alice = feed.user('alice', { USDT: 10_000_000 * ONE, BTC: 10_000 * ONE, ETH: 10_000 * ONE, SOL: 100_000 * ONE });
  const bob = feed.user('bob', { USDT: 10_000_000 * ONE, BTC: 10_000 * ONE, ETH: 10_000 * ONE, SOL: 100_000 * ONE });
  const aliceKey = { apiKey: 'alice-key-0001', secret: 'alice-secret-0001' };
  const keys = new Map([[aliceKey.apiKey, { userId: alice, secret: aliceKey.secret, permissions: ['READ', 'TRADE'] }]]);
  const http = createServer((req, res) => rest(feed, req, res));
  const ws = attachWebSocketServer(http, hub, { apiKeys: (k) => keys.get(k), ...opts });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    feed, hub, http, ws, alice, bob, aliceKey, base: `http://127.0.0.1:${port}`, wsBase: `ws://127.0.0.1:${port}`,
    close: async () => {
      await ws.close();
      hub.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function rest(feed: EngineFeed, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/api/v3/ping') return json(200, {});
  if (url.pathname === '/api/v3/time') return json(200, { serverTime: Date.now() });
  if (url.pathname === '/api/v3/exchangeInfo') return json(200, exchangeInfo());
  if (url.pathname === '/api/v3/depth') {
    const symbol = url.searchParams.get('symbol') ?? '';
    const m = MARKETS.find((x) => x.symbol === symbol);
    const d = feed.engine.depth(symbol, Number(url.searchParams.get('limit') ?? 100));
    if (m === undefined || d === undefined) return json(400, { code: -1121, msg: 'Invalid symbol.' });
    const lv = (pairs: [number, number][]): [string, string][] => pairs.map(([p, q]) => [fmt(p * m.tickUnits), fmt(q * m.lotUnits)]);
    return json(200, { lastUpdateId: d.lastUpdateId, bids: lv(d.bids), asks: lv(d.asks) });
  }
  json(404, { code: -1099, msg: 'Not found, unauthenticated, or unauthorized.' });
}

function exchangeInfo(): unknown {
  return {
    timezone: 'UTC', serverTime: Date.now(), rateLimits: [],
    symbols: MARKETS.map((m) => ({
      symbol: m.symbol, status: 'TRADING', baseAsset: m.baseAsset, baseAssetPrecision: 8, quoteAsset: m.quoteAsset, quotePrecision: 8,
      quoteAssetPrecision: 8, orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'], icebergAllowed: false, ocoAllowed: false,
      isSpotTradingAllowed: true, isMarginTradingAllowed: false, permissions: ['SPOT'], defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: m.config.minPrice, maxPrice: m.config.maxPrice, tickSize: m.config.tickSize },
        { filterType: 'LOT_SIZE', minQty: m.config.minQty, maxQty: m.config.maxQty, stepSize: m.config.stepSize },
        { filterType: 'NOTIONAL', minNotional: m.config.minNotional, applyMinToMarket: true, maxNotional: m.config.maxNotional, applyMaxToMarket: false, avgPriceMins: 5 },
      ],
    })),
  };
}

/** A WebSocket client that records every parsed message and can wait for one matching a predicate. */
export class TestClient {
  readonly messages: unknown[] = [];
  private waiters: { pred: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const m = isBinary ? { binary: true } : (JSON.parse(String(data)) as unknown);
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => { this.closeCode = code; resolve(code); }));
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const c = new TestClient(ws);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    return c;
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  next<T = Record<string, unknown>>(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<T> {
    const p = (m: unknown): boolean => typeof m === 'object' && m !== null && pred(m as Record<string, unknown>);
    const found = this.messages.find(p);
    if (found !== undefined) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; last: ${JSON.stringify(this.messages.slice(-3))}`)), timeoutMs);
      this.waiters.push({ pred: p, resolve: (m) => { clearTimeout(timer); resolve(m as T); } });
    });
  }

  /** Sends a request and waits for the reply with the same id. */
  async request<T = Record<string, unknown>>(value: Record<string, unknown>): Promise<T> {
    this.send(value);
    return this.next<T>((m) => m.id === value.id);
  }

  close(): void {
    this.ws.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
