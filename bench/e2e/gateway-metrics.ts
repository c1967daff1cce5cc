/** Cumulative bucket counts of the gateway's own latency histogram for POST /api/v3/order (all statuses). */
export async function orderLatencyBuckets(base: string): Promise<Map<number, number> | undefined> {
  const text = await fetch(`${base}/metrics`).then((r) => (r.ok ? r.text() : ''), () => '');
  if (text === '') return undefined;
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('matchbox_http_request_duration_seconds_bucket{') || !line.includes('route="/api/v3/order"') || !line.includes('method="POST"')) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + v);
  }
  return out;
}

/** Upper bucket bound (ms) holding the q-quantile of what was observed between two scrapes. */
export function bucketQuantileMs(before: Map<number, number> | undefined, after: Map<number, number> | undefined, q: number): number | null {
  if (after === undefined) return null;
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before?.get(b) ?? 0));
  const total = delta[delta.length - 1] ?? 0;
  if (total <= 0) return null;
  const idx = delta.findIndex((c) => c >= q * total);
  const b = bounds[idx] ?? Infinity;
  return b === Infinity ? Infinity : b * 1000;
}

/**
 * The server's event-loop lag (ms) since the previous scrape, from prom-client's default metrics
 * (it resets its delay histogram on every scrape); undefined where they are not exported.
 */
export async function eventLoopLag(base: string): Promise<{ p50: number; p99: number; max: number } | undefined> {
  const text = await fetch(`${base}/metrics`).then((r) => (r.ok ? r.text() : ''), () => '');
  const read = (name: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Math.round(Number(line.slice(name.length + 1)) * 100_000) / 100;
  };
  const p50 = read('nodejs_eventloop_lag_p50_seconds');
  const p99 = read('nodejs_eventloop_lag_p99_seconds');
  const max = read('nodejs_eventloop_lag_max_seconds');
  return p50 === undefined || p99 === undefined || max === undefined ? undefined : { p50, p99, max };
}
