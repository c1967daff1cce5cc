import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { CallReply, GatewayContext } from './context.ts';
import type { RateLimiter } from './rate-limits.ts';

/** Sees every answered request, whichever path served it (metrics, the status page). */
export type AnswerObserver = (method: string, route: string, status: number, elapsedMs: number) => void;

export interface DirectPathOptions {
  readonly ctx: GatewayContext;
  readonly limiter: RateLimiter;
  readonly bodyLimitBytes: number;
  readonly observers: readonly AnswerObserver[];
  readonly logger: FastifyBaseLogger | undefined;
  /** Turns anything a handler throws into its Binance answer (app.ts toApiError). */
  readonly toError: (err: Error) => { http: number; body(): Record<string, unknown>; retryAfterSec: number | undefined };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Response headers a handler sets (order counts), collected for one writeHead. */
class DirectReply implements CallReply {
  readonly headers: string[] = [];
  header(name: string, value: string): CallReply {
    this.headers.push(name, value);
    return this;
  }
}

/**
 * The gateway's direct HTTP path: a Binance endpoint registered with `ctx.route` is served
 * straight from Node's `http` server — the same rate limits, parameters, signature rules, handler,
 * error answers and headers as through Fastify — without Fastify's per-request lifecycle (routing,
 * hooks, content-type parsing, reply pipeline), which cost about a quarter of the gateway's CPU per
 * order. It takes only plain requests: a form body with a Content-Length within the limit, or no
 * body. Anything else (chunked or oversized bodies, other content types, unknown paths, a proxy in
 * front) returns false and Fastify serves it, with its own error answers. `app.inject()` always
 * goes through Fastify; apps/server/test/direct-path.test.ts checks both paths answer alike.
 */
export interface DirectPath {
  /** Serves the request and returns true, or returns false for Fastify to serve it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests this path took (tests check it is the one used). */
  readonly served: number;
}

export function directPath(o: DirectPathOptions): DirectPath {
  const { ctx, limiter } = o;
  const path = { handle, served: 0 };
  return path;

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = ctx.routeFor(req.method ?? '', q < 0 ? url : url.slice(0, q));
    if (route === undefined) return false;
    const h = req.headers;
    let length = 0;
    if (h['transfer-encoding'] !== undefined) return false;
    if (h['content-length'] !== undefined) {
      length = Number(h['content-length']);
      if (!(length >= 0 && length <= o.bodyLimitBytes)) return false;
      if (length > 0 && !(h['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
    }
    path.served++;
    const started = performance.now();
    const ip = req.socket.remoteAddress ?? '';
    const query = q < 0 ? '' : url.slice(q + 1);
    const reply = new DirectReply();

    const answer = (status: number, body: unknown): void => {
      if (res.writableEnded || res.destroyed) return;
      const text = JSON.stringify(body);
      reply.headers.push('X-MBX-USED-WEIGHT-1M', String(limiter.usedIpWeight(ip)), 'content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(text)));
      res.writeHead(status, reply.headers);
      res.end(text);
      const elapsed = performance.now() - started;
      for (const observe of o.observers) observe(req.method!, route.url, status, elapsed);
    };
    const fail = (err: unknown): void => {
      const e = o.toError(err as Error);
      if (e.http >= 500) o.logger?.error({ err }, 'request failed');
      reply.headers.length = 0;
      if (e.retryAfterSec !== undefined) reply.headers.push('Retry-After', String(e.retryAfterSec));
      answer(e.http, e.body());
    };
    const run = (body: string): void => {
      let result: unknown;
      try {
        limiter.chargeIp(ip, route.weight);
        result = route.call(ip, h['x-mbx-apikey'], query, body, reply);
      } catch (err) {
        fail(err);
        return;
      }
      if (result instanceof Promise) result.then((v) => answer(200, v), fail);
      else answer(200, result);
    };

    if (length === 0) {
      run('');
      return true;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received <= length) chunks.push(c);
    });
    req.on('end', () => {
      if (received !== length) {
        fail(Object.assign(new Error('body length mismatch'), { statusCode: 400 }));
        return;
      }
      run(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => o.logger?.debug({ err }, 'request aborted'));
    return true;
  }
}
