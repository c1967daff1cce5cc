import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_GOING_AWAY, ClientSocket } from './client-socket.ts';
import type { MarketDataHub, StreamLogger } from './hub.ts';
import { DEFAULT_LIMITS, type StreamLimits } from './limits.ts';
import { MarketConnection } from './market-connection.ts';
import { FlushScheduler } from './outbound.ts';
import type { ApiKeyLookup } from './signature.ts';
import { WsApiConnection, type OrderApi } from './ws-api-connection.ts';

export interface WebSocketServerOptions {
  /** API key → owner, plain secret, permissions; enables the user data stream and signed methods. */
  readonly apiKeys?: ApiKeyLookup;
  /** Order entry and queries on `/ws-api/v3`, implemented by the gateway. */
  readonly orderApi?: OrderApi;
  readonly limits?: Partial<StreamLimits>;
  readonly logger?: StreamLogger;
  readonly now?: () => number;
  /** Leave upgrade requests for other paths to other listeners instead of answering 404. */
  readonly passOtherPaths?: boolean;
}

export interface AttachedWebSocketServer {
  connectionCount(): number;
  /** Sends a close frame to every client and stops accepting; resolves when all are gone. */
  close(): Promise<void>;
}

type Route = { kind: 'market'; combined: boolean; streams: string[] } | { kind: 'api' };

/** `/ws`, `/ws/<anything>` (raw), `/stream?streams=a/b` (combined), `/ws-api/v3`. */
export function route(url: string): Route | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/ws-api/v3') return { kind: 'api' };
  if (path === '/ws' || path.startsWith('/ws/')) {
    const rest = path.slice(4);
    return { kind: 'market', combined: false, streams: rest === '' ? [] : decodeURIComponent(rest).split('/').filter((s) => s !== '') };
  }
  if (path === '/stream' || path === '/stream/') {
    const streams = new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).get('streams');
    return { kind: 'market', combined: true, streams: streams === null ? [] : streams.split('/').filter((s) => s !== '') };
  }
  return undefined;
}

/**
 * Serves market streams and the WS API on an HTTP server's upgrade requests (a Fastify instance's
 * `.server` works). No permessage-deflate: frames are built once per event and shared by every
 * subscriber, which compression per client would defeat.
 */
export function attachWebSocketServer(target: Server | { readonly server: Server }, hub: MarketDataHub, opts: WebSocketServerOptions = {}): AttachedWebSocketServer {
  const server = 'server' in target ? target.server : target;
  const limits: StreamLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const now = opts.now ?? Date.now;
  const log = opts.logger;
  const scheduler = new FlushScheduler();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: limits.maxMessageBytes, clientTracking: false });
  const clients = new Set<ClientSocket>();
  let closing = false;

  const heartbeat = setInterval(() => {
    const nowMs = now();
    for (const c of clients) c.heartbeat(nowMs);
  }, limits.pingIntervalMs);
  heartbeat.unref();

  const refuse = (socket: Duplex, status: number, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const accept = (ws: WebSocket, socket: Duplex, r: Route): void => {
    const client = new ClientSocket(ws, socket, scheduler, limits, now, log, (c) => clients.delete(c), r.kind);
    clients.add(client);
    if (r.kind === 'api') {
      client.attach(new WsApiConnection(client, hub, opts.apiKeys, opts.orderApi ?? {}, limits.maxPendingRequests, now, log));
    } else {
      const conn = new MarketConnection(client, hub, r.combined, limits.maxSubscriptions);
      client.attach(conn);
      conn.subscribeInitial(r.streams);
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const r = route(req.url ?? '/');
    if (r === undefined) {
      if (opts.passOtherPaths !== true) refuse(socket, 404, 'Not Found');
      return;
    }
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (clients.size >= limits.maxConnections) return refuse(socket, 503, 'Service Unavailable');
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, socket, r));
  };
  server.on('upgrade', onUpgrade);

  return {
    connectionCount: () => clients.size,
    close: async () => {
      closing = true;
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      const gone = [...clients].map((c) => new Promise<void>((resolve) => {
        if (c.ws.readyState === c.ws.CLOSED) return resolve();
        c.ws.once('close', () => resolve());
        c.close(CLOSE_GOING_AWAY, 'server shutting down');
      }));
      await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 2000).unref())]);
      for (const c of clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
