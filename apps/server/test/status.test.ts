import { afterEach, describe, expect, it } from 'vitest';
import type { SnapshotMeta } from '@matchbox/log';
import { LatencyHistogram, StatusMonitor, type StatusProbes, type StatusReport } from '../src/status/status.ts';
import type { StatusExtras } from '../src/http/routes/status.ts';
import { devAccount, signed, testExchange, type TestExchange } from './harness.ts';

let t: TestExchange | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const status = async (x: TestExchange, q = ''): Promise<StatusReport> => {
  const r = await x.app.inject({ method: 'GET', url: `/api/v1/status${q}` });
  expect(r.statusCode).toBe(200);
  return r.json<StatusReport>();
};

const metricValue = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`) && !l.startsWith('#'));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

async function placeOrders(x: TestExchange, n: number): Promise<void> {
  const acct = await devAccount(x.app);
  for (let i = 0; i < n; i++) {
    const r = await signed(x, acct, { method: 'POST', url: '/api/v3/order', params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: String(50_000 + i), quantity: '0.001' } });
    expect(r.statusCode).toBe(200);
  }
}

describe('GET /api/v1/status', () => {
  it('is public, weight 1, and reports the live figures with nulls for what it cannot know', async () => {
    t = await testExchange();
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/status' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-mbx-used-weight-1m']).toBe('1');
    const s = r.json<StatusReport>();
    expect(s.commandsPerSec).toBe(0);
    expect(s.logLag).toBe(0);
    expect(s.projectionLag).toBe(0);
    expect(s.seq).toEqual({ last: 0, durable: 0, projected: 0 });
    expect(s.latency).toMatchObject({ count: 0, p50Ms: null, p99Ms: null });
    expect(s.connections).toBeNull(); // no WebSocket server in an inject() app
    expect(s.snapshot).toBeNull();
    expect(s.snapshotsTaken).toBeNull();
    expect(s.history).toMatchObject({ intervalMs: 1000, capacity: 300, samples: [] });
    expect(s.uptimeSec).toBeGreaterThanOrEqual(0);
  });

  it('turns sequenced commands into commands/s and order latencies into percentiles, per second in the history', async () => {
    t = await testExchange();
    await placeOrders(t, 5);
    t.now += 1000;
    const s = await status(t);
    const seq = s.seq.last;
    expect(seq).toBeGreaterThanOrEqual(6); // account + 5 orders
    expect(s.history.samples).toHaveLength(1);
    const sample = s.history.samples[0]!;
    expect(sample).toMatchObject({ t: t.now, seq, commandsPerSec: seq, orders: 5, logLag: 0, projectionLag: 0 });
    expect(sample.p50Ms).toBeGreaterThan(0);
    expect(sample.p99Ms).toBeGreaterThanOrEqual(sample.p50Ms!);
    expect(s.commandsPerSec).toBe(seq); // seq commands over the one second there is
    expect(s.latency.count).toBe(5);
    expect(s.latency.p50Ms).toBeGreaterThan(0);
    expect(s.latency.maxMs).toBeGreaterThanOrEqual(s.latency.p99Ms!);

    // a quiet second: rate over the whole 2 s, the new sample at 0/s and no latency
    t.now += 1000;
    const s2 = await status(t);
    expect(s2.history.samples).toHaveLength(2);
    expect(s2.history.samples[1]).toMatchObject({ commandsPerSec: 0, orders: 0, p50Ms: null, p99Ms: null });
    expect(s2.commandsPerSec).toBe(seq / 2);
    // ?since= returns only newer samples
    expect((await status(t, `?since=${s.history.samples[0]!.t}`)).history.samples).toHaveLength(1);
    // several reads within a second add no samples
    expect((await status(t)).history.samples).toHaveLength(2);
  });

  it('reports snapshot and WebSocket figures when the process provides them', async () => {
    let taken = 0;
    let listing: SnapshotMeta[] = [{ seq: 3, stateHash: 'h', sizeBytes: 1234 }];
    const extras: StatusExtras = { snapshotsTaken: () => taken, snapshots: async () => listing, connections: () => 7 };
    t = await testExchange({ status: extras });
    await placeOrders(t, 2);
    const s = await status(t);
    expect(s.connections).toBe(7);
    expect(s.snapshotsTaken).toBe(0);
    // found at start: its time is unknown, its distance in commands is not
    expect(s.snapshot).toMatchObject({ seq: 3, sizeBytes: 1234, takenAt: null, ageSec: null, commandsSince: s.seq.last - 3 });

    taken = 1;
    listing = [{ seq: s.seq.last, stateHash: 'h2', sizeBytes: 4321 }, ...listing];
    const seenAt = t.now;
    await status(t); // sees the counter move, re-reads the listing
    t.now += 2500;
    const s2 = await status(t);
    expect(s2.snapshot).toEqual({ seq: s.seq.last, sizeBytes: 4321, takenAt: seenAt, ageSec: 2.5, commandsSince: 0 });

    const m = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(m, 'matchbox_ws_connections')).toBe(7);
    expect(metricValue(m, 'matchbox_snapshot_size_bytes')).toBe(4321);
    expect(metricValue(m, 'matchbox_snapshot_seq')).toBe(s.seq.last);
    expect(metricValue(m, 'matchbox_snapshot_age_seconds')).toBe(2.5);
  });
});

describe('status gauges in /metrics', () => {
  it('exposes commands/s, latency quantiles, lags, clients and uptime; unknown figures are NaN', async () => {
    t = await testExchange();
    await placeOrders(t, 3);
    t.now += 1000;
    const m = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(m, 'matchbox_commands_per_second')).toBeGreaterThan(0);
    expect(metricValue(m, 'matchbox_log_lag_commands')).toBe(0);
    expect(metricValue(m, 'matchbox_projection_lag_commands')).toBe(0);
    expect(metricValue(m, 'matchbox_uptime_seconds')).toBeGreaterThanOrEqual(1);
    expect(metricValue(m, 'matchbox_order_latency_window_count')).toBe(3);
    expect(m).toMatch(/^matchbox_order_latency_seconds\{quantile="0\.5"\} \d/m);
    expect(m).toMatch(/^matchbox_order_latency_seconds\{quantile="0\.99"\} \d/m);
    expect(m).toMatch(/^matchbox_ws_connections NaN$/im);
    expect(m).toMatch(/^matchbox_snapshot_size_bytes NaN$/im);
    expect(m).toContain('# TYPE matchbox_commands_per_second gauge');
  });
});

describe('StatusMonitor', () => {
  const probes = (seq: { v: number }): StatusProbes => ({ seq: () => ({ lastSeq: seq.v, durableSeq: seq.v }) });

  it('keeps a bounded ring of one sample per second', () => {
    let now = 0;
    const seq = { v: 0 };
    const m = new StatusMonitor(probes(seq), { clock: () => now, capacity: 5 });
    m.tick();
    for (let i = 1; i <= 12; i++) {
      now += 1000;
      seq.v += 10 * i;
      m.tick();
      m.tick(); // idempotent within the second
    }
    const r = m.report();
    expect(r.history.samples.map((s) => s.commandsPerSec)).toEqual([80, 90, 100, 110, 120]);
    // the 5 s window reaches back only as far as the ring: from the sample at 8 s to now (12 s)
    expect(r.commandsPerSec).toBe((90 + 100 + 110 + 120) / 4);
    expect(r.projectionLag).toBeNull();
  });

  it('latency histogram quantiles are within a few per cent', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 … 100 ms
    expect(h.quantile(0.5)! / 50).toBeCloseTo(1, 1);
    expect(h.quantile(0.99)! / 99).toBeCloseTo(1, 1);
    expect(h.quantile(1)).toBe(100);
    expect(new LatencyHistogram().quantile(0.5)).toBeNull();
  });
});
