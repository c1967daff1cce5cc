import http from 'node:http';
import https from 'node:https';
import { MatchboxApiError } from './errors.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface TransportOptions {
  /** Most sockets kept open to the server (keep-alive); requests beyond it queue in the agent. */
  readonly maxSockets?: number;
  /** Per-request timeout; on expiry the request fails with status 0 ("status unknown"). */
  readonly timeoutMs?: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Keep-alive HTTP/1.1 to one base URL through node's own Agent (no extra dependency). The
 * agent reuses sockets across requests, so a steady client pays the TCP handshake once.
 */
export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, opts: TransportOptions = {}) {
    const url = new URL(baseUrl);
    const secure = url.protocol === 'https:';
    this.mod = secure ? https : http;
    this.host = url.hostname;
    this.port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
    this.basePath = url.pathname.replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 16, scheduling: 'fifo' as const };
    this.agent = secure ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  request(method: string, pathAndQuery: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string | number> = { ...headers };
      if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
      const req = this.mod.request({
        method, host: this.host, port: this.port, path: this.basePath + pathAndQuery, headers: h, agent: this.agent, timeout: this.timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) {
            res.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new MatchboxApiError(0, -1007, `no answer within ${this.timeoutMs} ms (status unknown)`, undefined)));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
