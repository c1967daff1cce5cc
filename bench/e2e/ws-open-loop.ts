import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';
import type { OpenLoopResult } from './open-loop.ts';

/** Server bound (packages/stream DEFAULT_LIMITS.maxPendingRequests): more in flight per connection is refused. */
const MAX_IN_FLIGHT_PER_CONNECTION = 64;

interface WsChannel {
  readonly ws: WebSocket;
  inFlight: number;
  readonly waiting: { i: number; dueUs: number }[];
}

export async function openWsConnections(url: string, count: number): Promise<WebSocket[]> {
  return Promise.all(Array.from({ length: count }, () => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  })));
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * The open loop over the WebSocket API: request i is due at start + i/rate and goes to
 * connection i mod n; a connection keeps at most 64 requests in flight (the server's bound) and
 * queues the rest, and latency runs from the intended time, so queueing counts.
 */
export async function runWsOpenLoop(o: {
  ratePerSec: number; durationSec: number; sockets: readonly WebSocket[]; next: (i: number, id: string) => { kind: string; frame: string }; drainMs?: number;
}): Promise<OpenLoopResult> {
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const outcomes: Record<string, number> = {};
  const pending = new Map<string, { dueUs: number; kind: string; ch: WsChannel }>();
  const channels: WsChannel[] = o.sockets.map((ws) => ({ ws, inFlight: 0, waiting: [] }));
  const total = Math.round(o.ratePerSec * o.durationSec);
  const intervalUs = 1e6 / o.ratePerSec;
  const cpu0 = process.cpuUsage();
  let sent = 0;
  let completed = 0;
  const send = (ch: WsChannel, i: number, dueUs: number): void => {
    const id = String(i);
    const { kind, frame } = o.next(i, id);
    pending.set(id, { dueUs, kind, ch });
    ch.inFlight++;
    sent++;
    ch.ws.send(frame);
  };
  const listeners = channels.map((ch) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const text = String(data);
      // Only the id and status are needed: cheaper than parsing the whole answer.
      const id = /"id":"?(\d+)"?/.exec(text)?.[1];
      const status = /"status":(\d+)/.exec(text)?.[1] ?? '0';
      const p = id === undefined ? undefined : pending.get(id);
      if (p === undefined) return;
      pending.delete(id!);
      hist.recordValue(Math.max(1, nowUs() - p.dueUs));
      completed++;
      const k = `${p.kind}:${status}`;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
      ch.inFlight--;
      const w = ch.waiting.shift();
      if (w !== undefined) send(ch, w.i, w.dueUs);
    };
    ch.ws.on('message', onMessage);
    return onMessage;
  });
  const startUs = nowUs();
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowUs();
      while (scheduled < total && startUs + scheduled * intervalUs <= now) {
        const dueUs = startUs + scheduled * intervalUs;
        const ch = channels[scheduled % channels.length]!;
        if (ch.inFlight < MAX_IN_FLIGHT_PER_CONNECTION && ch.waiting.length === 0) send(ch, scheduled, dueUs);
        else ch.waiting.push({ i: scheduled, dueUs });
        scheduled++;
      }
      if (scheduled >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const drainUntil = Date.now() + (o.drainMs ?? 10_000);
  while (completed < total && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  const endUs = nowUs();
  channels.forEach((ch, n) => ch.ws.off('message', listeners[n]!));
  const cpu = process.cpuUsage(cpu0);
  if (completed < total) outcomes['unanswered:0'] = total - completed;
  const durationSec = (endUs - startUs) / 1e6;
  return {
    offeredPerSec: o.ratePerSec, sent, completed, durationSec, achievedPerSec: Math.round(completed / Math.max(o.durationSec, durationSec)),
    latencyUs: { p50: hist.getValueAtPercentile(50), p95: hist.getValueAtPercentile(95), p99: hist.getValueAtPercentile(99), p999: hist.getValueAtPercentile(99.9), max: hist.maxValue },
    outcomes, backlogAtEnd: channels.reduce((a, ch) => a + ch.waiting.length, 0), generatorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}
