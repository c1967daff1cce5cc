import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamLog } from '@matchbox/log';
import { PG_URL, REDIS_URL, Sandbox, faucet, health, signed, until, type User } from './harness.ts';

/**
 * The read side of the production topology as separate processes on Redis + PostgreSQL:
 * ROLE=sequencer, ROLE=gateway, ROLE=projector and two ROLE=fanout. Orders (resting and crossing)
 * flow through the gateway; one fan-out is SIGKILLed mid-run. The surviving fan-out's diff depth
 * stream stays gap-free (each U = previous u + 1) up to the book's final update id, and the
 * projector has every acknowledged order in PostgreSQL, which the gateway's history serves.
 */

interface Diff { U: number; u: number }

const sandbox = new Sandbox();
const sockets: WebSocket[] = [];


/** Subscribes to BTCUSDT diff depth (100 ms) on a fan-out; collects every diff's U/u. */
async function depthStream(url: string): Promise<{ diffs: Diff[]; closed: () => boolean }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/btcusdt@depth@100ms`);
  sockets.push(ws);
  const diffs: Diff[] = [];
  let closed = false;
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { e?: string; U: number; u: number };
    if (m.e === 'depthUpdate') diffs.push({ U: m.U, u: m.u });
  });
  ws.on('close', () => { closed = true; });
  ws.on('error', () => { closed = true; });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  return { diffs, closed: () => closed };
}

beforeAll(async () => {
  await sandbox.create();
});

afterAll(async () => {
  for (const s of sockets) s.terminate();
  await sandbox.killAll();
  await sandbox.drop();
});

describe('production topology: ROLE=projector + 2 × ROLE=fanout on Redis + PostgreSQL', () => {
  it('keeps the surviving fan-out gap-free when another is SIGKILLed, and projects every acknowledged order', async () => {
    const sequencer = sandbox.start('sequencer', 'sequencer');
    const gateway = sandbox.start('gateway', 'gateway');
    const projector = sandbox.start('projector', 'projector');
    const [, gwUrl, projUrl] = await Promise.all([sequencer.url, gateway.url, projector.url]);
    const deposits = { USDT: '10000000', BTC: '1000' };
    const users = await Promise.all([0, 1, 2, 3].map(() => faucet(gwUrl!, deposits)));

    // The fan-outs start after some commands, so they seed their books from a recovered engine.
    const fanA = sandbox.start('fanout-a', 'fanout');
    const fanB = sandbox.start('fanout-b', 'fanout');
    const [urlA, urlB] = await Promise.all([fanA.url, fanB.url]);
    const streamA = await depthStream(urlA);
    const streamB = await depthStream(urlB);
    // Gateways serve the same streams from their replica engine (and the user streams and WS API).
    const streamG = await depthStream(gwUrl!);

    const acks: { user: User; orderId: number; clientOrderId: string }[] = [];
    const KILL_AFTER = 120;
    const STOP_AFTER = 400;
    let killed = false;
    const worker = async (w: number): Promise<void> => {
      const user = users[w]!;
      for (let k = 0; acks.length < STOP_AFTER; k++) {
        const clientOrderId = `f${w}-${k}`;
        const side = (w + k) % 2 === 0 ? 'BUY' : 'SELL';
        const price = (30_000 + ((k * 7 + w * 3) % 21) - 10).toFixed(2);
        const r = await signed(gwUrl!, user, 'POST', '/api/v3/order', {
          symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price, newClientOrderId: clientOrderId,
        });
        if (r.status !== 200) throw new Error(`unexpected answer ${r.status} ${JSON.stringify(r.body)}`);
        acks.push({ user, orderId: r.body.orderId as number, clientOrderId });
        if (!killed && acks.length >= KILL_AFTER) {
          killed = true;
          await fanA.kill();
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map((w) => worker(w)));
    expect(killed).toBe(true);
    expect(fanA.running).toBe(false);
    expect(streamA.closed()).toBe(true);

    // The survivor reaches the book's final update id without a gap.
    const depth = await (await fetch(`${gwUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json() as { lastUpdateId: number };
    await until('the surviving fan-out to publish the final book update', async () => (streamB.diffs.at(-1)?.u === depth.lastUpdateId ? true : undefined));
    expect(streamB.diffs.length).toBeGreaterThan(1);
    for (let i = 1; i < streamB.diffs.length; i++) expect(streamB.diffs[i]!.U).toBe(streamB.diffs[i - 1]!.u + 1);
    await until('the gateway to publish the final book update', async () => (streamG.diffs.at(-1)?.u === depth.lastUpdateId ? true : undefined));
    for (let i = 1; i < streamG.diffs.length; i++) expect(streamG.diffs[i]!.U).toBe(streamG.diffs[i - 1]!.u + 1);
    expect(fanB.running).toBe(true);
    expect((await health(urlB)).ok).toBe(true);

    // The projector has every acknowledged order in PostgreSQL.
    const events = await RedisStreamLog.open({ redis: REDIS_URL, prefix: `${sandbox.prefix}:events` });
    const lastSeq = await events.lastSeq();
    await events.close();
    await until('the projector to catch up', async () => {
      const h = (await (await fetch(`${projUrl}/health`)).json()) as { seq: number };
      return h.seq >= lastSeq ? true : undefined;
    });
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      const rows = (await c.query<{ order_id: string; client_order_id: string }>(`SELECT order_id, client_order_id FROM ${sandbox.schema}.orders`)).rows;
      const stored = new Map(rows.map((r) => [Number(r.order_id), r.client_order_id]));
      for (const a of acks) expect(stored.get(a.orderId)).toBe(a.clientOrderId);
    } finally {
      await c.end();
    }
    // The gateway's history (memory + store) lists each user's orders.
    const mine = acks.filter((a) => a.user === users[0]).map((a) => a.orderId).sort((x, y) => x - y);
    const all = await signed(gwUrl!, users[0]!, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', limit: '1000' });
    expect((all.body as unknown as { orderId: number }[]).map((o) => o.orderId)).toEqual(mine);
  }, 180_000);
});
