import { ERRORS, type ErrorSpec } from '@matchbox/domain';
import type { ClientSocket, Protocol } from './client-socket.ts';
import { textFrame } from './frame.ts';
import type { MarketDataHub, StreamLogger, UserSubscriber } from './hub.ts';
import { verifySigned, type ApiKeyLookup, type WsApiAuth } from './signature.ts';

/** A signed WS API method the gateway implements; `params` are the request's own, as strings. */
export type WsApiHandler = (auth: WsApiAuth, params: Readonly<Record<string, string>>) => Promise<unknown> | unknown;

/** Order entry and account queries, supplied by the gateway (same logic as its REST routes). */
export type OrderApi = Partial<Record<OrderApiMethod, WsApiHandler>>;

export const ORDER_API_METHODS = [
  'order.place', 'order.test', 'order.cancel', 'order.cancelReplace', 'order.status', 'openOrders.status',
  'openOrders.cancelAll', 'allOrders', 'myTrades', 'account.status',
] as const;
export type OrderApiMethod = (typeof ORDER_API_METHODS)[number];

const TRADE_METHODS = new Set<string>(['order.place', 'order.test', 'order.cancel', 'order.cancelReplace', 'openOrders.cancelAll']);
const MAX_USER_SUBSCRIPTIONS = 8;

type RequestId = string | number | null;

/** An error the gateway's handler may throw: a Binance code and message, optionally an HTTP status. */
interface CodedError { code: number; msg?: string; message?: string; status?: number; http?: number; statusCode?: number }

function isCoded(err: unknown): err is CodedError {
  return typeof err === 'object' && err !== null && typeof (err as CodedError).code === 'number';
}

class UserStream implements UserSubscriber {
  constructor(readonly subscriptionId: number, readonly userId: number, readonly apiKey: string, private readonly conn: WsApiConnection) {}

  deliverUser(json: string): void {
    this.conn.client.outbound.push(textFrame(`{"subscriptionId":${this.subscriptionId},"event":${json}}`));
  }

  revoked(): void {
    this.conn.endUserStream(this);
  }
}

/**
 * A `/ws-api/v3` connection: `{id, method, params}` requests answered with
 * `{id, status, result}` or `{id, status, error: {code, msg}}`. User data streams are served here
 * (`userDataStream.subscribe.signature`); order entry is delegated to the gateway's `orderApi`.
 */
export class WsApiConnection implements Protocol {
  private readonly userStreams = new Map<number, UserStream>();
  private nextSubscriptionId = 0;
  private pending = 0;
  private closed = false;

  constructor(
    readonly client: ClientSocket,
    private readonly hub: MarketDataHub,
    private readonly apiKeys: ApiKeyLookup | undefined,
    private readonly orderApi: OrderApi,
    private readonly maxPending: number,
    private readonly now: () => number,
    private readonly log: StreamLogger | undefined,
  ) {}

  onText(text: string): void {
    let req: unknown;
    try {
      req = JSON.parse(text);
    } catch {
      this.error(null, 400, { code: -1100, msg: 'Malformed request: invalid JSON.' });
      return;
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      this.error(null, 400, { code: -1100, msg: 'Malformed request: expected a JSON object.' });
      return;
    }
    const { id, method, params } = req as { id?: unknown; method?: unknown; params?: unknown };
    const okId = id === undefined || id === null || (typeof id === 'string' && id.length <= 64) || (typeof id === 'number' && Number.isSafeInteger(id));
    const rid: RequestId = okId ? ((id as RequestId | undefined) ?? null) : null;
    if (!okId) return this.error(null, 400, { code: -1100, msg: 'Malformed request: id must be a string or an integer.' });
    if (typeof method !== 'string') return this.error(rid, 400, { code: -1102, msg: "Mandatory parameter 'method' was not sent, was empty/null, or malformed." });
    this.dispatch(rid, method, params ?? {});
  }

  private dispatch(id: RequestId, method: string, params: unknown): void {
    switch (method) {
      case 'ping': return this.reply(id, {});
      case 'time': return this.reply(id, { serverTime: this.now() });
      case 'userDataStream.subscribe.signature': return this.subscribeUser(id, params);
      case 'userDataStream.unsubscribe': return this.unsubscribeUser(id, params);
      default: break;
    }
    const handler = (this.orderApi as Record<string, WsApiHandler | undefined>)[method];
    if (handler === undefined) return this.error(id, 400, { code: -1020, msg: `Unknown method: ${method.slice(0, 64)}` });
    const v = this.verify(id, params);
    if (v === undefined) return;
    if (TRADE_METHODS.has(method) && !v.auth.permissions.includes('TRADE')) return this.fail(id, ERRORS.REJECTED_MBX_KEY);
    if (this.pending >= this.maxPending) return this.fail(id, ERRORS.TOO_MANY_REQUESTS);
    this.pending++;
    Promise.resolve()
      .then(() => handler(v.auth, v.params))
      .then((result) => this.reply(id, result), (err: unknown) => this.handlerFailed(id, err))
      .finally(() => { this.pending--; });
  }

  private verify(id: RequestId, params: unknown): { auth: WsApiAuth; params: Record<string, string> } | undefined {
    if (this.apiKeys === undefined) {
      this.fail(id, ERRORS.UNSUPPORTED_OPERATION);
      return undefined;
    }
    const v = verifySigned(params, this.apiKeys, this.now());
    if (!v.ok) {
      this.fail(id, v.error);
      return undefined;
    }
    return v;
  }

  private subscribeUser(id: RequestId, params: unknown): void {
    const v = this.verify(id, params);
    if (v === undefined) return;
    if (this.userStreams.size >= MAX_USER_SUBSCRIPTIONS) return this.error(id, 400, { code: -1003, msg: `Too many user data stream subscriptions (limit ${MAX_USER_SUBSCRIPTIONS}).` });
    const sub = new UserStream(this.nextSubscriptionId++, v.auth.userId, v.auth.apiKey, this);
    this.userStreams.set(sub.subscriptionId, sub);
    this.hub.subscribeUser(v.auth.userId, sub);
    this.reply(id, { subscriptionId: sub.subscriptionId });
  }

  private unsubscribeUser(id: RequestId, params: unknown): void {
    const raw = typeof params === 'object' && params !== null ? (params as { subscriptionId?: unknown }).subscriptionId : undefined;
    if (raw === undefined) {
      for (const s of [...this.userStreams.values()]) this.drop(s);
      return this.reply(id, {});
    }
    const s = this.userStreams.get(Number(raw));
    if (s === undefined) return this.error(id, 400, { code: -2, msg: 'Not subscribed to this subscriptionId.' });
    this.drop(s);
    this.reply(id, {});
  }

  private drop(s: UserStream): void {
    this.userStreams.delete(s.subscriptionId);
    this.hub.unsubscribeUser(s.userId, s);
  }

  /** The key behind a subscription was revoked: tell the client, as Binance does. */
  endUserStream(s: UserStream): void {
    this.userStreams.delete(s.subscriptionId);
    this.client.outbound.push(textFrame(JSON.stringify({ subscriptionId: s.subscriptionId, event: { e: 'eventStreamTerminated', E: this.now() } })));
  }

  private handlerFailed(id: RequestId, err: unknown): void {
    if (isCoded(err)) {
      const status = err.status ?? err.http ?? err.statusCode ?? 400;
      return this.error(id, status, { code: err.code, msg: err.msg ?? err.message ?? '' });
    }
    this.log?.error({ err: (err as Error)?.message }, 'ws-api handler failed');
    this.fail(id, ERRORS.UNKNOWN);
  }

  private reply(id: RequestId, result: unknown): void {
    if (this.closed) return;
    this.client.sendJson({ id, status: 200, result });
  }

  private fail(id: RequestId, e: ErrorSpec): void {
    this.error(id, e.http, { code: e.code, msg: e.msg });
  }

  private error(id: RequestId, status: number, error: { code: number; msg: string }): void {
    if (this.closed) return;
    this.client.sendJson({ id, status, error });
  }

  onClose(): void {
    this.closed = true;
    for (const s of [...this.userStreams.values()]) this.drop(s);
  }
}
