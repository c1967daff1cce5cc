import { MatchboxApiError } from './errors.ts';
import { HttpTransport, type HttpAnswer, type TransportOptions } from './http-transport.ts';
import { encodeParams, signPayload, type Params } from './signing.ts';
import type { Account, CanceledOrder, Depth, DevAccount, ExchangeInfo, NewOrder, Order, OrderRef, Ticker24h } from './types.ts';

export interface Credentials {
  readonly apiKey: string;
  readonly secretKey: string;
}

export interface ClientOptions extends TransportOptions {
  readonly credentials?: Credentials;
  /** recvWindow sent with signed requests (ms, ≤ 60000). */
  readonly recvWindowMs?: number;
  /** Clock for `timestamp` (tests, or after `syncTime`). */
  readonly clock?: () => number;
}

/** Rate-limit usage the server reported on the last answer. */
export interface UsedWeight {
  weight1m: number;
  orderCount10s: number;
}

/**
 * Typed client for the Matchbox (Binance Spot-compatible) REST API. Signed requests carry
 * `timestamp`, `recvWindow` and the hex HMAC-SHA256 `signature` of the exact query + body sent.
 * Decimals go in and come out as strings; use `SymbolRules` to convert to integer ticks/lots.
 */
export class MatchboxClient {
  private readonly http: HttpTransport;
  private credentials: Credentials | undefined;
  private readonly recvWindowMs: number;
  private readonly clock: () => number;
  private clockOffsetMs = 0;
  readonly used: UsedWeight = { weight1m: 0, orderCount10s: 0 };

  /** `transport` lets several clients (accounts) share one keep-alive pool. */
  constructor(readonly baseUrl: string, private readonly opts: ClientOptions = {}, transport?: HttpTransport) {
    this.http = transport ?? new HttpTransport(baseUrl, opts);
    this.credentials = opts.credentials;
    this.recvWindowMs = opts.recvWindowMs ?? 5000;
    this.clock = opts.clock ?? Date.now;
  }

  /** Same connection pool, other account (e.g. the bot's taker account). */
  withCredentials(credentials: Credentials): MatchboxClient {
    const c = new MatchboxClient(this.baseUrl, { ...this.opts, credentials }, this.http);
    c.clockOffsetMs = this.clockOffsetMs;
    return c;
  }

  setCredentials(credentials: Credentials): void {
    this.credentials = credentials;
  }

  get apiKey(): string | undefined {
    return this.credentials?.apiKey;
  }

  close(): void {
    this.http.close();
  }

  // ---- public market data

  ping(): Promise<Record<string, never>> {
    return this.publicGet('/api/v3/ping');
  }

  serverTime(): Promise<{ serverTime: number }> {
    return this.publicGet('/api/v3/time');
  }

  /** Measures the offset to the server clock so signed timestamps land inside recvWindow. */
  async syncTime(): Promise<number> {
    const before = this.clock();
    const { serverTime } = await this.serverTime();
    const after = this.clock();
    this.clockOffsetMs = Math.round(serverTime - (before + after) / 2);
    return this.clockOffsetMs;
  }

  exchangeInfo(symbol?: string): Promise<ExchangeInfo> {
    return this.publicGet('/api/v3/exchangeInfo', { symbol });
  }

  depth(symbol: string, limit = 100): Promise<Depth> {
    return this.publicGet('/api/v3/depth', { symbol, limit });
  }

  ticker24h(symbol: string): Promise<Ticker24h> {
    return this.publicGet('/api/v3/ticker/24hr', { symbol });
  }

  tickers24h(): Promise<Ticker24h[]> {
    return this.publicGet('/api/v3/ticker/24hr');
  }

  bookTicker(symbol: string): Promise<{ symbol: string; bidPrice: string; bidQty: string; askPrice: string; askQty: string }> {
    return this.publicGet('/api/v3/ticker/bookTicker', { symbol });
  }

  // ---- signed account and orders

  account(): Promise<Account> {
    return this.signed('GET', '/api/v3/account', {});
  }

  newOrder(order: NewOrder): Promise<Order> {
    return this.signed('POST', '/api/v3/order', { newOrderRespType: 'FULL', ...order });
  }

  /** Validates an order fully without placing it. */
  testOrder(order: NewOrder): Promise<Record<string, unknown>> {
    return this.signed('POST', '/api/v3/order/test', { ...order });
  }

  getOrder(ref: OrderRef): Promise<Order> {
    return this.signed('GET', '/api/v3/order', { ...ref });
  }

  cancelOrder(ref: OrderRef): Promise<CanceledOrder> {
    return this.signed('DELETE', '/api/v3/order', { ...ref });
  }

  /** Cancels every open order of the account on `symbol`; [] when there were none. */
  async cancelAll(symbol: string): Promise<CanceledOrder[]> {
    try {
      return await this.signed<CanceledOrder[]>('DELETE', '/api/v3/openOrders', { symbol });
    } catch (err) {
      // Binance answers -2011 when nothing was open; that is an empty result, not a failure.
      if (err instanceof MatchboxApiError && err.code === -2011) return [];
      throw err;
    }
  }

  openOrders(symbol?: string): Promise<Order[]> {
    return this.signed('GET', '/api/v3/openOrders', { symbol });
  }

  /** Cancel one order and place another atomically (STOP_ON_FAILURE). */
  cancelReplace(cancel: { cancelOrderId?: number; cancelOrigClientOrderId?: string }, order: NewOrder): Promise<{ cancelResponse: CanceledOrder; newOrderResponse: Order }> {
    return this.signed('POST', '/api/v3/order/cancelReplace', { cancelReplaceMode: 'STOP_ON_FAILURE', ...cancel, ...order });
  }

  // ---- Matchbox's dev faucet (embedded mode only)

  /** Creates a funded user with a READ+TRADE key; fails with 404 where the faucet is off. */
  devAccount(deposits: Readonly<Record<string, string>>, username?: string): Promise<DevAccount> {
    return this.json('POST', '/api/v1/dev/accounts', { deposits, ...(username !== undefined ? { username } : {}) });
  }

  devDeposit(userId: number, deposits: Readonly<Record<string, string>>): Promise<{ userId: number }> {
    return this.json('POST', '/api/v1/dev/deposit', { userId, deposits });
  }

  // ---- plumbing

  /**
   * A signed request's path+query and body, exactly as they would be sent. Exposed so load
   * generators can pre-sign (with a long recvWindow) and replay the bytes.
   */
  signRequest(method: 'GET' | 'POST' | 'DELETE', path: string, params: Params, timestampMs = this.clock() + this.clockOffsetMs): { pathAndQuery: string; body: string | undefined; headers: Record<string, string> } {
    const creds = this.credentials;
    if (creds === undefined) throw new Error(`${method} ${path} is signed: set credentials first`);
    const payload = encodeParams({ ...params, recvWindow: this.recvWindowMs, timestamp: timestampMs });
    const signature = signPayload(creds.secretKey, payload);
    const signedPayload = `${payload}&signature=${signature}`;
    const headers: Record<string, string> = { 'x-mbx-apikey': creds.apiKey };
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { pathAndQuery: path, body: signedPayload, headers };
    }
    return { pathAndQuery: `${path}?${signedPayload}`, body: undefined, headers };
  }

  private async signed<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params: Params): Promise<T> {
    const r = this.signRequest(method, path, params);
    return this.parse<T>(await this.http.request(method, r.pathAndQuery, r.headers, r.body));
  }

  private async publicGet<T>(path: string, params: Params = {}): Promise<T> {
    const q = encodeParams(params);
    return this.parse<T>(await this.http.request('GET', q === '' ? path : `${path}?${q}`, {}));
  }

  private async json<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.parse<T>(await this.http.request(method, path, { 'content-type': 'application/json' }, JSON.stringify(body)));
  }

  private parse<T>(a: HttpAnswer): T {
    const w = a.headers['x-mbx-used-weight-1m'];
    if (typeof w === 'string') this.used.weight1m = Number(w);
    const o = a.headers['x-mbx-order-count-10s'];
    if (typeof o === 'string') this.used.orderCount10s = Number(o);
    let body: unknown;
    try {
      body = a.body === '' ? {} : JSON.parse(a.body);
    } catch {
      throw new MatchboxApiError(a.status, -1000, `not JSON (${a.body.slice(0, 100)})`, undefined);
    }
    if (a.status >= 200 && a.status < 300) return body as T;
    const e = body as { code?: unknown; msg?: unknown };
    const ra = a.headers['retry-after'];
    throw new MatchboxApiError(a.status, typeof e.code === 'number' ? e.code : -1000, typeof e.msg === 'string' ? e.msg : a.body.slice(0, 200),
      typeof ra === 'string' ? Number(ra) : undefined);
  }
}
