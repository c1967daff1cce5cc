import { useEffect } from 'react';
import { useStatus } from './useStatus.ts';
import { StatusChart, type Line } from './StatusChart.tsx';
import type { StatusSample } from './types.ts';

const GREEN = '#0ecb81';
const YELLOW = '#f0b90b';
const RED = '#f6465d';
const BLUE = '#3d8bfd';
const PURPLE = '#b37feb';

// Module constants: a chart's series are created once from these.
const CPS: Line[] = [{ name: 'commands/s', color: GREEN, value: (s) => s.commandsPerSec, area: true }];
const LATENCY: Line[] = [
  { name: 'p50', color: BLUE, value: (s) => s.p50Ms },
  { name: 'p99', color: YELLOW, value: (s) => s.p99Ms },
];
const LAG: Line[] = [
  { name: 'log', color: RED, value: (s) => s.logLag },
  { name: 'projection', color: PURPLE, value: (s) => s.projectionLag },
];
const CLIENTS: Line[] = [{ name: 'clients', color: BLUE, value: (s) => s.connections, area: true }];

const num = (v: number | null | undefined, d = 0): string =>
  v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const msNum = (v: number): string => v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${msNum(v)} ms`);
/** "1.23 / 45.6 ms" */
const msPair = (a: number | null, b: number | null): string => (a === null || b === null ? '—' : `${msNum(a)} / ${msNum(b)} ms`);

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function duration(sec: number): string {
  const s = Math.floor(sec);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

function Tile({ id, label, value, sub }: { id: string; label: string; value: string; sub?: string }) {
  return (
    <div className="status-tile" data-testid={`stat-${id}`}>
      <span className="status-tile-label">{label}</span>
      <b className="status-tile-value" data-testid={`value-${id}`}>{value}</b>
      {sub && <span className="status-tile-sub">{sub}</span>}
    </div>
  );
}

/** `#/status`: live commands/s, order latency, lags, snapshot and clients, polled every second. */
export function StatusPage() {
  const { report: r, samples, error } = useStatus();

  useEffect(() => {
    document.title = 'Status · Matchbox';
  }, []);

  const last: StatusSample | undefined = samples[samples.length - 1];
  const snap = r?.snapshot;
  return (
    <main className="status-page" data-testid="status-page" data-ready={r ? 'true' : 'false'}>
      <div className="status-head">
        <h1>Exchange status</h1>
        {error ? <span className="pill pill-reconnecting" role="alert"><span className="dot" />{error}</span>
          : r && <span className="pill pill-live"><span className="dot" />Live · every 1 s</span>}
        {r && <span className="muted status-seq">seq {num(r.seq.last)} · durable {num(r.seq.durable)}{r.seq.projected !== null ? ` · projected ${num(r.seq.projected)}` : ''}</span>}
      </div>
      <div className="status-tiles">
        <Tile id="cps" label="Commands / s" value={num(r?.commandsPerSec, r && r.commandsPerSec < 100 ? 1 : 0)} sub={r ? `over ${r.rateWindowMs / 1000} s` : undefined} />
        <Tile id="latency" label="Order latency p50 / p99" value={r ? msPair(r.latency.p50Ms, r.latency.p99Ms) : '—'}
          sub={r ? `max ${ms(r.latency.maxMs)} · ${num(r.latency.count)} in ${r.latency.windowMs / 1000} s` : undefined} />
        <Tile id="log-lag" label="Log lag" value={num(r?.logLag)} sub="applied − durable" />
        <Tile id="projection-lag" label="Projection lag" value={r?.projectionLag === null ? 'n/a' : num(r?.projectionLag)} sub="durable − projected" />
        <Tile id="clients" label="WebSocket clients" value={r?.connections === null ? 'n/a' : num(r?.connections)} />
        <Tile id="snapshot" label="Last snapshot"
          value={!r ? '—' : !snap ? 'none yet' : snap.ageSec === null ? `${num(snap.commandsSince)} cmds ago` : `${duration(snap.ageSec)} ago`}
          sub={snap ? `${bytes(snap.sizeBytes)} · seq ${num(snap.seq)}${snap.ageSec !== null ? ` · ${num(snap.commandsSince)} cmds since` : ' · taken before start'}` : r ? `${num(r.snapshotsTaken)} taken since start` : undefined} />
        <Tile id="uptime" label="Uptime" value={r ? duration(r.uptimeSec) : '—'} sub={r ? `since ${new Date(r.startedAt).toLocaleTimeString()}` : undefined} />
      </div>
      <div className="status-charts">
        <StatusChart id="cps" title="Commands per second" unit="per 1 s" lines={CPS} samples={samples} precision={0}
          current={num(last?.commandsPerSec)} />
        <StatusChart id="latency" title="Order latency" unit="ms" lines={LATENCY} samples={samples} precision={2}
          current={last ? msPair(last.p50Ms, last.p99Ms) : '—'} />
        <StatusChart id="lag" title="Log and projection lag" unit="commands" lines={LAG} samples={samples} precision={0}
          current={last ? `${num(last.logLag)} / ${last.projectionLag === null ? 'n/a' : num(last.projectionLag)}` : '—'} />
        <StatusChart id="clients" title="Connected clients" unit="WebSockets" lines={CLIENTS} samples={samples} precision={0}
          current={last?.connections === null ? 'n/a' : num(last?.connections)} />
      </div>
    </main>
  );
}
