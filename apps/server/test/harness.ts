import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { Exchange } from '../src/core/exchange.ts';
import { buildApp, type AppDeps } from '../src/http/app.ts';
import { SecretBox } from '../src/security/secret-box.ts';

export interface TestExchange {
  readonly app: FastifyInstance;
  readonly exchange: Exchange;
  /** Settable clock shared by the gateway (timestamps, windows). */
  now: number;
  close(): Promise<void>;
}

export const HIGH_LIMITS = { ipWeightPerMinute: 10_000_000, keyWeightPerMinute: 10_000_000, ordersPer10s: 1_000_000, ordersPerDay: 10_000_000 };

/** A whole exchange on in-memory storage behind a gateway driven by `inject()`. */
export async function testExchange(deps: Partial<AppDeps> = {}): Promise<TestExchange> {
  const exchange = await Exchange.open({ storage: { kind: 'memory' }, markets: DEFAULT_MARKETS });
  const t: TestExchange = {
    app: undefined as unknown as FastifyInstance,
    exchange,
    now: Date.now(),
    close: async () => {
      await t.app.close();
      await exchange.close();
    },
  };
  (t as { app: FastifyInstance }).app = await buildApp({
    exchange, secrets: new SecretBox(randomBytes(32)), devFaucet: true, clock: () => t.now, rateLimits: HIGH_LIMITS,
    webRoot: '/nonexistent/matchbox-web', ...deps,
  });
  return t;
}

export interface Account {
  readonly userId: number;
  readonly apiKey: string;
  readonly secretKey: string;
}

export async function devAccount(app: FastifyInstance, deposits: Record<string, string> = { USDT: '100000', BTC: '10', ETH: '100' }, extra: Record<string, unknown> = {}): Promise<Account> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: { deposits, ...extra } });
  if (r.statusCode !== 200) throw new Error(`dev account: ${r.statusCode} ${r.body}`);
  return r.json<Account>();
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function qs(params: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(params).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

export interface SignedOptions {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly params?: Record<string, string | number | boolean | undefined>;
  /** Put the parameters in a form body (POST) instead of the query string. */
  readonly inBody?: boolean;
  readonly timestamp?: number;
  readonly apiKey?: string;
  readonly ip?: string;
}

/** A signed Binance request like ccxt sends it: params + timestamp, then &signature=. */
export function signed(t: TestExchange, acct: Account, o: SignedOptions): Promise<LightMyRequestResponse> {
  const payload = qs({ ...o.params, timestamp: o.timestamp ?? t.now });
  const full = `${payload}&signature=${sign(acct.secretKey, payload)}`;
  const headers: Record<string, string> = { 'x-mbx-apikey': o.apiKey ?? acct.apiKey };
  if (o.inBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  return t.app.inject({
    method: o.method, url: o.inBody ? o.url : `${o.url}?${full}`, headers, ...(o.inBody ? { payload: full } : {}),
    ...(o.ip ? { remoteAddress: o.ip } : {}),
  });
}

export function expectError(r: LightMyRequestResponse, http: number, code: number, msg?: string | RegExp): void {
  const body = r.json<{ code: number; msg: string }>();
  const ok = r.statusCode === http && body.code === code && (msg === undefined || (typeof msg === 'string' ? body.msg === msg : msg.test(body.msg)));
  if (!ok) throw new Error(`expected ${http} ${code} ${String(msg ?? '')}, got ${r.statusCode} ${r.body}`);
}
