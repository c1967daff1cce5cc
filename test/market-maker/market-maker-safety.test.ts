import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import pino from 'pino';
import { MatchboxClient } from '@matchbox/client';
import { loadConfig, startServer } from '@matchbox/server';
import { MarketMaker, parseConfig, type BotState } from '@matchbox/market-maker';
import { fundedKeys, startExchange, type RunningExchange } from '../api/embedded-server.ts';

const silent = pino({ level: 'silent' });
let ex: RunningExchange;
let client: MatchboxClient;
let dir: string;

beforeEach(async () => {
  ex = await startExchange();
  client = new MatchboxClient(ex.base);
  dir = mkdtempSync(path.join(tmpdir(), 'mbx-mm-state-'));
});

afterEach(async () => {
  client?.close();
  await ex?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function eventually(check: () => Promise<boolean>, attempts = 300, pauseMs = 50): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error('condition never held');
}

const readState = (file: string): BotState => JSON.parse(readFileSync(file, 'utf8')) as BotState;

it('taker flow never fills a resting order far from the reference price', async () => {
  const user = client.withCredentials(await fundedKeys(ex.base, { USDT: '10000', BTC: '1' }));
  // An otherwise empty book (as after a restart, before the bot quotes): a user bid 10% below
  // the reference (BTCUSDT's start price, 65000) and a user ask 0.15% above it.
  const far = await user.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '58500', quantity: '0.02' });
  const near = await user.newOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '65100', quantity: '0.02' });
  const mm = await MarketMaker.create(parseConfig(['--url', ex.base, '--symbols', 'BTCUSDT', '--taker-band-bps', '30', '--seed', '5'], {}), silent);
  const q = mm.quoters[0]!;
  expect(q.reference.priceTicks).toBe(6_500_000);
  try {
    for (let i = 0; i < 30; i++) await q.takerTick();
  } finally {
    await mm.stop();
  }
  expect(q.stats.takerOrders).toBe(30);
  expect(q.stats.takerFilledLots).toBeGreaterThan(0);
  const farNow = await user.getOrder({ symbol: 'BTCUSDT', orderId: far.orderId });
  expect([farNow.status, Number(farNow.executedQty)]).toEqual(['NEW', 0]);
  // The taker's buys did trade, with the ask inside the band.
  expect(Number((await user.getOrder({ symbol: 'BTCUSDT', orderId: near.orderId })).executedQty)).toBeGreaterThan(0);
  const t = await client.ticker24h('BTCUSDT');
  expect(Number(t.lowPrice)).toBeGreaterThanOrEqual(64_805); // 65000 − 30 bps: the 24h low is not polluted
});

it('sends no taker order before its own ladder is on the book', async () => {
  const mm = await MarketMaker.create(parseConfig(['--url', ex.base, '--symbols', 'BTCUSDT', '--refresh-ms', '800', '--taker-every-ms', '20'], {}), silent);
  const q = mm.quoters[0]!;
  mm.start();
  try {
    // The first quoting cycle runs after 800 ms; taker ticks (every ~20 ms) wait for it.
    await new Promise((r) => setTimeout(r, 500));
    expect(q.stats.takerOrders).toBe(0);
    await eventually(async () => q.stats.takerOrders > 0);
    expect(q.quoting).toBe(true);
    expect(q.stats.placed).toBeGreaterThanOrEqual(2 * 5);
  } finally {
    await mm.stop();
  }
});

it('a restarted bot reuses its accounts from the state file and leaves nothing of its crashed run on the book', async () => {
  const stateFile = path.join(dir, 'data', 'market-maker.json');
  const args = ['--url', ex.base, '--refresh-ms', '100', '--taker-every-ms', '150', '--max-weight-per-sec', '80', '--state-file', stateFile];
  const symbols = (await client.exchangeInfo()).symbols.map((s) => s.symbol);
  const booksFull = async (levels: number): Promise<boolean> => {
    const books = await Promise.all(symbols.map((s) => client.depth(s, 50)));
    return books.every((b) => b.bids.length >= levels - 1 && b.asks.length >= levels - 1);
  };

  const first = await MarketMaker.create(parseConfig([...args, '--seed', '3'], {}), silent);
  first.start();
  await eventually(() => booksFull(5));
  await first.stop({ cancelQuotes: false }); // a crash: the quotes stay on the book

  expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  const saved = readState(stateFile);
  expect(Object.keys(saved.makers).sort()).toEqual([...symbols].sort());
  expect(saved.taker).toBeDefined();
  const leftovers = await Promise.all(symbols.map(async (s) => ({ s, maker: client.withCredentials(saved.makers[s]!), orders: await client.withCredentials(saved.makers[s]!).openOrders(s) })));
  expect(leftovers.every((l) => l.orders.length > 0)).toBe(true);

  const second = await MarketMaker.create(parseConfig([...args, '--seed', '4'], {}), silent);
  try {
    // Same accounts (no new faucet users), and before it quotes, nothing of the first run rests.
    expect(readState(stateFile)).toEqual(saved);
    for (const s of symbols) expect(await client.depth(s, 50)).toMatchObject({ bids: [], asks: [] });
    for (const l of leftovers) {
      for (const o of l.orders) expect((await l.maker.getOrder({ symbol: l.s, orderId: o.orderId })).status).toBe('CANCELED');
    }
    second.start();
    await eventually(() => booksFull(5));
    for (const s of symbols) {
      const d = await client.depth(s, 50);
      // One ladder, not two interleaved ones.
      expect(d.bids.length).toBeLessThanOrEqual(5);
      expect(d.asks.length).toBeLessThanOrEqual(5);
    }
  } finally {
    await second.stop();
  }
  for (const s of symbols) expect(await client.depth(s, 50)).toMatchObject({ bids: [], asks: [] });
});

it('replaces saved accounts this exchange does not know and overwrites the state file', async () => {
  const stateFile = path.join(dir, 'market-maker.json');
  const stranger = { userId: 999, apiKey: 'A'.repeat(64), secretKey: 'B'.repeat(64) };
  writeFileSync(stateFile, JSON.stringify({ version: 1, makers: { BTCUSDT: stranger }, taker: stranger }), { mode: 0o644 });
  const mm = await MarketMaker.create(parseConfig(['--url', ex.base, '--symbols', 'BTCUSDT', '--state-file', stateFile], {}), silent);
  await mm.stop();
  const s = readState(stateFile);
  expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  expect(s.makers.BTCUSDT!.apiKey).not.toBe(stranger.apiKey);
  expect(s.taker!.apiKey).not.toBe(stranger.apiKey);
  expect((await client.withCredentials(s.makers.BTCUSDT!).account()).canTrade).toBe(true);
});

it('the in-process setup: exchange restarted on its data dir, bot over the WebSocket API with DATA_DIR/market-maker.json', async () => {
  const dataDir = path.join(dir, 'exchange');
  const serverConfig = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', MARKET_MAKER: '0', HISTORY_STORE: '0' });
  const env = { MM_ORDER_ENTRY: 'ws', MM_STATE_FILE: path.join(dataDir, 'market-maker.json'), MM_SYMBOLS: 'ETHUSDT', MM_REFRESH_MS: '100', MM_TAKER_EVERY_MS: '0' };
  let server = await startServer(serverConfig, silent);
  let c = new MatchboxClient(server.url);
  try {
    const first = await MarketMaker.create(parseConfig([], { ...env, MM_URL: server.url }), silent);
    first.start();
    await eventually(async () => (await c.depth('ETHUSDT', 50)).bids.length >= 4);
    await first.stop({ cancelQuotes: false });
    c.close();
    await server.close();

    server = await startServer(serverConfig, silent);
    c = new MatchboxClient(server.url);
    expect((await c.depth('ETHUSDT', 50)).bids.length).toBeGreaterThanOrEqual(4); // the old quotes survived the restart
    const second = await MarketMaker.create(parseConfig([], { ...env, MM_URL: server.url }), silent);
    expect(await c.depth('ETHUSDT', 50)).toMatchObject({ bids: [], asks: [] });
    await second.stop();
  } finally {
    c.close();
    await server.close();
  }
});
