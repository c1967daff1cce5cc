import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Command, Market, Permission } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import { BusyError, SequencerClosedError, SequencerFailedError, type Accepted } from '@matchbox/log';
import type { ExchangeHealth } from '../core/exchange.ts';
import type { HistoryReader } from '../history/history.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { SESSION_COOKIE, type SessionTokens } from '../security/sessions.ts';
import { ApiError, illegal } from './api-error.ts';
import { Params } from './params.ts';
import type { RateLimiter } from './rate-limits.ts';

/** What the gateway needs from the exchange core (the in-process `Exchange` fits it). */
export interface ExchangePort {
  readonly engine: Engine;
  readonly history: HistoryReader;
  submit(command: Command): Promise<Accepted>;
  health(): ExchangeHealth;
  /** The history store's projector, when this process runs one (the status page shows its lag). */
  projectorProgress?(): { readonly seq: number } | null;
}

export interface Auth {
  readonly userId: number;
  readonly apiKey: string;
}

/** What a route handler may use of the request: the caller's address (for extra weight). */
export interface CallRequest { readonly ip: string }
/** What a route handler may use of the reply: response headers (order counts). */
export interface CallReply { header(name: string, value: string): CallReply }

export interface Call {
  readonly req: CallRequest;
  readonly reply: CallReply;
  readonly p: Params;
  /** Set for signed endpoints. */
  readonly auth: Auth;
}

export interface RouteOptions {
  readonly weight: number;
  /** Signed endpoint needing this key permission. */
  readonly signed?: Permission;
}

const API_KEY_RE = /^[A-Za-z0-9]{16,128}$/;
const SIGNATURE_RE = /^[0-9a-fA-F]{64}$/;
const SYMBOL_RE = /^[A-Z0-9-_.]{1,20}$/;
const SYMBOLS_RE = /^\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}")*)?\]$/;
const SECRET_CACHE_MAX = 10_000;
const NO_AUTH: Auth = { userId: 0, apiKey: '' };
/** Parameters the WS API verified itself and the REST route would have read (timestamp, recvWindow, signature). */
const WS_AUTH_PARAMS = 3;
/** The WS API has no response headers. */
const NO_HEADERS: CallReply = { header: () => NO_HEADERS };

interface Registered extends DirectRoute {
  readonly opts: RouteOptions;
  readonly handler: (call: Call) => unknown;
}

/** A Binance route as the direct HTTP path calls it: the same parameters, signature rules and handler. */
export interface DirectRoute {
  readonly url: string;
  readonly weight: number;
  call(ip: string, apiKeyHeader: string | string[] | undefined, query: string, body: string, reply: CallReply): unknown;
}

/** Shared by the route plugins: auth, parameters, rate limits and the road to the sequencer. */
export class GatewayContext {
  private readonly secretCache = new Map<string, string>();
  private readonly routes = new Map<string, Registered>();

  constructor(
    readonly exchange: ExchangePort,
    readonly box: SecretBox,
    readonly sessions: SessionTokens,
    readonly limiter: RateLimiter,
    readonly clock: () => number,
  ) {}

  get engine(): Engine { return this.exchange.engine; }
  get history(): HistoryReader { return this.exchange.history; }

  /** Registers a Binance-style endpoint: weight, optional signature, parameters, JSON answer. */
  route(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, opts: RouteOptions,
    handler: (call: Call) => unknown): void {
    const entry: Registered = {
      opts, handler, url, weight: opts.weight,
      call: (ip, apiKeyHeader, query, body, reply) => {
        const p = Params.parse(query, body);
        const auth = opts.signed ? this.authenticate(apiKeyHeader, query, body, p, opts.signed, opts.weight) : NO_AUTH;
        return handler({ req: { ip }, reply, p, auth });
      },
    };
    this.routes.set(`${method} ${url}`, entry);
    app.route({
      method, url, config: { weight: opts.weight },
      handler: async (req, reply) => entry.call(req.ip, req.headers['x-mbx-apikey'], rawQuery(req), typeof req.body === 'string' ? req.body : '', reply),
    });
  }

  /**
   * Binance's SIGNED rules: key in X-MBX-APIKEY; timestamp within recvWindow; signature = hex
   * HMAC-SHA256(secret, query string + body exactly as sent, minus the signature parameter),
   * compared in constant time; then the key's permission.
   */
  authenticate(key: string | string[] | undefined, query: string, body: string, p: Params, permission: Permission, weight: number): Auth {
    if (typeof key !== 'string' || !API_KEY_RE.test(key)) throw new ApiError('BAD_API_KEY_FMT');
    const rec = this.engine.apiKey(key);
    if (rec === undefined) throw new ApiError('REJECTED_MBX_KEY');
    const timestamp = p.requiredInt('timestamp');
    const recvWindow = p.optionalInt('recvWindow') ?? 5000;
    if (recvWindow > 60_000) throw new ApiError('BAD_RECV_WINDOW');
    const now = this.clock();
    if (!(timestamp < now + 1000 && now - timestamp <= recvWindow)) throw new ApiError('INVALID_TIMESTAMP');
    const signature = p.required('signature');
    if (!SIGNATURE_RE.test(signature)) throw new ApiError('INVALID_SIGNATURE');
    const expected = createHmac('sha256', this.secretOf(key, rec.secretEnc)).update(signedPayload(query, body)).digest();
    if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) throw new ApiError('INVALID_SIGNATURE');
    return this.authorize(key, rec, permission, weight);
  }

  /** After the signature: the key's permission, then its request weight. */
  private authorize(apiKey: string, rec: { userId: number; permissions: readonly string[] }, permission: Permission, weight: number): Auth {
    if (!rec.permissions.includes(permission)) throw new ApiError('REJECTED_MBX_KEY');
    this.limiter.chargeKey(apiKey, weight);
    return { userId: rec.userId, apiKey };
  }

  /**
   * The Binance route registered for exactly this method and path, for the gateway's direct
   * HTTP path (raw-routes.ts), which serves the busiest endpoints without Fastify's lifecycle.
   */
  routeFor(method: string, path: string): DirectRoute | undefined {
    return this.routes.get(`${method} ${path}`);
  }

  /**
   * A REST endpoint called directly by the WS API, whose connection already verified the key,
   * timestamp and signature: the same handler (rules, error codes, idempotency) and the same
   * rate limits (weight to the pseudo address `ip` and to the key, order counts), without
   * re-signing and re-parsing an HTTP request. Throws what the route throws (ApiError mostly).
   */
  invoke(method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, apiKey: string, params: Readonly<Record<string, string>>, ip: string): unknown {
    const r = this.routes.get(`${method} ${url}`);
    if (r === undefined) throw new ApiError('NOT_FOUND');
    this.limiter.chargeIp(ip, r.opts.weight);
    const p = Params.of(params, r.opts.signed ? WS_AUTH_PARAMS : 0);
    let auth = NO_AUTH;
    if (r.opts.signed) {
      const rec = this.engine.apiKey(apiKey);
      if (rec === undefined) throw new ApiError('REJECTED_MBX_KEY');
      auth = this.authorize(apiKey, rec, r.opts.signed, r.opts.weight);
    }
    return r.handler({ req: { ip }, reply: NO_HEADERS, p, auth });
  }

  private secretOf(apiKey: string, sealed: string): string {
    const cached = this.secretCache.get(apiKey);
    if (cached !== undefined) return cached;
    let secret: string;
    try {
      secret = this.box.open(apiKey, sealed);
    } catch {
      // Sealed under another server key: the key is unusable here, exactly like an unknown one.
      throw new ApiError('REJECTED_MBX_KEY');
    }
    if (this.secretCache.size >= SECRET_CACHE_MAX) this.secretCache.clear();
    this.secretCache.set(apiKey, secret);
    return secret;
  }

  forgetSecret(apiKey: string): void {
    this.secretCache.delete(apiKey);
  }

  /** Web-UI session (bearer token or cookie) → user id; -1002 otherwise. */
  sessionUser(req: FastifyRequest): number {
    const h = req.headers.authorization;
    let token: string | undefined;
    if (typeof h === 'string' && h.startsWith('Bearer ')) token = h.slice(7).trim();
    else token = cookie(req.headers.cookie, SESSION_COOKIE);
    const userId = token === undefined ? null : this.sessions.verify(token);
    if (userId === null || !this.engine.accounts.has(userId)) throw new ApiError('UNAUTHORIZED');
    return userId;
  }

  market(p: Params, name = 'symbol'): Market {
    return this.marketOf(p.required(name), name);
  }

  marketOf(symbol: string, name = 'symbol'): Market {
    if (!SYMBOL_RE.test(symbol)) throw illegal(name, '^[A-Z0-9-_.]{1,20}$');
    const ms = this.engine.market(symbol);
    if (ms === undefined) throw new ApiError('BAD_SYMBOL');
    return ms.market;
  }

  /** `symbol`, or `symbols=["A","B"]`, or neither (all markets). */
  marketsParam(p: Params): { markets: Market[]; single: boolean } {
    const one = p.optional('symbol');
    const many = p.optional('symbols');
    if (one !== undefined && many !== undefined) throw new ApiError('INVALID_PARAMETER', 'Combination of optional parameters invalid.');
    if (one !== undefined) return { markets: [this.marketOf(one)], single: true };
    if (many !== undefined) {
      if (!SYMBOLS_RE.test(many)) throw illegal('symbols', '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$');
      const list = JSON.parse(many) as string[];
      if (list.length === 0 || list.length > 100) throw new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'symbols'.");
      return { markets: [...new Set(list)].map((s) => this.marketOf(s, 'symbols')), single: false };
    }
    return { markets: this.engine.markets.map((ms) => ms.market), single: false };
  }

  /** Submits a command and waits until it is durable; maps intake failures to Binance errors. */
  async submit(command: Command): Promise<Accepted> {
    try {
      return await this.exchange.submit(command);
    } catch (err) {
      if (err instanceof BusyError || err instanceof SequencerClosedError) throw new ApiError('SERVER_BUSY');
      if (err instanceof SequencerFailedError) throw new ApiError('TIMEOUT');
      throw err;
    }
  }
}

export function rawQuery(req: FastifyRequest): string {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** Query string + body as sent, without the `signature=…` parameter (Binance's totalParams). */
export function signedPayload(query: string, body: string): string {
  return stripSignature(query) + stripSignature(body);
}

function stripSignature(s: string): string {
  const at = s.indexOf('signature=');
  if (at < 0) return s;
  // The usual shape: one signature parameter, the last one; cut it off without splitting.
  if ((at === 0 || s.charCodeAt(at - 1) === 38 /* & */) && s.indexOf('&', at) < 0 && s.indexOf('signature=', at + 1) < 0) {
    return at === 0 ? '' : s.slice(0, at - 1);
  }
  return s.split('&').filter((part) => !part.startsWith('signature=')).join('&');
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
