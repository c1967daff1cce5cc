import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MarketConfig } from '@matchbox/domain';
import {
  attachWebSocketServer, createMarketDataHub, type ApiKeyInfo, type OrderApi, type OrderApiMethod, type WsApiAuth,
} from '@matchbox/stream';
import type { Engine } from '@matchbox/engine';
import type { EventListener } from '../core/exchange.ts';
import { gatewayOf, toApiError } from '../http/app.ts';
import type { SecretBox } from '../security/secret-box.ts';

/** WS API order methods and the REST endpoints with the very same semantics. */
const ROUTES: Record<OrderApiMethod, { method: 'GET' | 'POST' | 'DELETE'; url: string }> = {
  'order.place': { method: 'POST', url: '/api/v3/order' },
  'order.test': { method: 'POST', url: '/api/v3/order/test' },
  'order.cancel': { method: 'DELETE', url: '/api/v3/order' },
  'order.cancelReplace': { method: 'POST', url: '/api/v3/order/cancelReplace' },
  'order.status': { method: 'GET', url: '/api/v3/order' },
  'openOrders.status': { method: 'GET', url: '/api/v3/openOrders' },
  'openOrders.cancelAll': { method: 'DELETE', url: '/api/v3/openOrders' },
  allOrders: { method: 'GET', url: '/api/v3/allOrders' },
  myTrades: { method: 'GET', url: '/api/v3/myTrades' },
  'account.status': { method: 'GET', url: '/api/v3/account' },
};

const SECRET_CACHE_MAX = 10_000;

export interface AttachedStreams {
  close(): Promise<void>;
  /** Open WebSocket connections (status page). */
  connections(): number;
}

/**
 * Market streams, user data streams and the WS API on the gateway's own port (embedded mode:
 * the hub is fed in-process with every command's events once they are durable).
 *
 * WS API order methods call the REST routes' own handlers (GatewayContext.invoke) once the WS
 * layer verified the caller's signature: one implementation of every order rule, error code,
 * idempotency check and rate limit for both transports, without re-signing and re-parsing an
 * HTTP request per order. Each API key gets its own IP-weight bucket (the pseudo address
 * `ws-api:<key>`), and its key weight and order counts are the key's and account's own, as over
 * REST.
 */
/** What the streams need from the exchange: the (replica) engine and its events once durable. */
export interface StreamSource {
  readonly engine: Engine;
  onEvents(listener: EventListener): () => void;
}

export function attachStreams(app: FastifyInstance, server: Server, exchange: StreamSource, secrets: SecretBox, markets: readonly MarketConfig[], logger?: Logger): AttachedStreams {
  const hub = createMarketDataHub({ markets, depthSnapshot: (symbol, limit) => exchange.engine.depth(symbol, limit), ...(logger ? { logger } : {}) });
  const stopFeed = exchange.onEvents((seq, tsMs, events) => hub.publish(seq, tsMs, events));
  const secretCache = new Map<string, string>();

  const apiKeys = (apiKey: string): ApiKeyInfo | undefined => {
    const rec = exchange.engine.apiKey(apiKey);
    if (rec === undefined) return undefined;
    let secret = secretCache.get(apiKey);
    if (secret === undefined) {
      try {
        secret = secrets.open(apiKey, rec.secretEnc);
      } catch {
        return undefined;
      }
      if (secretCache.size >= SECRET_CACHE_MAX) secretCache.clear();
      secretCache.set(apiKey, secret);
    }
    return { userId: rec.userId, secret, permissions: rec.permissions };
  };

  const gateway = gatewayOf(app);
  if (gateway === undefined) throw new Error('attachStreams: the app was not built by buildApp');
  const viaRest = (name: OrderApiMethod) => async (auth: WsApiAuth, params: Readonly<Record<string, string>>): Promise<unknown> => {
    const key = apiKeys(auth.apiKey);
    if (key === undefined) throw { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.', status: 401 };
    const route = ROUTES[name];
    try {
      return await gateway.invoke(route.method, route.url, auth.apiKey, params, `ws-api:${auth.apiKey}`);
    } catch (err) {
      // The REST error handler's mapping: a catalogue error, never a stack.
      const e = toApiError(err as Error);
      if (e.http >= 500) logger?.error({ err, method: name }, 'ws-api request failed');
      throw { code: e.code, msg: e.message, status: e.http };
    }
  };
  const orderApi = Object.fromEntries((Object.keys(ROUTES) as OrderApiMethod[]).map((m) => [m, viaRest(m)])) as OrderApi;

  const ws = attachWebSocketServer(server, hub, { apiKeys, orderApi, ...(logger ? { logger } : {}) });
  return {
    connections: () => ws.connectionCount(),
    close: async () => {
      await ws.close();
      hub.close();
      stopFeed();
    },
  };
}
