import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type { ExchangePort } from '../context.ts';
import type { AnswerObserver } from '../direct-path.ts';
import { StatusMonitor, type StatusProbes, type StatusReport } from '../../status/status.ts';

/** What only the process wiring knows (server.ts): filled in as the parts come up. */
export type StatusExtras = Partial<Pick<StatusProbes, 'snapshotsTaken' | 'snapshots' | 'connections'>>;

export interface StatusDeps {
  readonly exchange: ExchangePort;
  readonly status?: StatusExtras;
  readonly clock?: () => number;
}

const ORDER_ROUTE = '/api/v3/order';

/**
 * `GET /api/v1/status` (weight 1, public): the live figures and the last 5 minutes of history
 * for the status page (`?since=<ms>` returns only newer samples), and the same figures as
 * gauges in `registry` (/metrics). Samples once per second on an unref'd timer, stopped on close.
 */
export function statusRoutes(app: FastifyInstance, registry: Registry, observers: AnswerObserver[], deps: StatusDeps): StatusMonitor {
  const extras = deps.status ?? {};
  const monitor = new StatusMonitor({
    seq: () => deps.exchange.health(),
    // The store's projector when this process runs one (it may lag under load); else the in-memory history.
    projectedSeq: () => deps.exchange.projectorProgress?.()?.seq ?? deps.exchange.history.lastSeq,
    // late-bound: server.ts fills `connections` in once the WebSocket server is attached
    snapshotsTaken: () => { if (!extras.snapshotsTaken) throw new Error('n/a'); return extras.snapshotsTaken(); },
    ...(extras.snapshots ? { snapshots: extras.snapshots } : {}),
    connections: () => { if (!extras.connections) throw new Error('n/a'); return extras.connections(); },
  }, deps.clock ? { clock: deps.clock } : {});

  observers.push((method, route, status, elapsedMs) => {
    if (method === 'POST' && route === ORDER_ROUTE && status < 400) monitor.recordOrderLatency(elapsedMs);
  });
  monitor.tick();
  const timer = setInterval(() => monitor.tick(), 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.get('/api/v1/status', { config: { weight: 1 } }, async (req, reply) => {
    const since = Number((req.query as Record<string, string | undefined>).since);
    monitor.tick();
    return reply.header('Cache-Control', 'no-store').send(monitor.report(Number.isFinite(since) ? since : undefined));
  });

  registerGauges(registry, () => monitor.report(Number.POSITIVE_INFINITY));
  return monitor;
}

function registerGauges(registry: Registry, read: () => StatusReport): void {
  // One read per scrape: the first gauge collected refreshes it, the others reuse it.
  let cached: { at: number; r: StatusReport } | null = null;
  const get = (): StatusReport => {
    const now = performance.now();
    if (cached === null || now - cached.at > 100) cached = { at: now, r: read() };
    return cached.r;
  };
  const gauge = (name: string, help: string, value: (r: StatusReport) => number | null, labelNames: string[] = []) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      collect() {
        // NaN (prom-client writes "Nan"; Prometheus parses it) when unknown here, rather than a made-up 0
        this.set(value(get()) ?? Number.NaN);
      },
    });
  gauge('matchbox_commands_per_second', 'Commands sequenced per second over the last 5 s', (r) => r.commandsPerSec);
  gauge('matchbox_log_lag_commands', 'Commands applied but not yet durable (lastSeq - durableSeq)', (r) => r.logLag);
  gauge('matchbox_projection_lag_commands', 'Durable commands not yet in the history projection', (r) => r.projectionLag);
  gauge('matchbox_snapshot_seq', 'Seq of the newest snapshot', (r) => r.snapshot?.seq ?? null);
  gauge('matchbox_snapshot_size_bytes', 'Uncompressed size of the newest snapshot', (r) => r.snapshot?.sizeBytes ?? null);
  gauge('matchbox_snapshot_age_seconds', 'Age of the newest snapshot (when taken by this process)', (r) => r.snapshot?.ageSec ?? null);
  gauge('matchbox_snapshot_commands_since', 'Commands applied since the newest snapshot', (r) => r.snapshot?.commandsSince ?? null);
  gauge('matchbox_ws_connections', 'Open WebSocket connections', (r) => r.connections);
  gauge('matchbox_uptime_seconds', 'Seconds since the gateway started', (r) => r.uptimeSec);
  new Gauge({
    name: 'matchbox_order_latency_seconds', help: 'POST /api/v3/order latency over the last 10 s (answered < 400)',
    labelNames: ['quantile'], registers: [registry],
    collect() {
      this.reset();
      const l = get().latency;
      for (const [q, v] of [['0.5', l.p50Ms], ['0.9', l.p90Ms], ['0.99', l.p99Ms], ['1', l.maxMs]] as const) {
        if (v !== null) this.set({ quantile: q }, v / 1000);
      }
    },
  });
  gauge('matchbox_order_latency_window_count', 'Orders in the latency window', (r) => r.latency.count);
}
