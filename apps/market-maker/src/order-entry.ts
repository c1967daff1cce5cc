import { WsApiClient, type Account, type Credentials, type MatchboxClient, type NewOrder, type Order } from '@matchbox/client';

/** What a quoter needs from the exchange for its own account: REST or the WebSocket API. */
export interface OrderEntry {
  openOrders(symbol: string): Promise<Order[]>;
  newOrder(order: NewOrder): Promise<Order>;
  cancelOrder(symbol: string, orderId: number): Promise<unknown>;
  cancelAll(symbol: string): Promise<unknown>;
  account(): Promise<Account>;
  close(): Promise<void>;
}

export function restOrderEntry(c: MatchboxClient): OrderEntry {
  return {
    openOrders: (s) => c.openOrders(s),
    newOrder: (o) => c.newOrder(o),
    cancelOrder: (symbol, orderId) => c.cancelOrder({ symbol, orderId }),
    cancelAll: (s) => c.cancelAll(s),
    account: () => c.account(),
    close: async () => undefined,
  };
}

/**
 * Order entry over `/ws-api/v3`: one socket per account, many requests in flight, and its own
 * per-key rate-limit bucket on the server (not the IP's, which the web UI shares). Reconnects on
 * the next call after the socket closed.
 */
export function wsOrderEntry(baseUrl: string, credentials: Credentials): OrderEntry {
  let conn: Promise<WsApiClient> | undefined;
  const ws = async (): Promise<WsApiClient> => {
    const c = conn === undefined ? undefined : await conn.catch(() => undefined);
    if (c === undefined || c.closed) conn = WsApiClient.connect(baseUrl, { credentials, timeoutMs: 10_000, maxPending: 64 });
    return conn!;
  };
  return {
    openOrders: async (s) => (await ws()).openOrders(s),
    newOrder: async (o) => (await ws()).placeOrder(o),
    cancelOrder: async (symbol, orderId) => (await ws()).cancelOrder(symbol, orderId),
    cancelAll: async (s) => (await ws()).cancelAll(s).catch((err: unknown) => {
      if ((err as { code?: number }).code === -2011) return [];
      throw err;
    }),
    account: async () => (await ws()).account(),
    close: async () => {
      const c = conn === undefined ? undefined : await conn.catch(() => undefined);
      await c?.close();
    },
  };
}
