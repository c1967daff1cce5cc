import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
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
  const config = parseConfig(['--url', server.base, '--refresh-ms', '100', '--taker-every-ms', '150', '--volatility-bps', '20', '--seed', '7', '--max-weight-per-sec', '80'], {});
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
});
