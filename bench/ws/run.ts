/**
 * bench:ws — market-data fan-out under load.
 *
 * Workload: one symbol (BTCUSDT), a real engine fed at --rate commands/s (passive limits, cancels,
 * --taker-pct IOC takers that trade), the hub in-process, and --subscribers WebSocket clients in
 * --procs child processes, each on `/stream?streams=btcusdt@depth@100ms/btcusdt@trade`. Every
 * client checks U/u and trade-id continuity (gaps) and records delivery latency = receive time − E.
 *
 * Peer, same run, same hub and feed: the `ws` README broadcast recipe (JSON once, `ws.send` per
 * client) on a plain WebSocketServer. Then the WS API order-entry path: signed `order.place`
 * requests through /ws-api/v3 to a stand-in gateway hook that applies them to the engine (no
 * durable log: this measures the WebSocket protocol path, not the sequencer).
 *
 * Prints a table, then one JSON line.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { attachWebSocketServer, createMarketDataHub, sign, type MarketDataHub, type StreamMessage } from '@matchbox/stream';
import * as hdr from 'hdr-histogram-js';
import WebSocket, { WebSocketServer } from 'ws';
import { EngineFeed } from '../../packages/stream/src/testing/sim.ts';
import { OrderFlow } from './flow.ts';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '10000' },
    'taker-pct': { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    procs: { type: 'string', default: '2' },
    'skip-peer': { type: 'boolean', default: false },
    'skip-api': { type: 'boolean', default: false },
    'api-seconds': { type: 'string', default: '5' },
  },
});
const SUBSCRIBERS = Number(args.subscribers);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const PROCS = Number(args.procs);
const STREAMS = 'btcusdt@depth@100ms/btcusdt@trade';

interface PhaseResult {
  name: string; subscribers: number; connected: number; commandsPerSec: number; tradesPerSec: number; messagesPerSec: number;
  gaps: number; cutOff: number; depthP50Ms: number; depthP99Ms: number; depthMaxMs: number; tradeP50Ms: number; tradeP99Ms: number; tradeMaxMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ms = (us: number): number => Math.round(us / 10) / 100;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Runs the flow at RATE commands/s in 10 ms slices, catching up on late timers (capped). */
function runFlow(flow: OrderFlow): { stop(): void } {
  const start = performance.now();
  let done = 0;
  const timer = setInterval(() => {
    const due = Math.min(Math.floor(((performance.now() - start) / 1000) * RATE), done + RATE / 20);
    for (; done < due; done++) flow.step();
  }, 10);
  return { stop: () => clearInterval(timer) };
}

function request(child: ChildProcess, msg: object, reply: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      if (m.cmd !== reply) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function phase(name: string, url: string, flow: OrderFlow, openConnections: () => number): Promise<PhaseResult> {
  const children = Array.from({ length: PROCS }, () => fork(new URL('./subscriber.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] }));
  const per = Math.ceil(SUBSCRIBERS / PROCS);
  const connectedReplies = await Promise.all(children.map((c, i) => request(c, { cmd: 'connect', url, count: Math.min(per, SUBSCRIBERS - i * per) }, 'connected')));
  const connected = connectedReplies.reduce((a, c) => a + (c.count as number), 0);
  const running = runFlow(flow);
  await sleep(WARMUP * 1000);
  const c0 = flow.commands;
  const t0 = flow.trades;
  for (const c of children) c.send({ cmd: 'measure' });
  const started = performance.now();
  await sleep(SECONDS * 1000);
  const elapsedS = (performance.now() - started) / 1000;
  const commands = flow.commands - c0;
  const trades = flow.trades - t0;
  const stillOpen = openConnections();
  const summaries = await Promise.all(children.map((c) => request(c, { cmd: 'stop' }, 'summary')));
  running.stop();
  const depth = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const trade = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let gaps = 0;
  let messages = 0;
  for (const s of summaries) {
    depth.add(hdr.decodeFromCompressedBase64(s.depth as string));
    trade.add(hdr.decodeFromCompressedBase64(s.trade as string));
    gaps += s.gaps as number;
    messages += s.messages as number;
  }
  await sleep(200);
  return {
    name, subscribers: SUBSCRIBERS, connected,
    commandsPerSec: Math.round(commands / elapsedS), tradesPerSec: Math.round(trades / elapsedS), messagesPerSec: Math.round(messages / elapsedS),
    gaps, cutOff: connected - stillOpen,
    depthP50Ms: ms(depth.getValueAtPercentile(50)), depthP99Ms: ms(depth.getValueAtPercentile(99)), depthMaxMs: ms(depth.maxValue),
    tradeP50Ms: ms(trade.getValueAtPercentile(50)), tradeP99Ms: ms(trade.getValueAtPercentile(99)), tradeMaxMs: ms(trade.maxValue),
  };
}

/** The peer: one hub subscriber re-broadcasting each message with ws.send per client. */
function naivePeer(server: Server, hub: MarketDataHub): { openConnections: () => number; close(): void } {
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const sink = { deliver: (m: StreamMessage) => {
    const text = `{"stream":${JSON.stringify(m.stream)},"data":${m.json}}`;
    for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  } };
  for (const name of STREAMS.split('/')) {
    const spec = hub.parse(name);
    if (typeof spec !== 'string') hub.subscribe(name, spec, sink);
  }
  return {
    openConnections: () => wss.clients.size,
    close: () => {
      for (const name of STREAMS.split('/')) hub.unsubscribe(name, sink);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

async function wsApiPhase(url: string, apiKey: string, secret: string): Promise<{ ordersPerSec: number; p50Ms: number; p99Ms: number; errors: number }> {
  const conns = 4;
  const window = 32;
  const rtt = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let ok = 0;
  let errors = 0;
  let stop = false;
  let id = 0;
  const run = async (): Promise<void> => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((r) => ws.once('open', () => r()));
    const sent = new Map<number, number>();
    let inflight = 0;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => { resolveDone = r; });
    const send = (): void => {
      const n = ++id;
      const side = n % 2 === 0 ? 'BUY' : 'SELL';
      const params = { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'IOC', price: side === 'BUY' ? '29900.00' : '30100.00', quantity: '0.00100', apiKey, timestamp: Date.now() };
      sent.set(n, performance.now());
      inflight++;
      ws.send(JSON.stringify({ id: n, method: 'order.place', params: { ...params, signature: sign(secret, params) } }));
    };
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { id: number; status: number };
      const t = sent.get(m.id);
      if (t === undefined) return;
      sent.delete(m.id);
      inflight--;
      rtt.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
      if (m.status === 200) ok++; else errors++;
      if (!stop) send(); else if (inflight === 0) resolveDone();
    });
    ws.on('close', () => resolveDone());
    for (let i = 0; i < window; i++) send();
    await done;
    ws.close();
  };
  const started = performance.now();
  const runs = Array.from({ length: conns }, () => run());
  await sleep(Number(args['api-seconds']) * 1000);
  stop = true;
  await Promise.all(runs);
  const elapsedS = (performance.now() - started) / 1000;
  return { ordersPerSec: Math.round(ok / elapsedS), p50Ms: ms(rtt.getValueAtPercentile(50)), p99Ms: ms(rtt.getValueAtPercentile(99)), errors };
}


async function main(): Promise<void> {
  const ref: { hub?: MarketDataHub } = {};
  const feed = new EngineFeed((p) => ref.hub?.publish(p.seq, p.tsMs, p.events));
  const hub = (ref.hub = createMarketDataHub({ markets: DEFAULT_MARKETS, depthSnapshot: (s, l) => feed.engine.depth(s, l) }));
  const flow = new OrderFlow(feed, Number(args['taker-pct']) / 100);
  for (let i = 0; i < 5000; i++) flow.step();
  const secret = 'bench-secret';
  const apiKey = 'bench-key';
  const owner = flow.users[0]!;
  const http = createServer((_req, res) => { res.writeHead(404); res.end(); });
  const logger = { info: () => undefined, error: () => undefined, warn: () => undefined };
  const server = attachWebSocketServer(http, hub, {
    logger, apiKeys: (k) => (k === apiKey ? { userId: owner, secret, permissions: ['READ', 'TRADE'] } : undefined),
    orderApi: {
      'order.place': (auth, p) => {
        const ev = feed.place({ userId: auth.userId, side: p.side as 'BUY' | 'SELL', timeInForce: p.timeInForce as 'IOC', priceTicks: Math.round(Number(p.price) * 100), qtyLots: Math.round(Number(p.quantity) * 100_000) });
        const o = ev.find((e) => e.type === 'order');
        if (o === undefined || o.type !== 'order') throw { code: -2010, msg: 'rejected' };
        return { symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId, status: o.status, transactTime: o.createdTs };
      },
    },
  });
  const port = await listen(http);
  const results: PhaseResult[] = [];
  const ours = await phase('matchbox (shared frames, per-turn flush)', `ws://127.0.0.1:${port}/stream?streams=${STREAMS}`, flow, () => server.connectionCount());
  results.push(ours);
  await sleep(500);
  if (!args['skip-peer']) {
    const peerHttp = createServer();
    const peer = naivePeer(peerHttp, hub);
    const peerPort = await listen(peerHttp);
    results.push(await phase('peer: ws broadcast (ws.send per client)', `ws://127.0.0.1:${peerPort}`, flow, peer.openConnections));
    peer.close();
    peerHttp.close();
  }
  const api = args['skip-api'] ? undefined : await wsApiPhase(`ws://127.0.0.1:${port}/ws-api/v3`, apiKey, secret);
  await server.close();
  hub.close();
  http.close();

  console.log(`\nbench:ws — ${SUBSCRIBERS} subscribers × (${STREAMS}), target ${RATE} commands/s, ${SECONDS} s measured after ${WARMUP} s warm-up, ${PROCS} client processes`);
  console.log('| fan-out | connected | commands/s | trades/s | msgs delivered/s | gaps | cut off | depth p50 / p99 / max ms | trade p50 / p99 / max ms |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.connected} | ${r.commandsPerSec} | ${r.tradesPerSec} | ${r.messagesPerSec} | ${r.gaps} | ${r.cutOff} | ${r.depthP50Ms} / ${r.depthP99Ms} / ${r.depthMaxMs} | ${r.tradeP50Ms} / ${r.tradeP99Ms} / ${r.tradeMaxMs} |`);
  }
  if (api) console.log(`\nWS API order.place (4 connections × 32 in flight, stand-in hook → engine, no durable log): ${api.ordersPerSec} orders/s, RTT p50 ${api.p50Ms} ms, p99 ${api.p99Ms} ms, errors ${api.errors}`);
  console.log(`(latency = client receive time − E; depth E is the 100 ms flush time, trade E the publish time; loadavg ${process.platform === 'linux' ? (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ') : 'n/a'})`);
  console.log(JSON.stringify({ bench: 'ws', subscribers: SUBSCRIBERS, targetRate: RATE, seconds: SECONDS, results, wsApi: api ?? null }));
  process.exit(0);
}

void main();
