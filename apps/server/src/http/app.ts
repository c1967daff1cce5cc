import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERRORS } from '@matchbox/domain';
import type { SecretBox } from '../security/secret-box.ts';
import { SessionTokens } from '../security/sessions.ts';
import { ApiError } from './api-error.ts';
import { GatewayContext, type ExchangePort } from './context.ts';
import { directPath, type AnswerObserver, type DirectPath } from './direct-path.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitConfig } from './rate-limits.ts';
import { accountRoutes } from './routes/account.ts';
import { marketDataRoutes } from './routes/market-data.ts';
import { orderRoutes } from './routes/orders.ts';
import { userRoutes } from './routes/users.ts';
import { statusRoutes, type StatusExtras } from './routes/status.ts';

export interface AppDeps {
  readonly exchange: ExchangePort;
  readonly secrets: SecretBox;
  /** POST /api/v1/dev/* (free money): on in embedded mode, off in production unless DEV_FAUCET=1. */
  readonly devFaucet: boolean;
  readonly rateLimits?: Partial<RateLimitConfig>;
  readonly bodyLimitBytes?: number;
  readonly clock?: () => number;
  readonly logger?: FastifyBaseLogger | boolean;
  /** Collect process metrics (CPU, memory, event loop) too; off in tests. */
  readonly processMetrics?: boolean;
  readonly trustProxy?: boolean;
  readonly secureCookies?: boolean;
  /** The built web UI (apps/web/dist); served at `/` when it holds an index.html. */
  readonly webRoot?: string;
  /** Status page probes only the process wiring has (snapshots, WebSocket clients); see routes/status.ts. */
  readonly status?: StatusExtras;
}

const gateways = new WeakMap<FastifyInstance, GatewayContext>();

const directPaths = new WeakMap<FastifyInstance, DirectPath>();

/** The direct HTTP path of an app built by `buildApp` (absent behind a proxy). */
export function directPathOf(app: FastifyInstance): DirectPath | undefined {
  return directPaths.get(app);
}

/** The gateway context behind an app built by `buildApp` (the WS API calls its routes directly). */
export function gatewayOf(app: FastifyInstance): GatewayContext | undefined {
  return gateways.get(app);
}

/** Where `npm run build:web` puts the UI. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

declare module 'fastify' {
  interface FastifyContextConfig { weight?: number }
}

/**
 * The gateway as a Fastify app, one plugin per domain: market data, orders, account,
 * users/keys (+ dev faucet), operations (health, metrics). Tests drive it with `app.inject()`.
 * Every error leaves as Binance's `{code, msg}` with the catalogue's HTTP status; never a stack.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? Date.now;
  const limits: RateLimitConfig = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const limiter = new RateLimiter(limits, clock);
  const ctx = new GatewayContext(deps.exchange, deps.secrets, new SessionTokens(deps.secrets, clock), limiter, clock);
  const bodyLimit = deps.bodyLimitBytes ?? 64 * 1024;
  /** Every answered request, from Fastify's onResponse or from the direct path. */
  const observers: AnswerObserver[] = [];
  let direct: DirectPath | undefined;
  const options: FastifyServerOptions = {
    bodyLimit, trustProxy: deps.trustProxy ?? false, routerOptions: { maxParamLength: 200 },
    ...(typeof deps.logger === 'boolean' ? { logger: deps.logger } : deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Binance endpoints are served by the direct path first (direct-path.ts); Fastify gets the rest.
    serverFactory: (handler) => {
      const server = createServer((req, res) => { if (direct === undefined || !direct.handle(req, res)) handler(req, res); });
      server.keepAliveTimeout = 72_000; // Fastify's default, which it sets only on servers it creates
      return server;
    },
  };
  const app = Fastify(options) as unknown as FastifyInstance;
  gateways.set(app, ctx);
  // Behind a proxy the client's address comes from X-Forwarded-For, which Fastify resolves.
  if (!(deps.trustProxy ?? false)) {
    direct = directPath({ ctx, limiter, bodyLimitBytes: bodyLimit, observers, logger: app.log, toError: toApiError });
    directPaths.set(app, direct);
  }
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    for (const observe of observers) observe(req.method, route, reply.statusCode, reply.elapsedTime);
    done();
  });
  const metrics = setupMetrics(observers, deps);
  statusRoutes(app, metrics, observers, deps);

  // Callback-style hooks (not async): no promise per request on the hot path.
  app.addHook('onRequest', (req, reply, done) => {
    // Weight is charged before any work, so an over-limit client costs almost nothing.
    const weight = req.routeOptions.config.weight ?? 1;
    let err: Error | undefined;
    try {
      limiter.chargeIp(req.ip, weight);
    } catch (e) {
      err = e as Error;
    }
    void reply.header('X-MBX-USED-WEIGHT-1M', String(limiter.usedIpWeight(req.ip)));
    done(err);
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toApiError(err as Error & { statusCode?: number; code?: string });
    if (e.http >= 500) req.log.error({ err }, 'request failed');
    if (e.retryAfterSec !== undefined) void reply.header('Retry-After', String(e.retryAfterSec));
    void reply.header('X-MBX-USED-WEIGHT-1M', String(limiter.usedIpWeight(req.ip)));
    return reply.code(e.http).send(e.body());
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.header('X-MBX-USED-WEIGHT-1M', String(limiter.usedIpWeight(req.ip)));
    return reply.code(404).send(new ApiError('NOT_FOUND').body());
  });

  // Binance endpoints: the body is read as the raw string it was signed as.
  await app.register(async (v3) => {
    v3.removeAllContentTypeParsers();
    v3.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    marketDataRoutes(v3, ctx, limits);
    orderRoutes(v3, ctx);
    accountRoutes(v3, ctx);
  });
  // Matchbox's own JSON endpoints (users, keys, dev faucet); forms accepted too.
  await app.register(async (v1) => {
    await v1.register(formbody);
    userRoutes(v1, ctx, { devFaucet: deps.devFaucet, secureCookies: deps.secureCookies ?? false });
  });

  const webRoot = deps.webRoot ?? DEFAULT_WEB_ROOT;
  if (existsSync(join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot, prefix: '/', index: ['index.html'], wildcard: false,
      // Hashed assets never change; the page itself is always revalidated.
      setHeaders: (reply, path) => { void reply.header('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'); },
    });
  }

  app.get('/health', { config: { weight: 0 } }, async (_req, reply) => {
    const h = deps.exchange.health();
    return reply.code(h.ok ? 200 : 503).send({ status: h.ok ? 'ok' : 'failed', ...h });
  });
  app.get('/metrics', { config: { weight: 0 } }, async (_req, reply) => {
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  return app;
}

function setupMetrics(observers: AnswerObserver[], deps: AppDeps): Registry {
  const registry = new Registry();
  if (deps.processMetrics) collectDefaultMetrics({ register: registry });
  const latency = new Histogram({
    name: 'matchbox_http_request_duration_seconds', help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'], registers: [registry],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  observers.push((method, route, status, elapsedMs) => latency.observe({ method, route, status: String(status) }, elapsedMs / 1000));
  new Gauge({
    name: 'matchbox_log_seq', help: 'Sequence numbers: last applied and last durable', labelNames: ['kind'], registers: [registry],
    collect() {
      const h = deps.exchange.health();
      this.set({ kind: 'applied' }, h.lastSeq);
      this.set({ kind: 'durable' }, h.durableSeq);
    },
  });
  return registry;
}

/** Anything thrown becomes a catalogue error; unknown failures are -1000 without details. */
export function toApiError(err: Error & { statusCode?: number; code?: string }): ApiError {
  if (err instanceof ApiError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError('REQUEST_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError('INVALID_PARAMETER', 'Unsupported Content-Type.', undefined, 415);
    default: break;
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError('INVALID_PARAMETER', ERRORS.INVALID_PARAMETER.msg, undefined, status);
  return new ApiError('UNKNOWN');
}
