import WebSocket from 'ws';
import { MatchboxApiError } from './errors.ts';
import { signSortedParams } from './signing.ts';
import type { Credentials } from './rest-client.ts';
import type { Account, CanceledOrder, NewOrder, Order } from './types.ts';

export interface WsApiOptions {
  readonly credentials?: Credentials;
  readonly recvWindowMs?: number;
  readonly clock?: () => number;
  /** Requests without an answer fail after this long (status unknown). */
  readonly timeoutMs?: number;
  /** Most requests awaiting an answer; beyond it `request` fails at once (bounded queue). */
  readonly maxPending?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Binance's WebSocket API (`/ws-api/v3`): `{id, method, params}` → `{id, status, result|error}`
 * over one socket, many requests in flight. Signed methods carry apiKey, timestamp, recvWindow
 * and the HMAC of the params sorted by name. Order entry here skips HTTP parsing per request.
 */
export class WsApiClient {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly clock: () => number;
  /** Called for every user-data event (`{subscriptionId, event}`). */
  onUserEvent: ((subscriptionId: number, event: Record<string, unknown>) => void) | undefined;

  private constructor(private readonly ws: WebSocket, private readonly opts: WsApiOptions) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxPending = opts.maxPending ?? 10_000;
    this.clock = opts.clock ?? Date.now;
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', () => this.failAll(new MatchboxApiError(0, -1007, 'connection closed (status unknown)', undefined)));
  }

  /** Opens `ws://host/ws-api/v3` (from an http:// base URL or a ws:// URL). */
  static async connect(baseUrl: string, opts: WsApiOptions = {}): Promise<WsApiClient> {
    const url = /^wss?:/.test(baseUrl) ? baseUrl : `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/ws-api/v3`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket API not available at ${url}: HTTP ${res.statusCode}`)));
    });
    return new WsApiClient(ws, opts);
  }

  /** Sends one request; resolves with `result`, rejects with MatchboxApiError on an error answer. */
  request<T>(method: string, params: Record<string, string | number | boolean> = {}, signed = false): Promise<T> {
    if (this.pending.size >= this.maxPending) return Promise.reject(new Error(`more than ${this.maxPending} WS API requests in flight`));
    const id = String(this.nextId++);
    let p: Record<string, string | number | boolean> = params;
    if (signed) {
      const creds = this.opts.credentials;
      if (creds === undefined) return Promise.reject(new Error(`${method} is signed: pass credentials`));
      const all: Record<string, string> = { apiKey: creds.apiKey, recvWindow: String(this.opts.recvWindowMs ?? 5000), timestamp: String(this.clock()) };
      for (const [k, v] of Object.entries(params)) all[k] = String(v);
      p = { ...all, signature: signSortedParams(creds.secretKey, all) };
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MatchboxApiError(0, -1007, `${method}: no answer within ${this.timeoutMs} ms (status unknown)`, undefined));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params: p }));
    });
  }

  placeOrder(order: NewOrder): Promise<Order> {
    return this.request('order.place', { newOrderRespType: 'FULL', ...definedStrings(order) }, true);
  }

  cancelOrder(symbol: string, orderId: number): Promise<CanceledOrder> {
    return this.request('order.cancel', { symbol, orderId }, true);
  }

  cancelAll(symbol: string): Promise<CanceledOrder[]> {
    return this.request('openOrders.cancelAll', { symbol }, true);
  }

  openOrders(symbol: string): Promise<Order[]> {
    return this.request('openOrders.status', { symbol }, true);
  }

  subscribeUserData(): Promise<{ subscriptionId: number }> {
    return this.request('userDataStream.subscribe.signature', {}, true);
  }

  account(): Promise<Account> {
    return this.request('account.status', {}, true);
  }

  /** True once the socket is closed (the caller reconnects with `connect`). */
  get closed(): boolean {
    return this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private onMessage(text: string): void {
    let m: { id?: unknown; status?: number; result?: unknown; error?: { code: number; msg: string }; subscriptionId?: number; event?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.id === undefined && m.subscriptionId !== undefined && m.event !== undefined) {
      this.onUserEvent?.(m.subscriptionId, m.event);
      return;
    }
    const p = this.pending.get(String(m.id));
    if (p === undefined) return;
    this.pending.delete(String(m.id));
    clearTimeout(p.timer);
    if (m.status === 200) p.resolve(m.result);
    else p.reject(new MatchboxApiError(m.status ?? 0, m.error?.code ?? -1000, m.error?.msg ?? 'error', undefined));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}

function definedStrings(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = String(v);
  return out;
}
