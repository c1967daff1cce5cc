import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ccxt from 'ccxt';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { Exchange, SecretBox, buildApp, type Storage } from '@matchbox/server';
import type { FastifyInstance } from 'fastify';

export interface RunningExchange {
  readonly base: string;
  readonly app: FastifyInstance;
  readonly exchange: Exchange;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default: files in a fresh temp dir, removed on close. */
  readonly storage?: Storage;
  readonly serverKey?: Buffer;
  /** Keep the data directory on close (restart tests). */
  readonly keepData?: boolean;
}

/** A real listening server on 127.0.0.1 with a random port. */
export async function startExchange(opts: StartOptions = {}): Promise<RunningExchange> {
  const dir = opts.storage === undefined ? mkdtempSync(path.join(tmpdir(), 'mbx-api-')) : null;
  const exchange = await Exchange.open({ storage: opts.storage ?? { kind: 'files', dataDir: dir! }, markets: DEFAULT_MARKETS });
  const app = await buildApp({ exchange, secrets: new SecretBox(opts.serverKey ?? randomBytes(32)), devFaucet: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    base: `http://127.0.0.1:${port}`, app, exchange,
    close: async () => {
      await app.close();
      await exchange.close();
      if (dir !== null && !opts.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function fundedKeys(base: string, deposits: Record<string, string>): Promise<{ userId: number; apiKey: string; secretKey: string }> {
  const r = await fetch(`${base}/api/v1/dev/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deposits }) });
  if (!r.ok) throw new Error(`faucet: ${r.status} ${await r.text()}`);
  return await r.json() as { userId: number; apiKey: string; secretKey: string };
}

const CCXT_OPTIONS = {
  fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false,
  fetchOpenOrders: { warnWithoutSymbol: false },
};

/** Points a ccxt binance (REST or pro) at a local server, exactly as BINANCE-API.md's recipe says. */
function pointAt<T extends InstanceType<typeof ccxt.binance>>(ex: T, base: string): T {
  const wsBase = base.replace('http', 'ws');
  ex.urls.api = {
    ...(ex.urls.api as Record<string, unknown>), public: `${base}/api/v3`, private: `${base}/api/v3`, v1: `${base}/api/v1`,
    ws: { spot: `${wsBase}/ws`, margin: `${wsBase}/ws`, 'ws-api': { spot: `${wsBase}/ws-api/v3` } },
  } as typeof ex.urls.api;
  return ex;
}

export function ccxtClient(base: string, apiKey = '', secret = ''): InstanceType<typeof ccxt.binance> {
  return pointAt(new ccxt.binance({ apiKey, secret, enableRateLimit: false, options: CCXT_OPTIONS }), base);
}

/** ccxt.pro's binance (REST + WebSocket); call `loadHttpProxyAgent()` before `watch*` on ws://. */
export function ccxtProClient(base: string, apiKey = '', secret = ''): InstanceType<typeof ccxt.pro.binance> {
  return pointAt(new ccxt.pro.binance({ apiKey, secret, enableRateLimit: false, options: CCXT_OPTIONS }), base);
}
