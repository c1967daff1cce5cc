import { cpus, loadavg } from 'node:os';
import type { ProfileSummary } from './profile.ts';

export interface Row {
  readonly target: string;
  readonly load: string;
  /** Open-loop HTTP rate; null for wrk and WS rows. */
  readonly offered: number | null;
  /** Open-loop WS API rate. */
  readonly wsOffered?: number;
  /** A ws-blast row (closed loop over the WS API; `replayed`: requests sent beyond the distinct pre-built ones). */
  readonly wsBlast?: { readonly connections: number; readonly inFlight: number; readonly replayed: number };
  readonly achieved: number;
  /** Milliseconds; open loop: from the intended send time. wrk: its own (closed-loop) figures. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  /** Answers other than the expected ones (200; 400 for a cancel of an order already filled). */
  readonly errors: number;
  /** Sent or due but not answered by the end of the drain (overload). */
  readonly unanswered: number;
  readonly outcomes: Record<string, number>;
  /** Percent of one core, per process, over the phase. */
  readonly cpu: Record<string, number>;
  /** Upper bucket bound of the gateway's own histogram (POST /api/v3/order), ms. */
  readonly gatewayP50: number | null;
  readonly gatewayP99: number | null;
}

export interface ModeReport {
  readonly name: string;
  readonly rows: readonly Row[];
  readonly wsApi: string;
  readonly skipped?: string;
}

const TARGETS = { httpOrdersPerSec: 20_000, wsOrdersPerSec: 50_000, p99MsAt5k: 5 };
const REFERENCE = { ordersPerSec: '3.2–4.2k through Redis', p99Ms: 43.6, note: 'the project Matchbox grew from, 2.2k/s at 32 in flight' };

/** Over the WebSocket API (open loop or ws-blast). */
const isWs = (r: Row): boolean => r.wsOffered !== undefined || r.wsBlast !== undefined;

const ms = (v: number | null): string => (v === null ? '–' : v === Infinity ? '>2500' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function table(rows: readonly Row[]): string {
  const head = `${pad('target', 16)}${pad('load', 16)}${lpad('orders/s', 9)}${lpad('p50', 8)}${lpad('p95', 8)}${lpad('p99', 8)}${lpad('p99.9', 8)}${lpad('gw p50≤', 9)}${lpad('gw p99≤', 9)}${lpad('errors', 8)}${lpad('unansw.', 9)}  cpu % of a core`;
  const lines = rows.map((r) => `${pad(r.target, 16)}${pad(r.load, 16)}${lpad(String(r.achieved), 9)}${lpad(ms(r.p50), 8)}${lpad(ms(r.p95), 8)}${lpad(ms(r.p99), 8)}${lpad(ms(r.p999), 8)}`
    + `${lpad(ms(r.gatewayP50), 9)}${lpad(ms(r.gatewayP99), 9)}${lpad(String(r.errors), 8)}${lpad(String(r.unanswered), 9)}  ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return [head, ...lines].join('\n');
}

function summary(m: ModeReport): Record<string, unknown> {
  const open = (rate: number): Row | undefined => m.rows.find((r) => r.offered === rate);
  const wrks = m.rows.filter((r) => r.offered === null && !isWs(r));
  const wsRows = m.rows.filter(isWs);
  const blast = m.rows.find((r) => r.wsBlast !== undefined);
  const wsBest = wsRows.length === 0 ? undefined : wsRows.reduce((a, b) => (b.achieved > a.achieved ? b : a));
  const wrk = wrks.length === 0 ? undefined : wrks.reduce((a, b) => (b.achieved > a.achieved ? b : a));
  const lat = (r: Row | undefined): Record<string, number | null> | null => (r === undefined ? null
    : { achieved: r.achieved, p50: r.p50, p95: r.p95, p99: r.p99, p999: r.p999, errors: r.errors, unanswered: r.unanswered, gatewayP99Le: r.gatewayP99 === Infinity ? null : r.gatewayP99 });
  return {
    name: m.name, skipped: m.skipped ?? null, maxOrdersPerSec: wrk?.achieved ?? null, maxAt: wrk?.load ?? null, wrkNon2xx: wrks.reduce((a, r) => a + r.errors, 0),
    at1000: lat(open(1000)), at5000: lat(open(5000)), at10000: lat(open(10_000)),
    wsApi: {
      maxOrdersPerSec: wsBest?.achieved ?? null, maxAt: wsBest?.load ?? null, at5000: lat(wsRows.find((r) => r.wsOffered === 5000)), at20000: lat(wsRows.find((r) => r.wsOffered === 20_000)),
      blast: blast === undefined ? null : { ...lat(blast), load: blast.load, generatorCpuPct: blast.cpu.generator ?? null, replayed: blast.wsBlast!.replayed }, availability: m.wsApi,
    },
    cpu: Object.fromEntries(m.rows.map((r) => [r.load, r.cpu])), outcomes: Object.fromEntries(m.rows.map((r) => [r.load, r.outcomes])),
  };
}

export function printReport(modes: readonly ModeReport[], peer: ModeReport, profile: ProfileSummary | undefined, elapsedSec: number): void {
  console.log('\nbench:e2e — signed orders through the HTTP gateway, answered after they are durable');
  console.log(`machine: ${cpus().length} cores, load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min; other work on a shared machine takes CPU from every figure)`);
  console.log('latency in ms from the intended send time (open loop, answered requests; "unansw." = not answered within 10 s after the send window);');
  console.log('ws-api rows: the same open loop over 64 WebSocket API connections (≤ 64 in flight each, the server\'s bound), order.place/order.cancel;');
  console.log('ws-blast rows: wrk\'s method over the WS API (its own process; pre-signed, pre-masked crossing pairs; closed loop, connections × in flight; latency from the write);');
  console.log('wrk rows: throughput, and wrk\'s own closed-loop latency; gw = the gateway\'s /metrics histogram (bucket bound) for POST /api/v3/order');
  for (const m of [...modes, peer]) {
    console.log(`\n== ${m.name}${m.skipped ? ` — skipped: ${m.skipped}` : ''}`);
    if (m.rows.length > 0) console.log(table(m.rows));
    if (m.wsApi !== 'n/a' && m.wsApi !== 'available') console.log(`WebSocket API order entry: ${m.wsApi}`);
  }
  const emb = modes[0]!;
  const best = (m: ModeReport, ws = false): Row | undefined => m.rows.filter((r) => (ws ? isWs(r) : r.offered === null && !isWs(r))).reduce<Row | undefined>((a, b) => (a === undefined || b.achieved > a.achieved ? b : a), undefined);
  const wrkEmb = best(emb);
  const wrkPeer = best(peer);
  const at5k = emb.rows.find((r) => r.offered === 5000);
  console.log('\n== against the targets (BENCHMARKS.md) and the reference');
  console.log(`HTTP orders/s (wrk, embedded, best of ${wrkEmb?.load ?? '–'}): ${wrkEmb?.achieved ?? '–'} (target ≥ ${TARGETS.httpOrdersPerSec}; same wrk vs no-op server: ${wrkPeer?.achieved ?? '–'}/s; reference ${REFERENCE.ordersPerSec})`);
  console.log(`p99 at 5,000/s offered (embedded): ${ms(at5k?.p99 ?? null)} ms (target ≤ ${TARGETS.p99MsAt5k}; generator floor vs no-op: ${ms(peer.rows.find((r) => r.offered === 5000)?.p99 ?? null)} ms; reference p99 ${REFERENCE.p99Ms} ms)`);
  const wsEmb = best(emb, true);
  // The generator's ceiling: the same load against the no-op peer.
  const wsPeer = peer.rows.find((r) => r.load === wsEmb?.load) ?? best(peer, true);
  const ws5k = emb.rows.find((r) => r.wsOffered === 5000);
  console.log(emb.wsApi !== 'available' ? `WebSocket API orders/s: ${emb.wsApi} (target ≥ ${TARGETS.wsOrdersPerSec})`
    : `WebSocket API orders/s (embedded, best row: ${wsEmb?.load ?? '–'}): ${wsEmb?.achieved ?? '–'} (target ≥ ${TARGETS.wsOrdersPerSec}; same generator vs no-op: ${wsPeer?.achieved ?? '–'}/s${wsEmb?.cpu.generator === undefined ? '' : `, generator ${wsEmb.cpu.generator}% of a core`}); p99 at 5,000/s ${ms(ws5k?.p99 ?? null)} ms`);
  if (profile !== undefined) printProfile(profile);
  console.log(`\n(elapsed ${elapsedSec} s)`);
  console.log(JSON.stringify({
    bench: 'e2e', workload: 'open loop 1k/5k/10k orders/s (45% rest, 15% IOC cross, 40% cancel), 400 users, 3 symbols; wrk 1 thread 64 and 256 conns, pre-signed crossing pairs; WS API open loop 5k and 20k/s over 64 connections; ws-blast closed loop 32 conns × 64 in flight, pre-signed crossing pairs',
    peer: 'no-op node http server, same generators, same run', targets: TARGETS, reference: REFERENCE,
    modes: modes.map(summary), peerResult: summary(peer),
    profileTop: profile?.functions.slice(0, 10) ?? null, profileIdleMs: profile?.idleMs ?? null, profileTotalMs: profile?.totalMs ?? null,
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10), cores: cpus().length, elapsedSec,
  }));
}

export function printProfile(profile: ProfileSummary, what = 'embedded, 10,000/s open loop + wrk 256 conns'): void {
  console.log(`\n== server CPU profile (${what}; ${profile.totalMs} ms sampled, ${profile.idleMs} ms idle): top self time`);
  for (const f of profile.functions) console.log(`${lpad(f.selfPct.toFixed(1), 5)}%  ${lpad(String(f.selfMs), 6)} ms  ${pad(f.name, 36)} ${f.where}`);
}
