import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig, startServer } from '@matchbox/server';
import { MatchboxClient } from '@matchbox/client';
import { MarketMaker, parseConfig } from '@matchbox/market-maker';
import { startExchange, type RunningExchange } from '../api/embedded-server.ts';

let server: RunningExchange;
let client: MatchboxClient;

beforeAll(async () => {
  server = await startExchange();
  client = new MatchboxClient(server.base);
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

/** Polls `check` until it holds; the bound is on attempts, not on how fast the bot is. */
async function eventually(check: () => Promise<boolean>, attempts = 300, pauseMs = 100): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error('condition never held');
}

it('quotes both sides of every symbol, trades, and cancels its quotes on stop', async () => {
  await runBot(server.base, client, 'rest');
});

it('does the same with order entry over the WebSocket API', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mbx-mm-ws-'));
  const full = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', MARKET_MAKER: '0' }), pino({ level: 'silent' }));
  const c = new MatchboxClient(full.url);
  try {
    await runBot(full.url, c, 'ws');
  } finally {
    c.close();
    await full.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function runBot(url: string, client: MatchboxClient, orderEntry: 'rest' | 'ws'): Promise<void> {
  const config = parseConfig(['--url', url, '--refresh-ms', '100', '--taker-every-ms', '150', '--volatility-bps', '20', '--seed', '7', '--max-weight-per-sec', '80', '--order-entry', orderEntry], {});
  const mm = await MarketMaker.create(config, pino({ level: 'silent' }));
  const symbols = (await client.exchangeInfo()).symbols.map((s) => s.symbol);
  expect(mm.quoters.map((q) => q.symbol)).toEqual(symbols);
  mm.start();
  try {
    await eventually(async () => {
      const books = await Promise.all(symbols.map((s) => client.depth(s, 20)));
      return books.every((b) => b.bids.length >= config.levels - 1 && b.asks.length >= config.levels - 1);
    });
    await eventually(async () => {
      const trades = await Promise.all(symbols.map((s) => client.ticker24h(s)));
      return trades.every((t) => t.count > 0);
    });
    for (const s of symbols) {
      const d = await client.depth(s, 20);
      // Quotes on both sides, never crossed.
      expect(d.bids.length).toBeGreaterThan(0);
      expect(d.asks.length).toBeGreaterThan(0);
      expect(Number(d.bids[0]![0]) < Number(d.asks[0]![0])).toBe(true);
    }
    expect(mm.quoters.every((q) => q.stats.placed > 0 && q.stats.takerOrders > 0)).toBe(true);
  } finally {
    await mm.stop();
  }
  for (const s of symbols) {
    const d = await client.depth(s, 20);
    expect([d.bids.length, d.asks.length]).toEqual([0, 0]);
  }
}
