import * as hdr from 'hdr-histogram-js';
import type { RawConnection } from './raw-http.ts';

/** One request to send; `classify` turns its answer into an outcome name for the tally. */
export interface PlannedRequest {
  readonly bytes: string;
  readonly kind: string;
}

export interface OpenLoopResult {
  readonly offeredPerSec: number;
  readonly sent: number;
  readonly completed: number;
  readonly achievedPerSec: number;
  readonly durationSec: number;
  readonly latencyUs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly p999: number; readonly max: number };
  /** `kind:status` → count (e.g. "rest:200", "cancel:400" for an order already filled). */
  readonly outcomes: Record<string, number>;
  /** Requests still queued (no free connection) when the send window closed. */
  readonly backlogAtEnd: number;
  readonly generatorCpuMs: number;
}

export interface OpenLoopOptions {
  readonly ratePerSec: number;
  readonly durationSec: number;
  readonly connections: readonly RawConnection[];
  /** Builds request i at its send time (signatures carry a fresh timestamp). */
  readonly next: (i: number) => PlannedRequest;
  /** Sees every answer (e.g. to learn which orders rest). */
  readonly onAnswer?: (req: PlannedRequest, status: number, body: Buffer) => void;
  /** After the send window, wait at most this long for answers still in flight. */
  readonly drainMs?: number;
  /** Bound on requests waiting for a connection; beyond it, arrivals are counted as dropped. */
  readonly maxBacklog?: number;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Open-loop load: request i is due at start + i/rate, fixed in advance, whatever the server
 * does. Latency runs from that intended time to the answer, so time spent queued behind a slow
 * answer (no free connection) is counted — no coordinated omission.
 */
export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const outcomes: Record<string, number> = {};
  const idle: RawConnection[] = o.connections.filter((c) => !c.broken);
  const backlog: { i: number; dueUs: number }[] = [];
  let backlogHead = 0;
  const maxBacklog = o.maxBacklog ?? 200_000;
  const total = Math.round(o.ratePerSec * o.durationSec);
  const intervalUs = 1e6 / o.ratePerSec;
  const cpu0 = process.cpuUsage();
  const startUs = nowUs();
  let scheduled = 0;
  let sent = 0;
  let completed = 0;
  let inFlight = 0;
  let dropped = 0;

  const dispatch = (c: RawConnection, i: number, dueUs: number): void => {
    const req = o.next(i);
    sent++;
    inFlight++;
    c.send(req.bytes, (status, body) => {
      const lat = Math.max(1, nowUs() - dueUs);
      hist.recordValue(lat);
      completed++;
      inFlight--;
      const k = `${req.kind}:${status}`;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
      o.onAnswer?.(req, status, body);
      if (c.broken) return;
      if (backlogHead < backlog.length) {
        const b = backlog[backlogHead++]!;
        dispatch(c, b.i, b.dueUs);
      } else idle.push(c);
    });
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowUs();
      while (scheduled < total && startUs + scheduled * intervalUs <= now) {
        const dueUs = startUs + scheduled * intervalUs;
        const c = backlogHead === backlog.length ? idle.pop() : undefined;
        if (c !== undefined) dispatch(c, scheduled, dueUs);
        else if (backlog.length - backlogHead < maxBacklog) backlog.push({ i: scheduled, dueUs });
        else dropped++;
        scheduled++;
      }
      if (backlogHead > 10_000 && backlogHead * 2 > backlog.length) {
        backlog.splice(0, backlogHead);
        backlogHead = 0;
      }
      if (scheduled >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const backlogAtEnd = backlog.length - backlogHead;
  const drainUntil = Date.now() + (o.drainMs ?? 10_000);
  while ((inFlight > 0 || backlogHead < backlog.length) && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  const endUs = nowUs();
  const cpu = process.cpuUsage(cpu0);
  if (dropped > 0) outcomes['dropped:0'] = dropped;
  const unanswered = total - completed - dropped;
  if (unanswered > 0) outcomes['unanswered:0'] = unanswered;
  const durationSec = (endUs - startUs) / 1e6;
  return {
    offeredPerSec: o.ratePerSec, sent, completed, durationSec, achievedPerSec: Math.round(completed / Math.max(o.durationSec, durationSec)),
    latencyUs: {
      p50: hist.getValueAtPercentile(50), p95: hist.getValueAtPercentile(95), p99: hist.getValueAtPercentile(99),
      p999: hist.getValueAtPercentile(99.9), max: hist.maxValue,
    },
    outcomes, backlogAtEnd, generatorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}
