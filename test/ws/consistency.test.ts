import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Churn } from '../../packages/stream/src/testing/sim.ts';
import { startExchange, sleep, TestClient, type TestExchange } from './harness.ts';
import { LocalBook } from './local-book.ts';

/** Runs `steps` churn commands in slices, yielding to the event loop so the server keeps sending. */
async function churnFor(churn: Churn, steps: number, perSlice = 200): Promise<void> {
  for (let i = 0; i < steps; i += perSlice) {
    for (let j = 0; j < perSlice; j++) churn.step();
    await sleep(2);
  }
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(10);
  }
}

describe('gap-free depth under churn', () => {
  let ex: TestExchange;
  beforeAll(async () => { ex = await startExchange(); });
  afterAll(async () => { await ex.close(); });

  it('local books following the Binance procedure (100 ms and 1000 ms) never see a gap, resync after reconnecting, and end equal to engine depth', async () => {
    const churn = new Churn(ex.feed, [ex.alice, ex.bob], 11);
    await churnFor(churn, 2000);
    const depthUrl = `${ex.base}/api/v3/depth?symbol=BTCUSDT&limit=5000`;
    const fast = new LocalBook(`${ex.wsBase}/ws/btcusdt@depth@100ms`, depthUrl);
    const slow = new LocalBook(`${ex.wsBase}/ws/btcusdt@depth`, depthUrl);
    const reconnecting = new LocalBook(`${ex.wsBase}/ws/btcusdt@depth@100ms`, depthUrl);
    await Promise.all([fast.start(), slow.start(), reconnecting.start()]);
    await churnFor(churn, 6000);
    await reconnecting.stop();
    await churnFor(churn, 3000);
    await reconnecting.start();
    await churnFor(churn, 6000);
    const engine = ex.feed.engine.depth('BTCUSDT', 5000)!;
    await until(() => [fast, slow, reconnecting].every((b) => b.lastUpdateId === engine.lastUpdateId));
    const rest = (await (await fetch(depthUrl)).json()) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
    expect(rest.lastUpdateId).toBe(engine.lastUpdateId);
    for (const b of [fast, slow, reconnecting]) {
      expect(b.gaps).toEqual([]);
      expect(b.diffsApplied).toBeGreaterThan(0);
      expect(b.levels()).toEqual({ bids: rest.bids, asks: rest.asks });
      await b.stop();
    }
  });
});

describe('slow clients', () => {
  let ex: TestExchange;
  beforeAll(async () => { ex = await startExchange({ limits: { maxBufferedBytes: 256 * 1024 } }); });
  afterAll(async () => { await ex.close(); });

  it('cuts off a client that stops reading while the others keep receiving every trade', async () => {
    const fastClient = await TestClient.open(`${ex.wsBase}/ws/btcusdt@trade`);
    const slowWs = new WebSocket(`${ex.wsBase}/ws/btcusdt@trade`);
    await new Promise<void>((resolve) => slowWs.once('open', () => resolve()));
    // Stop reading: the kernel buffers fill, then the server's bounded queue.
    (slowWs as unknown as { _socket: { pause(): void } })._socket.pause();
    await sleep(50);
    expect(ex.ws.connectionCount()).toBe(2);
    let trades = 0;
    for (let round = 0; round < 400 && ex.ws.connectionCount() > 1; round++) {
      for (let i = 0; i < 100; i++) {
        ex.feed.place({ userId: ex.alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 20 });
        ex.feed.place({ userId: ex.bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 20 });
        trades++;
      }
      await sleep(1);
    }
    expect(ex.ws.connectionCount()).toBe(1);
    // One more trade after the cut: the fast client still gets everything, in order, no gaps.
    ex.feed.place({ userId: ex.alice, side: 'SELL', priceTicks: 3_000_000, qtyLots: 20 });
    ex.feed.place({ userId: ex.bob, side: 'BUY', priceTicks: 3_000_000, qtyLots: 20 });
    trades++;
    await until(() => fastClient.messages.length >= trades, 20_000);
    const ids = fastClient.messages.map((m) => (m as { t: number }).t);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
    fastClient.close();
    slowWs.terminate();
  });
});
